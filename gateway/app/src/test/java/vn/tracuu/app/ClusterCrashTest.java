package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.simulators.SmscSimulator;

/**
 * Two gateway JVMs on one PostgreSQL (DESIGN §7), an operator's SMSC bound by both: one node
 * killed with SIGKILL in a stream of texts, the chain head held for 10 s under both, and a third
 * node with other audit keys. Every accepted request is decided once cluster-wide in its effects
 * (one reply, one audit entry, one count, one mismatch row), and duplicates on the wire stay
 * within what the killed node had on the wire unacknowledged.
 */
class ClusterCrashTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int OUTBOUND_WINDOW = 10;
    private static final String WRONG_ID = "TC 0000";
    // texts per second around the kill; -Dtracuu.kill-rate=300 for the rate (one sending thread)
    private static final int KILL_RATE = Integer.getInteger("tracuu.kill-rate", 100);

    private static TestGateway database;
    private static SmscSimulator smsc;
    private static List<String> numbers;
    private static int next;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        // the in-process gateway only creates, seeds and keys the database; the nodes are child JVMs
        database = new TestGateway(3000 + 10 * KILL_RATE, "");
        database.stopGateway();
        smsc = SmscSimulator.listen(0, "tracuu", "pw123");
        numbers = database.rows(
                "SELECT s.msisdn FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
                        + "WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = 'viettel' AND right(s.personal_id, 4) <> '0000' "
                        + "AND s.sim_changed_at < now() - interval '30 days' ORDER BY s.msisdn",
                3000);
    }

    @AfterAll
    static void stop() throws Exception {
        smsc.close();
        database.close();
    }

    @BeforeEach
    void clean() throws Exception {
        database.execute("DELETE FROM gateway.reply");
        database.execute("DELETE FROM gateway.request");
        database.execute("DELETE FROM gateway.mismatch");
        database.execute("DELETE FROM gateway.lockout");
        database.execute("DELETE FROM gateway.counter");
    }

    private static Process node(String id, Path keyFile) throws Exception {
        return node(id, keyFile, "200ms");
    }

    /** {@code answerWithAcceptWithin}: 0s for requests stored first, their replies after. */
    private static Process node(String id, Path keyFile, String answerWithAcceptWithin) throws Exception {
        Path config = dir.resolve(id + ".yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "node:",
                        "  id: " + id,
                        "smpp:",
                        "  outbound-window: " + OUTBOUND_WINDOW,
                        "  response-timeout: 30s",
                        "  reconnect-initial-delay: 100ms",
                        "  reconnect-max-delay: 500ms",
                        "admin:",
                        "  port: -1",
                        "lookup:",
                        "  recovery-grace: 1s",
                        "  recovery-interval: 500ms",
                        "  recovery-lease: 5s",
                        "  duplicate-window: 0s",
                        "  answer-with-accept-within: " + answerWithAcceptWithin,
                        "policy:",
                        "  min-reply-delay: 300ms",
                        "  reply-delay-jitter: 0s",
                        "outbox:",
                        "  scan-interval: 500ms",
                        "  lease: 5s", // a slow machine's sent marks commit well within it
                        "audit:",
                        "  key-file: " + keyFile,
                        "  anchor-file: " + dir.resolve(id + "-anchors.log"),
                        String.join("\n", TestGateway.viettelBindingOutTo(smsc.port()))));
        return database.node(config, dir, dir.resolve(id + ".log"), "pw123");
    }

    private static Process node(String id) throws Exception {
        return node(id, database.config().audit().keyFile());
    }

    private static long count(String sql) {
        try {
            return Long.parseLong(database.row(sql).get(0));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Texts from fresh numbers, every fifth with a wrong ID; returns the numbers whose text was acknowledged. */
    private static List<String> text(int texts, int perSecond) {
        List<String> accepted = new ArrayList<>();
        long gap = TimeUnit.SECONDS.toNanos(1) / perSecond;
        for (int i = 0; i < texts; i++) {
            String n = numbers.get(next++);
            try {
                smsc.send(n, "8088", next % 5 == 0 ? WRONG_ID : "TC NM");
                accepted.add(n);
            } catch (Exception lostWithItsBind) {
                // not acknowledged: the operator would send it again; it may or may not have been stored
            }
            LockSupport.parkNanos(gap);
        }
        return accepted;
    }

    private static void stopNode(Process node) throws InterruptedException {
        node.destroy();
        if (!node.waitFor(30, TimeUnit.SECONDS)) {
            node.destroyForcibly();
        }
    }

    /** Each accepted request answered, none more than once, and its effects written once; the numbers texted from {@code first} on. */
    private static int assertDecidedOnce(List<String> accepted, int first, int allowedDuplicates) {
        await("every accepted text answered")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> accepted.stream().allMatch(n -> smsc.acknowledged(n) >= 1));
        await("nothing left unanswered or unsent")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> count("SELECT count(*) FROM gateway.request WHERE NOT answered") == 0
                        && count("SELECT count(*) FROM gateway.reply WHERE state = 'pending'") == 0);
        long requests = count("SELECT count(*) FROM gateway.request");
        int duplicates = 0;
        for (String n : numbers.subList(first, next)) {
            duplicates += Math.max(0, smsc.acknowledged(n) - 1);
        }
        assertTrue(
                duplicates <= allowedDuplicates,
                duplicates + " replies sent twice, at most " + allowedDuplicates + " allowed");
        assertEquals(requests, count("SELECT count(*) FROM gateway.reply"), "one reply per request");
        assertEquals(
                requests,
                count("SELECT count(*) FROM gateway.audit WHERE request_id IN (SELECT id FROM gateway.request)"),
                "one audit entry per request");
        assertEquals(
                count("SELECT count(*) FROM gateway.audit WHERE reason = 'ID_MISMATCH' "
                        + "AND request_id IN (SELECT id FROM gateway.request)"),
                count("SELECT count(*) FROM gateway.mismatch"),
                "one mismatch row per wrong-ID request");
        assertEquals(
                0, count("SELECT count(*) FROM gateway.lockout"), "no number locked out by one wrong ID decided twice");
        assertEquals(
                1,
                count("SELECT coalesce(max(count), 1) FROM gateway.counter WHERE key LIKE 'number-hour:%'"),
                "each number's one text counted once");
        return duplicates;
    }

    @Test
    void aNodeKilledInAStreamOfTextsLeavesEveryRequestDecidedOnce() throws Exception {
        Process a = node("node-a");
        Process b = node("node-b");
        try {
            assertTrue(smsc.awaitBinds(2, WAIT), "both nodes bind to the operator's SMSC");
            int first = next;
            List<String> accepted = new ArrayList<>(text(KILL_RATE * 3 / 2, KILL_RATE));
            a.destroyForcibly();
            assertTrue(a.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, a.exitValue(), "killed by SIGKILL");
            accepted.addAll(text(KILL_RATE, KILL_RATE));
            // what node a had on the wire unacknowledged at the kill, at most its window, may go twice
            int duplicates = assertDecidedOnce(accepted, first, OUTBOUND_WINDOW);
            System.out.printf(
                    "kill under %d texts/s: %d of %d accepted texts answered twice (window %d)%n",
                    KILL_RATE, duplicates, accepted.size(), OUTBOUND_WINDOW);
            assertTrue(
                    count("SELECT count(*) FROM gateway.audit WHERE node_id = 'node-a'") > 0,
                    "node a decided some before the kill");
            assertTrue(
                    count("SELECT count(*) FROM gateway.audit WHERE node_id = 'node-b'") > 0,
                    "node b decided the rest");
        } finally {
            a.destroyForcibly();
            stopNode(b);
        }
    }

    @Test
    void aChainHeadHeldForTenSecondsUnderTwoNodesFailsNoBatchAndDecidesNothingTwice() throws Exception {
        // requests stored first, so they are acknowledged while the head is held and the recovery
        // scans race the stalled replies; stored with their replies, they would wait unacknowledged
        Path keys = database.config().audit().keyFile();
        Process a = node("node-a", keys, "0s");
        Process b = node("node-b", keys, "0s");
        try {
            assertTrue(smsc.awaitBinds(2, WAIT), "both nodes bind to the operator's SMSC");
            int first = next;
            List<String> accepted = new ArrayList<>(text(20, 50));
            try (Connection c = database.jdbc();
                    Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                // a stalled commit of the audit, as a slow disk or a long lock would make it
                s.execute("SELECT * FROM gateway.audit_head FOR UPDATE");
                long heldSince = System.nanoTime();
                accepted.addAll(text(100, 20));
                // the recovery-grace (1 s) is long past for the first of these: both nodes' scans find them
                LockSupport.parkNanos(Math.max(0, TimeUnit.SECONDS.toNanos(10) - (System.nanoTime() - heldSince)));
                c.rollback();
            }
            assertDecidedOnce(accepted, first, 0);
            for (String node : List.of("node-a", "node-b")) {
                String log = Files.readString(dir.resolve(node + ".log"));
                assertFalse(log.contains("reply not stored"), node + " failed no batch of replies:\n" + log);
            }
        } finally {
            stopNode(a);
            stopNode(b);
        }
    }

    @Test
    void aNodeWithOtherAuditKeysRefusesToStart() throws Exception {
        Path otherKeys = dir.resolve("other-keys.properties");
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        StringBuilder file = new StringBuilder();
        for (String name : List.of("msisdn", "id")) {
            random.nextBytes(secret);
            file.append(name)
                    .append("-key-id=")
                    .append(name)
                    .append("-other\n")
                    .append(name)
                    .append("-key=")
                    .append(Base64.getEncoder().encodeToString(secret))
                    .append('\n');
        }
        Files.writeString(otherKeys, file);
        assertRefusesToStart(
                node("node-c", otherKeys),
                "node-c",
                "tracuu: config: audit.key-file " + otherKeys
                        + ": these audit keys (msisdn-other, id-other) are not the ones this database's pseudonyms were made with");
        assertRefusesToStart(
                node("node-d", dir.resolve("missing-keys.properties")),
                "node-d",
                "audit.key-file: " + dir.resolve("missing-keys.properties") + " does not exist");
        assertFalse(Files.exists(dir.resolve("missing-keys.properties")), "no keys created beside an existing audit");
    }

    private static void assertRefusesToStart(Process node, String id, String line) throws Exception {
        try {
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), "it stops by itself");
            assertEquals(2, node.exitValue());
            String log = Files.readString(dir.resolve(id + ".log"));
            assertTrue(log.contains(line), log);
        } finally {
            node.destroyForcibly();
        }
    }
}
