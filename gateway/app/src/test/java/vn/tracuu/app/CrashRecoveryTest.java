package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.simulators.PhoneSimulator.Reply;
import vn.tracuu.simulators.SmscSimulator;

/**
 * Kills a real gateway process (SIGKILL, a separate JVM) while its requests are in every state,
 * restarts it, and checks that every accepted request gets exactly one reply; then stops the
 * second process with SIGTERM, which unbinds rather than dropping the link.
 */
class CrashRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PER_STATE = 3;
    // a well-formed ID no seeded citizen has: a mismatch for every number
    private static final String NOT_THEIR_ID = "001087012345";

    private static TestGateway database;
    private static SmscSimulator smsc;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        // the in-process gateway only creates and seeds the database; the gateway under test is a child JVM
        database = new TestGateway(200, "");
        database.stopGateway();
        smsc = SmscSimulator.listen(0, "tracuu", "pw123");
    }

    @AfterAll
    static void stop() throws Exception {
        smsc.close();
        database.close();
    }

    private static Process gatewayProcess(String name) throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "smpp:",
                        "  outbound-window: " + PER_STATE, // the first replies fill it; the next wait in the outbox
                        "  response-timeout: 60s",
                        "  reconnect-initial-delay: 100ms",
                        "  reconnect-max-delay: 500ms",
                        "admin:",
                        "  port: -1",
                        "lookup:",
                        "  recovery-grace: 4s", // longer than the reply delay: only a restart leaves work for it
                        "  recovery-interval: 1s",
                        "  duplicate-window: 0s",
                        "policy:",
                        "  min-reply-delay: 2s", // accepted requests stay unanswered this long
                        "  reply-delay-jitter: 0s",
                        "outbox:",
                        "  scan-interval: 1s",
                        "  lease: 3s", // longer than the hold, through which a reply stored with its request is claimed
                        "audit:",
                        // the keys the database's pseudonyms were made with: a node with others refuses to start
                        "  key-file: " + database.config().audit().keyFile(),
                        "  anchor-file: " + dir.resolve("audit-anchors.log"),
                        String.join("\n", TestGateway.viettelBindingOutTo(smsc.port()))));
        return database.node(config, dir, dir.resolve(name + ".log"), "pw123");
    }

    private static void eventually(String what, Callable<Boolean> condition) {
        await(what).atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(condition);
    }

    private static int count(String sql) {
        try {
            return Integer.parseInt(database.row(sql).get(0));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Numbers whose typed ID is compared with their bound record's: a wrong one is a mismatch. */
    private static List<String> verifiedNumbers() throws Exception {
        return database.rows(
                "SELECT s.msisdn FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
                        + "WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = 'viettel' "
                        + "AND s.sim_changed_at < now() - interval '30 days' AND s.personal_id <> '" + NOT_THEIR_ID
                        + "' ORDER BY s.msisdn",
                PER_STATE);
    }

    private static List<String> numbers(int from) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < PER_STATE; i++) {
            out.add("849600000" + String.format("%02d", from + i));
        }
        return out;
    }

    @Test
    void afterSigkillEveryAcceptedRequestGetsExactlyOneReply() throws Exception {
        Process first = gatewayProcess("first");
        try {
            assertTrue(smsc.awaitBinds(1, WAIT), "the child gateway binds to the SMSC");
            List<String> unacknowledged = numbers(10);
            List<String> unsent = numbers(20);
            List<String> held = numbers(30);
            List<String> unanswered = verifiedNumbers();

            // sent but not acknowledged: the SMSC holds its responses far past the kill
            smsc.delayNext(PER_STATE, Duration.ofSeconds(30));
            for (String n : unacknowledged) {
                smsc.send(n, "8088", "TC");
            }
            eventually("their replies are on the wire", () -> smsc.submits() >= PER_STATE);
            // looked up but not sent: the window is full of the unacknowledged ones
            for (String n : unsent) {
                smsc.send(n, "8088", "TC");
            }
            eventually(
                    "their replies wait in the outbox",
                    () -> count("SELECT count(*)::text FROM gateway.reply WHERE state = 'pending'") >= 2 * PER_STATE);
            // acknowledged, answered with their requests in one commit, the replies held by the minimum reply delay
            for (String n : held) {
                smsc.send(n, "8088", "TC");
            }
            // acknowledged but not answered: a decision that records a mismatch has its request stored
            // first, and the reply waits out the minimum reply delay
            for (String n : unanswered) {
                smsc.send(n, "8088", "TC " + NOT_THEIR_ID);
            }
        } finally {
            first.destroyForcibly();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, first.exitValue(), "killed by SIGKILL");
        assertEquals(0, smsc.acknowledged(), "nothing reached a handset before the kill");
        assertEquals(
                PER_STATE,
                count("SELECT count(*)::text FROM gateway.request WHERE NOT answered"),
                "accepted, not looked up");
        assertEquals(
                3 * PER_STATE,
                count("SELECT count(*)::text FROM gateway.reply WHERE state = 'pending'"),
                "looked up, not sent, not acknowledged or held");

        Process second = gatewayProcess("second");
        try {
            List<String> all = new ArrayList<>(numbers(10));
            all.addAll(numbers(20));
            all.addAll(numbers(30));
            all.addAll(verifiedNumbers());
            for (String n : all) {
                Reply reply = smsc.awaitReply(n, WAIT);
                assertNotNull(reply, "a reply to " + n + " after the restart");
            }
            eventually(
                    "every reply recorded as sent",
                    () -> count("SELECT count(*)::text FROM gateway.reply WHERE state = 'sent'") == all.size());
            assertEquals(all.size(), count("SELECT count(*)::text FROM gateway.request"), "one request per message");
            assertEquals(all.size(), smsc.acknowledged(), "exactly one reply each, no duplicate reached a handset");
        } finally {
            second.destroy();
            assertTrue(second.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(143, second.exitValue(), "stopped by SIGTERM");
        eventually("a graceful stop ends its bind with unbind, unlike the kill", () -> smsc.unbindsReceived() == 1);
    }
}
