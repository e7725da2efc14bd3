package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsmpp.bean.BindType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.simulators.PhoneSimulator;

/**
 * The gateway on its embedded default, killed with SIGKILL with a request accepted and not yet
 * answered, started again on the same directory, several times over: each start stops the
 * embedded server the killed JVM left running, comes up, and answers what was pending.
 */
class EmbeddedRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    // three in the suite; -Dtracuu.restart-cycles=10 for the longer drill
    private static final int CYCLES = Integer.getInteger("tracuu.restart-cycles", 3);
    private static final Pattern LISTENING = Pattern.compile("SMPP server listening on [^:]+:(\\d+)");
    private static final Pattern DEMO_NUMBER = Pattern.compile("^ {2}(84\\d{9}) {2}viettel", Pattern.MULTILINE);

    @TempDir
    Path dir;

    private Process start(Path config, Path log) throws Exception {
        return TestGateway.process(config, dir)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static Matcher awaitLine(Path log, Pattern line) {
        Matcher[] found = new Matcher[1];
        await("the gateway's start in " + log)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    Matcher m = line.matcher(Files.readString(log));
                    found[0] = m;
                    return m.find();
                });
        return found[0];
    }

    @Test
    void killedAgainAndAgainItComesBackByItselfAndAnswersWhatWasPending() throws Exception {
        Path data = dir.resolve("pg");
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
                        "  recovery-grace: 2s",
                        "  recovery-interval: 500ms",
                        "  duplicate-window: 0s", // the same text each cycle is a new request, not a retransmission
                        "policy:",
                        "  lookups-per-number-per-hour: 100", // one number texts once per cycle
                        "  lookups-per-number-per-day: 100",
                        "  lookups-per-record-per-day: 100",
                        "  min-reply-delay: 1500ms", // a request stays unanswered this long: long enough to kill it
                        // there
                        "  reply-delay-jitter: 0s",
                        "outbox:",
                        // a reply stored with its request, killed in its hold, is sent once its lease ends
                        "  lease: 3s",
                        "database:",
                        "  embedded-data-dir: pg", // relative: taken from this file's directory
                        "  seed-citizens: 300",
                        "audit:",
                        "  key-file: audit-keys.properties",
                        "  anchor-file: audit-anchors.log"));
        List<String> pending = new ArrayList<>();
        for (int cycle = 0; cycle <= CYCLES; cycle++) {
            Path log = dir.resolve("run-" + cycle + ".log");
            Process gateway = start(config, log);
            try {
                int port = Integer.parseInt(awaitLine(log, LISTENING).group(1));
                List<String> demo = new ArrayList<>();
                Matcher m = DEMO_NUMBER.matcher(Files.readString(log));
                while (m.find()) {
                    demo.add(m.group(1));
                }
                assertTrue(!demo.isEmpty(), "demo numbers printed:\n" + Files.readString(log));
                try (PhoneSimulator phone =
                        PhoneSimulator.bind("127.0.0.1", port, "viettel", "demo", BindType.BIND_TRX)) {
                    for (String n : pending) {
                        PhoneSimulator.Reply reply = phone.awaitReply(n, WAIT);
                        assertNotNull(
                                reply,
                                "cycle " + cycle
                                        + ": the request accepted before the kill is answered after the restart");
                        assertTrue(reply.text().startsWith("So DD"), reply.text());
                    }
                    pending.clear();
                    if (cycle == CYCLES) {
                        assertNull(phone.awaitReply(demo.get(0), Duration.ofSeconds(2)), "no reply twice");
                        break;
                    }
                    String number = demo.get(0);
                    phone.send(number, "8088", "TC NM");
                    pending.add(number);
                }
            } finally {
                if (cycle < CYCLES) {
                    // acknowledged, its reply stored and held by the minimum reply delay: killed before it is sent
                    gateway.destroyForcibly();
                    assertTrue(gateway.waitFor(30, TimeUnit.SECONDS));
                    assertEquals(137, gateway.exitValue(), "killed by SIGKILL");
                    assertTrue(
                            Files.exists(data.resolve("postmaster.pid")),
                            "the killed JVM's embedded server is still running");
                } else {
                    gateway.destroy();
                    assertTrue(gateway.waitFor(60, TimeUnit.SECONDS));
                }
            }
        }
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            String log = Files.readString(dir.resolve("run-" + cycle + ".log"));
            assertTrue(
                    log.contains("embedded PostgreSQL left running by an earlier gateway"),
                    "start " + cycle + ":\n" + log);
        }
        assertEquals(false, Files.exists(data.resolve("postmaster.pid")), "the last, graceful stop stopped the server");
        String last = Files.readString(dir.resolve("run-" + CYCLES + ".log"));
        for (String line : List.of(
                "Gateway - started: node ",
                "Gateway - stopping: no new binds; draining ",
                "Gateway - binds drained; 0 bind(s) left",
                "Gateway - stopped")) {
            assertTrue(
                    last.contains(line), "the start and each step of the stop in one INFO line: " + line + "\n" + last);
        }
    }
}
