package vn.tracuu.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
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

/** The population database read over PostgreSQL: one statement per topic, naming only its columns. */
public final class PostgresPopulationDirectory implements PopulationDirectory {

    private static final String BASIC =
            "SELECT deceased, full_name, birth_date, gender, birth_registration_place, hometown, ethnicity, nationality "
                    + "FROM population.citizen WHERE personal_id = $1";

    private static final String BLOOD_TYPE =
            "SELECT deceased, blood_type FROM population.citizen WHERE personal_id = $1";

    private static final String RESIDENCE = "SELECT c.deceased, r.kind, r.address, r.since FROM population.citizen c "
            + "LEFT JOIN population.residence r ON r.personal_id = c.personal_id WHERE c.personal_id = $1";

    // two scalar kinds, not an array: with "kind = ANY($2)" PostgreSQL judged every generic plan
    // dearer than a fresh one and planned each execution anew (pg_stat_statements: as many plans
    // as calls), about a twentieth of its CPU under the benchmark's mix
    private static final String RELATIONS =
            "SELECT c.deceased, r.kind, r.relative_name, r.relative_birth_year FROM population.citizen c "
                    + "LEFT JOIN population.relation r ON r.personal_id = c.personal_id AND r.kind IN ($2, $3) WHERE c.personal_id = $1";

    private final SqlClient reads;

    public PostgresPopulationDirectory(SqlClient reads) {
        this.reads = reads;
    }

    @Override
    public Future<Optional<CitizenRecord>> find(PersonalId id, Topic topic) {
        return switch (topic) {
            case BASIC ->
                query(BASIC, Tuple.of(id.digits()))
                        .map(rows -> first(rows)
                                .map(r -> new CitizenRecord(
                                        id,
                                        r.getBoolean("deceased"),
                                        new Identity(
                                                r.getString("full_name"),
                                                r.getLocalDate("birth_date"),
                                                Gender.fromCode(r.getString("gender")),
                                                r.getString("birth_registration_place"),
                                                r.getString("hometown"),
                                                r.getString("ethnicity"),
                                                r.getString("nationality")),
                                        null,
                                        null,
                                        null)));
            case BLOOD_TYPE ->
                query(BLOOD_TYPE, Tuple.of(id.digits()))
                        .map(rows -> first(rows)
                                .map(r -> new CitizenRecord(
                                        id, r.getBoolean("deceased"), null, null, null, r.getString("blood_type"))));
            case RESIDENCE ->
                query(RESIDENCE, Tuple.of(id.digits()))
                        .map(rows -> first(rows).map(r -> {
                            List<Residence> residences = new ArrayList<>();
                            for (Row row : rows) {
                                if (row.getString("kind") != null) {
                                    residences.add(new Residence(
                                            ResidenceKind.valueOf(
                                                    row.getString("kind").toUpperCase(Locale.ROOT)),
                                            row.getString("address"),
                                            row.getLocalDate("since")));
                                }
                            }
                            return new CitizenRecord(id, r.getBoolean("deceased"), null, residences, null, null);
                        }));
            case PARENTS -> relations(id, RelationKind.FATHER, RelationKind.MOTHER);
            case SPOUSE -> relations(id, RelationKind.SPOUSE, RelationKind.SPOUSE);
            case LEGAL_REPRESENTATIVE ->
                relations(id, RelationKind.LEGAL_REPRESENTATIVE, RelationKind.LEGAL_REPRESENTATIVE);
        };
    }

    /** The record's relatives of one or two kinds (a single kind is passed twice). */
    private Future<Optional<CitizenRecord>> relations(PersonalId id, RelationKind kind, RelationKind otherKind) {
        Tuple args = Tuple.of(
                id.digits(),
                kind.name().toLowerCase(Locale.ROOT),
                otherKind.name().toLowerCase(Locale.ROOT));
        return query(RELATIONS, args)
                .map(rows -> first(rows).map(r -> {
                    List<Relative> relatives = new ArrayList<>();
                    for (Row row : rows) {
                        if (row.getString("kind") != null) {
                            relatives.add(new Relative(
                                    RelationKind.valueOf(row.getString("kind").toUpperCase(Locale.ROOT)),
                                    row.getString("relative_name"),
                                    row.getInteger("relative_birth_year")));
                        }
                    }
                    return new CitizenRecord(id, r.getBoolean("deceased"), null, null, relatives, null);
                }));
    }

    private Future<RowSet<Row>> query(String sql, Tuple args) {
        return PostgresDatabase.read(reads, sql, args);
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
    }
}
