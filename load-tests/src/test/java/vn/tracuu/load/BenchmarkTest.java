package vn.tracuu.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark in-process on a fresh directory, and pointed at a gateway that runs apart. */
class BenchmarkTest {

    @Test
    void measuresAGatewayRunningApartAndLeavesItsDatabaseAlone(@TempDir Path dir) throws Exception {
        // the gateway under measurement has its own Vert.x, as a separate process would
        SeededGateway.with(Benchmark.config(dir.resolve("pg"), 50), (vertx, gateway, login) -> {
            // what the benchmark tidies in a database of its own: the gateway's work in progress,
            // here a request and a reply neither due yet, and the vacuum's mark
            JdbcStatements.execute(
                    login,
                    "INSERT INTO gateway.request "
                            + "(id, operator_id, bind_id, channel, msisdn, short_code, message_text, received_at) "
                            + "VALUES (-1, 'viettel', 'b', 'SMS', '84900000000', '8088', 'TC', now() + interval '1 day')");
            JdbcStatements.execute(
                    login,
                    "INSERT INTO gateway.reply "
                            + "(request_id, operator_id, msisdn, short_code, body, state, attempts, due_at, expires_at) "
                            + "VALUES (-2, 'viettel', '84900000000', '8088', 'later', 'pending', 1, now() + interval '1 day', now() + interval '2 days')");
            String workInProgress = "SELECT (SELECT answered FROM gateway.request WHERE id = -1)::text || ' ' "
                    + "|| (SELECT state FROM gateway.reply WHERE request_id = -2) || ' ' "
                    + "|| coalesce((SELECT last_vacuum::text FROM pg_stat_user_tables WHERE relid = 'population.citizen'::regclass), 'never')";
            String before = JdbcStatements.firstValue(login, workInProgress);
            String url = "postgresql://" + login.user() + ":" + login.password() + "@" + login.host() + ":"
                    + login.port() + "/" + login.database();
            Benchmark.Settings settings = new Benchmark.Settings(
                    1_000_000,
                    2,
                    50,
                    20,
                    Duration.ZERO,
                    Duration.ofSeconds(2),
                    dir.resolve("unused"),
                    dir.resolve("report"),
                    true,
                    0,
                    "127.0.0.1",
                    gateway.smppPort(),
                    url,
                    0,
                    0,
                    7L,
                    false,
                    false,
                    "",
                    java.util.Map.of());
            JsonObject report = Benchmark.run(settings);
            assertEquals(
                    "127.0.0.1:" + gateway.smppPort(),
                    report.getJsonObject("setup").getString("gateway"));
            assertEquals(3000, report.getJsonObject("setup").getLong("citizens"), "the target's population, as it is");
            assertEquals(
                    "3000",
                    JdbcStatements.firstValue(login, "SELECT count(*) FROM population.citizen"),
                    "not seeded up to the default million");
            assertEquals(before, JdbcStatements.firstValue(login, workInProgress), "not tidied or vacuumed");
            assertTrue(before.startsWith("false pending "), before);
            for (Object o : report.getJsonArray("runs")) {
                JsonObject run = (JsonObject) o;
                assertTrue(run.getLong("completedMeasured") > 0, run.encode());
                assertEquals(0, run.getLong("missing"), "lost replies in " + run.getString("name"));
                assertEquals(0, run.getLong("duplicates"), "duplicate replies in " + run.getString("name"));
            }
            JsonObject floors = report.getJsonObject("floors");
            assertTrue(floors.getDouble("smppPerSecond") > 0, "the SMPP floor runs here");
            assertEquals(
                    0.0,
                    floors.getDouble("databasePerSecond"),
                    "no floor requests written into the gateway's database");
            assertTrue(report.getDouble("gatewayShareOfLowerFloor") > 0, "a ratio to the floor that was measured");
            assertTrue(Files.exists(dir.resolve("report").resolve("report.html")));
            assertTrue(Report.text(report).contains("database not measured"), Report.text(report));
        });
    }

