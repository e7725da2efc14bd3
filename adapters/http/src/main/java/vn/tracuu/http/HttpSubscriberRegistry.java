package vn.tracuu.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.port.out.SubscriberRegistry;

/**
 * The verified-subscriber registry over HTTP (docs/http-contract.md): the binding from
 * {@code GET /subscribers/{msisdn}}, the SIM-change date from an endpoint shaped like the GSMA
 * CAMARA SIM Swap API, so an operator's real endpoint can be plugged in.
 */
public final class HttpSubscriberRegistry implements SubscriberRegistry {

    private final JsonHttp registry;
    private final JsonHttp simSwap;
    private final SimChangeMode mode;
    private final Duration checkMaxAge;

    /** {@code checkMaxAge} is the policy's SIM-change window, used by the {@code check} mode. */
    public HttpSubscriberRegistry(
            Vertx vertx,
            HttpBackendOptions registryOptions,
            HttpBackendOptions simSwapOptions,
            SimChangeMode mode,
            Duration checkMaxAge) {
        this.registry = new JsonHttp(vertx, registryOptions);
        this.simSwap = new JsonHttp(vertx, simSwapOptions);
        this.mode = mode;
        this.checkMaxAge = checkMaxAge;
    }

    @Override
    public Future<Optional<SubscriberBinding>> byMsisdn(Msisdn msisdn) {
        return registry.get("/subscribers/" + msisdn.digits()).compose(answer -> {
            if (answer.isEmpty()) {
                return Future.succeededFuture(Optional.empty());
            }
            JsonObject json = answer.get();
            if (!msisdn.digits().equals(Fields.text(json, "msisdn"))) {
                throw new MalformedAnswer("answer is for another number");
            }
            String digits = Fields.text(json, "personalId");
            if (digits.length() != 12 || !digits.chars().allMatch(Character::isDigit)) {
                throw new MalformedAnswer("field 'personalId' is not 12 digits");
            }
            String status = Fields.text(json, "status");
            Instant verifiedAt = Fields.optionalInstant(json, "verifiedAt");
            if ("verified".equals(status) && verifiedAt == null) {
                throw new MalformedAnswer("a verified binding without 'verifiedAt'");
            }
            String operator = Fields.text(json, "operator");
            return simChangedAt(msisdn)
                    .map(changed -> Optional.of(new SubscriberBinding(
                            msisdn,
                            PersonalId.of(digits),
                            operator,
                            "verified".equals(status) ? verifiedAt : null,
                            changed)));
        });
    }

    /** {@code GET /subscribers?personalId=…}: {@code {"subscribers": [binding, …]}}, each as {@link #byMsisdn} reads one. */
    @Override
    public Future<List<SubscriberBinding>> verifiedNumbersOf(PersonalId id) {
        return registry.get("/subscribers?personalId=" + id.digits()).map(answer -> {
            List<SubscriberBinding> out = new ArrayList<>();
            if (answer.isEmpty()) {
                return out;
            }
            JsonArray list = Fields.array(answer.get(), "subscribers");
            for (int i = 0; i < list.size(); i++) {
                JsonObject json = Fields.element(list, i, "subscribers");
                if (!id.digits().equals(Fields.text(json, "personalId"))) {
                    throw new MalformedAnswer("a number bound to another ID");
                }
                Instant verifiedAt = Fields.optionalInstant(json, "verifiedAt");
                if ("verified".equals(Fields.text(json, "status")) && verifiedAt != null) {
                    String digits = Fields.text(json, "msisdn");
                    out.add(new SubscriberBinding(
                            Msisdn.parse(digits, Msisdn.TON_INTERNATIONAL)
                                    .orElseThrow(() -> new MalformedAnswer("field 'msisdn' is not a mobile number")),
                            id,
                            Fields.text(json, "operator"),
                            verifiedAt,
                            null));
                }
            }
            return out;
        });
    }

    /** Null when the operator does not know (the policy then fails closed unless told otherwise). */
    private Future<Instant> simChangedAt(Msisdn msisdn) {
        JsonObject body = new JsonObject().put("phoneNumber", "+" + msisdn.digits());
        if (mode == SimChangeMode.CHECK) {
            int hours = (int) Math.max(1, checkMaxAge.toHours());
            return simSwap.post("/check", body.put("maxAge", hours)).map(answer -> {
                JsonObject json = answer.orElseThrow(() -> new MalformedAnswer("SIM swap check: number unknown"));
                // only "within the window or not" is known: stand in with a date on the right side of it
                return Fields.bool(json, "swapped")
                        ? Instant.now()
                        : Instant.now().minus(checkMaxAge).minus(Duration.ofHours(1));
            });
        }
        return simSwap.post("/retrieve-date", body)
                .map(answer -> answer.map(json -> Fields.optionalInstant(json, "latestSimChange"))
                        .orElse(null));
    }

    public void close() {
        registry.close();
        simSwap.close();
    }
}
