package vn.tracuu.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.core.policy.PolicyOptions;

/**
 * The load driver for a few seconds at a low rate, a fifth of it USSD dialogues: no reply lost or
 * doubled, and /metrics agrees with the driver; and the driver tells a "busy" answer from a lookup.
 */
class LoadSmokeTest {

    @Test
    void aShortRunLosesNothingAndTheMetricsCountWhatWasSent(@TempDir Path dir) throws Exception {
        SeededGateway.with(Benchmark.config(dir.resolve("pg"), 50), (vertx, gateway, login) -> {
            List<LoadRun.Number> verified = Benchmark.verifiedNumbers(login, 1000);
            List<LoadRun.Number> unverified = Benchmark.unverifiedNumbers(login, 100);
            LoadRun.Options options = new LoadRun.Options(
                    "127.0.0.1",
                    gateway.smppPort(),
                    "viettel",
                    "demo",
                    "8088",
                    Benchmark.USSD_CODE,
                    2,
                    50,
                    50,
                    Duration.ZERO,
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(20),
                    LoadRun.Mix.REALISTIC.withUssd(20),
                    42L);
            LoadRun.Result r = new LoadRun(vertx, "smoke", options, verified, unverified)
                    .run()
                    .await(60, TimeUnit.SECONDS);
            assertTrue(r.sent() >= 140, "about 50 a second for 3 s: " + r.sent());
            assertEquals(0, r.missing(), "lost replies");
            assertEquals(0, r.duplicates(), "duplicate replies");
            assertTrue(r.errors().isEmpty(), r.errors().toString());
            assertEquals(r.sent(), r.completed());
            assertTrue(r.ussdDialogues() >= 10, "USSD dialogues ended: " + r.ussdDialogues());
            assertTrue(
                    r.ussdInputs() >= 2 * r.ussdDialogues(),
                    "a dial-in and a menu choice each at least: " + r.ussdInputs());
            assertEquals(r.ussdDialogues(), r.ussdLookups(), "one menu choice per dialogue");
            // the gateway counts lookups: every SMS, and of a dialogue its menu choice only
            assertEquals(r.sent() - r.ussdInputs() + r.ussdLookups(), requestsCounted(gateway.adminPort()));
        });
    }

    @Test
    void playingTheOperatorsSmscTheGatewayBindsOutToLosesNothingAndBillsTheCpu(@TempDir Path dir) throws Exception {
        Vertx driver = Vertx.vertx();
        try {
            SmscLoadServer smsc = new SmscLoadServer(driver);
            int port = smsc.start().await(10, TimeUnit.SECONDS);
            GatewayConfig config = Benchmark.config(dir.resolve("pg"), 50, false, port, 2);
            SeededGateway.with(config, (vertx, gateway, login) -> {
                LoadRun.Options options = new LoadRun.Options(
                        "",
                        0,
                        "",
                        "",
                        "8088",
                        Benchmark.USSD_CODE,
                        2,
                        50,
                        50,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(20),
                        LoadRun.Mix.REALISTIC,
                        43L);
                LoadRun.Result r = new LoadRun(
                                driver,
                                "bind-out",
                                options,
                                Benchmark.verifiedNumbers(login, 1000),
                                Benchmark.unverifiedNumbers(login, 100))
                        .measuringCpu(CpuTime.Meter.inProcess(login))
                        .overBindsOut(smsc)
                        .run()
                        .await(60, TimeUnit.SECONDS);
                assertTrue(r.sent() >= 180, "about 50 a second for 4 s: " + r.sent());
                assertEquals(0, r.missing(), "lost replies");
                assertEquals(0, r.duplicates(), "duplicate replies");
                assertTrue(r.errors().isEmpty(), r.errors().toString());
                assertEquals(r.sent() - r.warmUpLatencyMicros().getTotalCount(), r.completed());
                assertTrue(
                        r.cpu().gatewayNanos() > 0 && r.cpu().databaseNanos() > 0,
                        r.cpu().toString());
                // every reply segment's receipt came back and was matched to its reply
                String matched = "tracuu_receipts_total\\{[^}]*known=\"true\"[^}]*\\}";
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (counted(gateway.adminPort(), matched) < r.sent() && System.nanoTime() < deadline) {
                    vertx.timer(100).await(5, TimeUnit.SECONDS);
                }
                long receipts = counted(gateway.adminPort(), matched);
                assertTrue(receipts >= r.sent(), "receipts matched: " + receipts + " for " + r.sent() + " texts");
                // as an SMSC's: each message id names one reply segment, so each receipt one reply
                assertEquals(
                        "0",
                        JdbcStatements.firstValue(
                                login,
                                "SELECT count(*) FROM (SELECT id FROM gateway.reply, unnest(message_ids) AS id "
                                        + "GROUP BY id HAVING count(*) > 1) AS shared"));
            });
        } finally {
            driver.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void lookupsAnsweredBusyAreCountedAsErrorsNotPassedOffAsLookups(@TempDir Path dir) throws Exception {
        GatewayConfig lifted = Benchmark.config(dir.resolve("pg"), 50);
        PolicyOptions p = lifted.policy();
        // one lookup a minute for the operator: every later one is answered "busy" at once
        GatewayConfig throttled = new GatewayConfig(
                lifted.smpp(),
                lifted.admin(),
                lifted.lookup(),
                p.withLookupsPerOperatorPerMinute(1),
                lifted.audit(),
                lifted.population(),
                lifted.subscribers(),
                lifted.outbox(),
                lifted.database(),
                lifted.ussd(),
                lifted.retention(),
                lifted.logging());
        SeededGateway.with(throttled, (vertx, gateway, login) -> {
            LoadRun.Options options = new LoadRun.Options(
                    "127.0.0.1",
                    gateway.smppPort(),
                    "viettel",
                    "demo",
                    "8088",
                    Benchmark.USSD_CODE,
                    1,
                    20,
                    20,
                    Duration.ZERO,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(20),
                    LoadRun.Mix.LOOKUPS_ONLY,
                    42L);
            LoadRun.Result r = new LoadRun(
                            vertx, "throttled", options, Benchmark.verifiedNumbers(login, 1000), List.of())
                    .run()
                    .await(60, TimeUnit.SECONDS);
            assertEquals(0, r.missing(), "lost replies");
            // one lookup per minute window, and the second of sending may span the turn of a minute
            long answered = r.sent() - r.errors().getOrDefault("busy reply", 0L);
            assertTrue(answered == 1 || answered == 2, answered + " of " + r.sent() + " answered: " + r.errors());
        });
    }

    private static long requestsCounted(int adminPort) throws Exception {
        return counted(adminPort, "tracuu_requests_total\\{[^}]*\\}");
    }

    /** The sum of the series of /metrics that {@code series} matches. */
    private static long counted(int adminPort, String series) throws Exception {
        HttpURLConnection c = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + adminPort + "/metrics").toURL().openConnection();
        c.setRequestProperty("Connection", "close");
        String body;
        try (InputStream in = c.getInputStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.]+)$").matcher(body);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return (long) total;
    }
}