    @Test
    void runsWithItsFloorsOnAFreshDataDirectory(@TempDir Path dir) throws Exception {
        // the README's command on a new machine: the floors write audit entries before the gateway
        // starts, which once left the directory unable to create its audit keys
        JsonObject report = Benchmark.run(Benchmark.Settings.parse(
                new String[] {
                    "--citizens",
                    "3000",
                    "--binds",
                    "2",
                    "--rate",
                    "50",
                    "--window",
                    "20",
                    "--warmup",
                    "0",
                    "--duration",
                    "1",
                    "--data-dir",
                    dir.resolve("pg").toString(),
                    "--out",
                    dir.resolve("report").toString()
                },
                Map.of()));
        assertTrue(report.getJsonObject("floors").getDouble("databasePerSecond") > 0, "the database floor ran");
        for (Object o : report.getJsonArray("runs")) {
            JsonObject run = (JsonObject) o;
            assertEquals(0, run.getLong("missing"), "lost replies in " + run.getString("name"));
        }
    }

    @Test
    void aRunningGatewayWithoutItsDatabaseIsToldAtOnce() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Benchmark.Settings.parse(new String[] {"--host", "10.0.0.5", "--port", "2775"}, Map.of()));
        assertTrue(e.getMessage().contains("--database-url"), e.getMessage());
    }

    @Test
    void aStrayWordIsRefusedNamingItAndNothingStarts() {
        picocli.CommandLine.ParameterException e = assertThrows(
                picocli.CommandLine.ParameterException.class,
                () -> Benchmark.Settings.parse(new String[] {"--rate", "200", "stray"}, Map.of()));
        assertTrue(e.getMessage().contains("stray"), e.getMessage());
        assertEquals(
                200,
                Benchmark.Settings.parse(new String[] {"--rate", "200"}, Map.of())
                        .rate());
    }

    @Test
    void theShippedProfileKeepsTheReplyHoldQuotasAndOperatorCap() {
        java.util.Map<String, String> shipped = Benchmark.measuringSettings(50, java.nio.file.Path.of("/tmp/pg"), true);
        java.util.Map<String, String> lifted = Benchmark.measuringSettings(50, java.nio.file.Path.of("/tmp/pg"), false);
        for (String key : java.util.List.of(
                "policy.min-reply-delay",
                "policy.lookups-per-operator-per-minute",
                "population.guard.permits-per-second")) {
            assertFalse(shipped.containsKey(key), key + " stays as shipped");
            assertTrue(lifted.containsKey(key), key + " is lifted");
        }
        assertEquals("0s", shipped.get("lookup.duplicate-window"), "the driver's own habit, lifted in both");
        assertTrue(Benchmark.Settings.parse(new String[] {"--profile", "shipped"}, java.util.Map.of())
                .shipped());
    }

    @Test
    void aSetSettingReachesTheGatewayOverTheProfileAndAnUnknownKeyIsNamed() throws Exception {
        Benchmark.Settings s = Benchmark.Settings.parse(
                new String[] {
                    "--set",
                    "outbox.sent-mark-linger=50ms",
                    "--set",
                    "policy.min-reply-delay=1s",
                    "--set",
                    "ussd.service-code=*9999#"
                },
                Map.of());
        java.util.Map<String, String> changed = s.changedSettings();
        assertEquals("\"50ms\"", changed.get("outbox.sent-mark-linger"), "listed in the report as changed");
        assertEquals("\"1s\"", changed.get("policy.min-reply-delay"), "over the unthrottled profile's 0s");
        vn.tracuu.app.config.GatewayConfig config = Benchmark.config(changed, 0, 0);
        assertEquals(java.time.Duration.ofMillis(50), config.outbox().sentMarkLinger());
        assertEquals(java.time.Duration.ofSeconds(1), config.policy().minReplyDelay());
        assertEquals("*9999#", config.ussd().serviceCode(), "a YAML alias and comment sign taken as text");
        vn.tracuu.app.config.ConfigException e = assertThrows(
                vn.tracuu.app.config.ConfigException.class,
                () -> Benchmark.config(
                        Benchmark.Settings.parse(new String[] {"--set", "outbox.linger=1s"}, Map.of())
                                .changedSettings(),
                        0,
                        0));
        assertTrue(e.getMessage().contains("linger"), e.getMessage());
        IllegalArgumentException elsewhere = assertThrows(
                IllegalArgumentException.class,
                () -> Benchmark.Settings.parse(
                        new String[] {
                            "--host", "10.0.0.5", "--database-url", "postgresql://h/db", "--set", "outbox.lease=1m"
                        },
                        Map.of()));
        assertTrue(elsewhere.getMessage().startsWith("--set"), "not silently ignored: " + elsewhere.getMessage());
    }
}
