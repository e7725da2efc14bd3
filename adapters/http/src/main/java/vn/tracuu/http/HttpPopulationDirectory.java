package vn.tracuu.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import vn.tracuu.core.domain.CitizenRecord;
import vn.tracuu.core.domain.CitizenRecord.Identity;
import vn.tracuu.core.domain.CitizenRecord.RelationKind;
import vn.tracuu.core.domain.CitizenRecord.Relative;
import vn.tracuu.core.domain.CitizenRecord.Residence;
import vn.tracuu.core.domain.CitizenRecord.ResidenceKind;
import vn.tracuu.core.domain.Gender;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.Topic;
import vn.tracuu.core.port.out.PopulationDirectory;

/**
 * The population database over its HTTP API (docs/http-contract.md):
 * {@code GET /citizens/{id}?groups=<group>} asks only for the topic's field group.
 */
public final class HttpPopulationDirectory implements PopulationDirectory {

    private final JsonHttp http;

    public HttpPopulationDirectory(Vertx vertx, HttpBackendOptions options) {
        this.http = new JsonHttp(vertx, options);
    }

    /** The field group a topic asks for, as the contract names it. */
    static String group(Topic topic) {
        return switch (topic) {
            case BASIC -> "basic";
            case RESIDENCE -> "residence";
            case PARENTS -> "parents";
            case SPOUSE -> "spouse";
            case BLOOD_TYPE -> "bloodType";
            case LEGAL_REPRESENTATIVE -> "legalRepresentative";
        };
    }

    @Override
    public Future<Optional<CitizenRecord>> find(PersonalId id, Topic topic) {
        return http.get("/citizens/" + id.digits() + "?groups=" + group(topic))
                .map(answer -> answer.map(json -> parse(id, topic, json)));
    }

    static CitizenRecord parse(PersonalId id, Topic topic, JsonObject json) {
        if (!id.digits().equals(Fields.text(json, "personalId"))) {
            throw new MalformedAnswer("answer is for another personal ID");
        }
        boolean deceased = Fields.bool(json, "deceased");
        return switch (topic) {
            case BASIC -> {
                JsonObject b = Fields.object(json, "basic");
                String gender = Fields.text(b, "gender");
                if (!gender.equals("M") && !gender.equals("F")) {
                    throw new MalformedAnswer("field 'gender' must be M or F");
                }
                yield new CitizenRecord(
                        id,
                        deceased,
                        new Identity(
                                Fields.text(b, "fullName"),
                                Fields.date(b, "birthDate"),
                                Gender.fromCode(gender),
                                Fields.optionalText(b, "birthRegistrationPlace"),
                                Fields.optionalText(b, "hometown"),
                                Fields.optionalText(b, "ethnicity"),
                                Fields.optionalText(b, "nationality")),
                        null,
                        null,
                        null);
            }
            case RESIDENCE -> {
                JsonArray list = Fields.array(json, "residence");
                List<Residence> residences = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    JsonObject r = Fields.element(list, i, "residence");
                    residences.add(new Residence(
                            residenceKind(Fields.text(r, "kind")),
                            Fields.text(r, "address"),
                            Fields.optionalDate(r, "since")));
                }
                yield new CitizenRecord(id, deceased, null, residences, null, null);
            }
            case PARENTS, SPOUSE, LEGAL_REPRESENTATIVE -> {
                JsonArray list = Fields.array(json, "relations");
                List<Relative> relatives = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    JsonObject r = Fields.element(list, i, "relations");
                    RelationKind kind = relationKind(Fields.text(r, "kind"));
                    if (belongs(topic, kind)) {
                        relatives.add(
                                new Relative(kind, Fields.text(r, "fullName"), Fields.optionalInt(r, "birthYear")));
                    }
                }
                yield new CitizenRecord(id, deceased, null, null, relatives, null);
            }
            case BLOOD_TYPE ->
                new CitizenRecord(id, deceased, null, null, null, Fields.optionalText(json, "bloodType"));
        };
    }

    /** Fields of other groups an API sends anyway are dropped: only the topic's fields are ever replied. */
    private static boolean belongs(Topic topic, RelationKind kind) {
        return switch (topic) {
            case PARENTS -> kind == RelationKind.FATHER || kind == RelationKind.MOTHER;
            case SPOUSE -> kind == RelationKind.SPOUSE;
            default -> kind == RelationKind.LEGAL_REPRESENTATIVE;
        };
    }

    private static ResidenceKind residenceKind(String s) {
        return switch (s) {
            case "permanent" -> ResidenceKind.PERMANENT;
            case "temporary" -> ResidenceKind.TEMPORARY;
            default -> throw new MalformedAnswer("unknown residence kind");
        };
    }

    private static RelationKind relationKind(String s) {
        try {
            return RelationKind.valueOf(s.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MalformedAnswer("unknown relation kind");
        }
    }

    public void close() {
        http.close();
    }
}
