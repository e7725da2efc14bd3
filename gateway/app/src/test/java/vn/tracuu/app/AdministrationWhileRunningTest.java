package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsmpp.bean.BindType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.simulators.PhoneSimulator;

/**
 * An administrator's commands beside a gateway that runs on the embedded default, each in a JVM
 * of its own as typed at a shell: unlock, audit verify and backup work through the running server,
 * the backup restores elsewhere, a second {@code run} on the same data directory is refused,
 * SIGHUP reloads the operators, and the service never stops.
 */
class AdministrationWhileRunningTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String DEMO_PASSWORD =
            "pbkdf2-sha256:100000:UmsXfBFhXx/gd+xrsSVtJQ==:SPUkCTwYc4zN36i5imKYyAjumGyrUgcQQ7YES+xuEfc=";
    private static final Pattern LISTENING = Pattern.compile("SMPP server listening on [^:]+:(\\d+)");
    private static final Pattern DEMO_NUMBER = Pattern.compile("^ {2}(84\\d{9}) {2}viettel", Pattern.MULTILINE);

    @TempDir
    Path dir;

    private record Run(int exit, String output) {}

    private Run tracuu(String... args) throws Exception {
        Process p = TestGateway.command(dir, args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tracuu " + String.join(" ", args) + " did not end");
        return new Run(p.exitValue(), out);
    }

    @Test
    void unlockAuditVerifyBackupAndReloadWorkWhileTheGatewayRunsAndASecondRunIsRefused() throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "smpp:",
                        "  port: 0",
                        "admin:",
                        "  port: -1",
                        "lookup:",
                        "  duplicate-window: 0s", // the same text again is a new request here
                        "policy:",
                        "  lookups-per-number-per-hour: 100",
                        "  min-reply-delay: 0s",
                        "  reply-delay-jitter: 0s",
                        "database:",
                        "  embedded-data-dir: pg",
                        "  seed-citizens: 300",
                        "audit:",
                        "  key-file: audit-keys.properties",
                        "  anchor-file: audit-anchors.log"));
        Path log = dir.resolve("gateway.log");
        Process gateway = TestGateway.process(config, dir)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            Matcher[] listening = new Matcher[1];
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                listening[0] = LISTENING.matcher(Files.readString(log));
                return listening[0].find();
            });
            int port = Integer.parseInt(listening[0].group(1));
            Matcher demo = DEMO_NUMBER.matcher(Files.readString(log));
            assertTrue(demo.find(), Files.readString(log));
            String number = demo.group(1);
            try (PhoneSimulator phone = PhoneSimulator.bind("127.0.0.1", port, "viettel", "demo", BindType.BIND_TRX)) {
                phone.send(number, "8088", "KHOA");
                phone.awaitReply(number, WAIT);
                phone.send(number, "8088", "TC NM");
                String locked = phone.awaitReply(number, WAIT).text();
                assertTrue(!locked.startsWith("So DD"), "locked: " + locked);

                Run unlock = tracuu("unlock", "--config", config.toString(), "--msisdn", number);
                assertEquals(0, unlock.exit(), unlock.output());
                assertTrue(unlock.output().contains("working through its PostgreSQL"), unlock.output());
                assertTrue(unlock.output().contains("unlocked"), unlock.output());

                phone.send(number, "8088", "TC NM");
                assertTrue(
                        phone.awaitReply(number, WAIT).text().startsWith("So DD"),
                        "answered again, by the same running gateway");

                Run verify = tracuu("audit", "verify", "--config", config.toString());
                assertEquals(0, verify.exit(), verify.output());

                Path backup = dir.resolve("backup");
                Run backedUp = tracuu("backup", "--config", config.toString(), backup.toString());
                assertEquals(0, backedUp.exit(), backedUp.output());
                assertTrue(Files.exists(backup.resolve("audit-keys.properties")), "the keys beside the data");
                restoreIntoAFreshDirectory(backup, verify.output());

                Run second = tracuu("run", "--config", config.toString());
                assertNotEquals(0, second.exit(), second.output());
                assertTrue(second.output().contains("a gateway runs on it now"), second.output());

                phone.send(number, "8088", "TC NM");
                assertTrue(phone.awaitReply(number, WAIT).text().startsWith("So DD"), "still serving");

                // SIGHUP: an operator added to the file binds at once; viettel's bind goes on
                assertThrows(
                        Exception.class,
                        () -> PhoneSimulator.bind("127.0.0.1", port, "reddi", "demo", BindType.BIND_TRX)
                                .close());
                Files.writeString(
                        config,
                        Files.readString(config) + "\noperators:\n  - id: viettel\n    password: \"" + DEMO_PASSWORD
                                + "\"\n  - id: reddi\n    password: \"" + DEMO_PASSWORD + "\"\n");
                Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(gateway.pid())).start();
                assertEquals(0, hup.waitFor());
                await().atMost(WAIT).until(() -> Files.readString(log).contains("reloaded operators: added [reddi]"));
                PhoneSimulator.bind("127.0.0.1", port, "reddi", "demo", BindType.BIND_TRX)
                        .close();
                phone.send(number, "8088", "TC NM");
                assertTrue(phone.awaitReply(number, WAIT).text().startsWith("So DD"), "the same bind, still serving");
            }
            assertTrue(gateway.isAlive(), "the gateway never stopped");
        } finally {
            gateway.destroy();
            assertTrue(gateway.waitFor(60, TimeUnit.SECONDS));
        }
    }

    /** The backup restored where nothing was: the same rows, and an audit chain that verifies as it did. */
    private void restoreIntoAFreshDirectory(Path backup, String verifiedBefore) throws Exception {
        Path elsewhere = dir.resolve("restored");
        Files.createDirectories(elsewhere);
        Path config = elsewhere.resolve("gateway.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "database:",
                        "  embedded-data-dir: pg",
                        "audit:",
                        "  key-file: audit-keys.properties",
                        "  anchor-file: audit-anchors.log"));
        Run restored = tracuu("restore", "--config", config.toString(), backup.toString());
        assertEquals(0, restored.exit(), restored.output());
        assertTrue(restored.output().contains("restored schema version "), restored.output());
        Run verify = tracuu("audit", "verify", "--config", config.toString());
        assertEquals(0, verify.exit(), verify.output());
        Matcher before = Pattern.compile("intact: (\\d+) entries").matcher(verifiedBefore);
        Matcher after = Pattern.compile("intact: (\\d+) entries").matcher(verify.output());
        assertTrue(before.find() && after.find(), verifiedBefore + verify.output());
        assertTrue(
                Long.parseLong(after.group(1)) >= Long.parseLong(before.group(1)) && Long.parseLong(after.group(1)) > 0,
                "the restored chain holds what was verified before the backup: " + verify.output());
        Run again = tracuu("restore", "--config", config.toString(), backup.toString());
        assertEquals(2, again.exit(), "a database with requests is not restored over: " + again.output());
        assertTrue(again.output().contains("restore into a fresh one"), again.output());
    }
}
