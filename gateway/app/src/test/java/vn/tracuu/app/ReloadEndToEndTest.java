package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jsmpp.bean.BindType;
import org.junit.jupiter.api.Test;
import vn.tracuu.simulators.PhoneSimulator;

/**
 * The operators section reloaded on a running gateway (POST /reload; SIGHUP does the same): an
 * operator added binds at once, one removed no longer can, one changed is unbound and binds
 * again, and the others' binds never drop. A broken file is refused and the running one stays.
 */
class ReloadEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DEMO_PASSWORD =
            "pbkdf2-sha256:100000:UmsXfBFhXx/gd+xrsSVtJQ==:SPUkCTwYc4zN36i5imKYyAjumGyrUgcQQ7YES+xuEfc=";

    private static String operators(String... entries) {
        StringBuilder yaml = new StringBuilder("operators:\n");
        for (String e : entries) {
            String[] parts = e.split(":", 2);
            yaml.append("  - id: ").append(parts[0]).append('\n');
            yaml.append("    password: \"").append(DEMO_PASSWORD).append("\"\n");
            if (parts.length > 1) {
                yaml.append("    receive-rate: ").append(parts[1]).append('\n');
            }
        }
        return yaml.toString();
    }

    private static HttpResponse<String> reload(TestGateway gateway) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + gateway.gateway().adminPort() + "/reload"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** The operator's binds up now, as /binds lists them. */
    private static long bound(TestGateway gateway, String operator) throws Exception {
        return new JsonArray(AdminEndToEndTest.get(gateway, "/binds").body())
                .stream()
                        .map(JsonObject.class::cast)
                        .filter(b -> operator.equals(b.getString("operator")) && "BOUND".equals(b.getString("state")))
                        .count();
    }

    @Test
    void operatorsAreAddedRemovedAndChangedWithoutDroppingTheOthersBinds() throws Exception {
        try (TestGateway gateway = new TestGateway(300, operators("viettel", "vinaphone", "mobifone"))) {
            AtomicReference<String> file = new AtomicReference<>();
            gateway.reloadsFrom(file::get);
            PhoneSimulator viettel = gateway.phone("viettel", BindType.BIND_TRX);
            PhoneSimulator vinaphone = gateway.phone("vinaphone", BindType.BIND_TRX);
            await().atMost(WAIT).until(() -> bound(gateway, "vinaphone") == 1 && bound(gateway, "viettel") == 1);

            file.set(operators("viettel", "vinaphone:5", "reddi"));
            HttpResponse<String> reloaded = reload(gateway);
            assertEquals(200, reloaded.statusCode(), reloaded.body());
            assertTrue(
                    reloaded.body()
                            .startsWith("reloaded operators: added [reddi], removed [mobifone], changed [vinaphone]"),
                    reloaded.body());

            await("the changed operator's bind ends").atMost(WAIT).until(() -> bound(gateway, "vinaphone") == 0);
            assertEquals(1, bound(gateway, "viettel"), "the unchanged operator's bind never dropped");
            String number = gateway.verifiedNumberOf("viettel");
            viettel.send(number, "8088", "TC NM");
            assertTrue(viettel.awaitReply(number, WAIT).text().startsWith("So DD"), "still served on the same bind");
            gateway.phone("vinaphone", BindType.BIND_TRX).close();
            gateway.phone("reddi", BindType.BIND_TRX).close();
            assertThrows(
                    Exception.class,
                    () -> gateway.phone("mobifone", BindType.BIND_TRX).close());

            file.set("smpp:\n  port: 70000\n" + operators("viettel"));
            HttpResponse<String> refused = reload(gateway);
            assertEquals(400, refused.statusCode());
            assertEquals(
                    "reload refused: smpp.port: must be a whole number from 0 to 65535, got '70000'; "
                            + "the running configuration stays",
                    refused.body().strip());
            gateway.phone("reddi", BindType.BIND_TRX).close();
            viettel.close();
            vinaphone.close();
        }
    }
}
