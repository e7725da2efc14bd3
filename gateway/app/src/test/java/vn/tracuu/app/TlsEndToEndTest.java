package vn.tracuu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.jsmpp.bean.BindType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.simulators.PhoneSimulator;
import vn.tracuu.simulators.SmscSimulator;
import vn.tracuu.simulators.TestTls;

/**
 * Where operators and administrators connect, over real TLS with certificates made for the test:
 * an operator that binds over TLS only, with its client certificate pinned; an operator's SMSC the
 * gateway binds to over TLS, trusted through a trust store of its own; the admin listener over
 * HTTPS with a bearer token.
 */
class TlsEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "an-admin-token-for-the-test";
    // the bundled demo operators' password, "demo", as config/gateway.yaml holds it
    private static final String DEMO_PASSWORD =
            "pbkdf2-sha256:100000:UmsXfBFhXx/gd+xrsSVtJQ==:SPUkCTwYc4zN36i5imKYyAjumGyrUgcQQ7YES+xuEfc=";

    @TempDir
    Path dir;

    private static String sha256(String s) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void operatorsBindOverTlsWithTheirPinnedCertificateAndTheAdminListenerWantsItsToken() throws Exception {
        TestTls gatewayCert = TestTls.create(dir, "gateway");
        TestTls viettelCert = TestTls.create(dir, "viettel");
        TestTls strangerCert = TestTls.create(dir, "stranger");
        TestTls smscCert = TestTls.create(dir, "smsc");
        try (SmscSimulator smsc = SmscSimulator.listenTls(0, "tracuu", "pw123", smscCert.serverContext());
                TestGateway gateway = new TestGateway(
                        300,
                        TestGateway.RELAXED_POLICY,
                        String.join(
                                "\n",
                                "smpp:",
                                "  tls-port: 0",
                                "  tls-key-store: " + gatewayCert.keyStore(),
                                "  tls-key-store-password: env:GATEWAY_KEY_STORE_PASSWORD",
                                "admin:",
                                "  tls-key-store: " + gatewayCert.keyStore(),
                                "  tls-key-store-password: env:GATEWAY_KEY_STORE_PASSWORD",
                                "  token-sha256: " + sha256(TOKEN),
                                "operators:",
                                "  - id: viettel",
                                "    password: \"" + DEMO_PASSWORD + "\"",
                                "    tls-only: true",
                                "    client-certificate-sha256: " + viettelCert.sha256(),
                                "  - id: vinaphone",
                                "    password: \"" + DEMO_PASSWORD + "\"",
                                "  - id: mobifone",
                                "    password: \"\"",
                                "    bind-out:",
                                "      host: 127.0.0.1",
                                "      port: " + smsc.port(),
                                "      tls: true",
                                "      system-id: tracuu",
                                "      password: env:MOBIFONE_SMSC_PASSWORD",
                                "      trust-store: " + smscCert.trustStore(),
                                "      trust-store-password: " + smscCert.password()),
                        "0s",
                        Map.of(
                                "GATEWAY_KEY_STORE_PASSWORD",
                                gatewayCert.password(),
                                "MOBIFONE_SMSC_PASSWORD",
                                "pw123"))) {
            int plain = gateway.port();
            int tls = gateway.gateway().smppTlsPort();
            assertTrue(tls > 0, "the TLS listener is up");

            // viettel: never over plain TCP, never without its certificate
            assertThrows(
                    Exception.class,
                    () -> PhoneSimulator.bind("127.0.0.1", plain, "viettel", "demo", BindType.BIND_TRX)
                            .close());
            assertThrows(
                    Exception.class,
                    () -> PhoneSimulator.bind(
                                    "127.0.0.1",
                                    tls,
                                    "viettel",
                                    "demo",
                                    BindType.BIND_TRX,
                                    TestTls.context(gatewayCert, null))
                            .close());
            assertThrows(
                    Exception.class,
                    () -> PhoneSimulator.bind(
                                    "127.0.0.1",
                                    tls,
                                    "viettel",
                                    "demo",
                                    BindType.BIND_TRX,
                                    TestTls.context(gatewayCert, strangerCert))
                            .close());
            String viettelNumber = gateway.verifiedNumberOf("viettel");
            try (PhoneSimulator phone = PhoneSimulator.bind(
                    "127.0.0.1",
                    tls,
                    "viettel",
                    "demo",
                    BindType.BIND_TRX,
                    TestTls.context(gatewayCert, viettelCert))) {
                phone.send(viettelNumber, "8088", "TC NM");
                assertTrue(phone.awaitReply(viettelNumber, WAIT).text().startsWith("So DD"), "answered over TLS");
            }

            // mobifone: the gateway binds to its SMSC over TLS, trusting the SMSC's own CA
            assertTrue(smsc.awaitBinds(1, WAIT), "bound to the SMSC over TLS");
            String mobifoneNumber = gateway.verifiedNumberOf("mobifone");
            smsc.send(mobifoneNumber, "8088", "TC NM");
            assertNotNull(smsc.awaitReply(mobifoneNumber, WAIT), "the reply came back over the TLS bind");

            // the admin listener: HTTPS, and its token for anything beyond /health
            HttpClient https = HttpClient.newBuilder()
                    .sslContext(TestTls.context(gatewayCert, null))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            String base = "https://127.0.0.1:" + gateway.gateway().adminPort();
            assertEquals(200, get(https, base + "/health/live", null).statusCode());
            assertEquals(401, get(https, base + "/metrics", null).statusCode());
            assertEquals(401, get(https, base + "/metrics", "not-the-token").statusCode());
            HttpResponse<String> metrics = get(https, base + "/metrics", TOKEN);
            assertEquals(200, metrics.statusCode());
            assertTrue(
                    metrics.body().contains("tracuu_bind_refusals_total{reason=\"NOT_OVER_TLS\"} 1.0"), metrics.body());
            assertTrue(metrics.body().contains("tracuu_bind_refusals_total{reason=\"CLIENT_CERTIFICATE\"} 2.0"));
            HttpResponse<String> delete = https.send(
                    HttpRequest.newBuilder(URI.create(base + "/binds"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, delete.statusCode(), "the admin listener changes nothing");
        }
        assertTrue(Files.exists(dir.resolve("gateway.p12")));
    }

    private static HttpResponse<String> get(HttpClient client, String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
