package vn.tracuu.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.audit.AccessRecord;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.domain.audit.Outcome;
import vn.tracuu.core.domain.audit.Pseudonym;
import vn.tracuu.core.port.out.OutboundReply;
import vn.tracuu.postgres.audit.AuditAnchors;
import vn.tracuu.postgres.audit.AuditChain;
import vn.tracuu.postgres.audit.AuditPurge;
import vn.tracuu.postgres.audit.AuditVerifier;

class PostgresAuditLogTest {

    private static TestDatabase db;
    private PostgresAuditLog audit;
    private AuditAnchors anchors;

    @TempDir
    Path anchorDir;

    @BeforeAll
    static void start() {
        db = TestDatabase.start();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @BeforeEach
    void reset() throws Exception {
        sql("TRUNCATE gateway.audit");
        sql(
                "UPDATE gateway.audit_head SET seq = 0, hash = sha256(''::bytea), purged_to = 0, purged_hash = sha256(''::bytea)");
        audit = new PostgresAuditLog(db.vertx(), db.database().pool());
        anchors = new AuditAnchors(anchorDir.resolve("anchors.log"));
    }

    private static AuditEntry entry(long requestId, Instant at, Outcome outcome, String idPseudonym) {
        return new AuditEntry(
                requestId,
                at,
                "viettel",
                "127.0.0.1:5000",
                Channel.SMS,
                "TC",
                "CT",
                outcome,
                outcome == Outcome.REFUSED ? "ID_MISMATCH" : "",
                12,
                new Pseudonym("m1", "msisdn-" + requestId % 3),
                new Pseudonym("i1", idPseudonym),
                requestId % 2 == 0 ? "node-a" : "");
    }

    private void append(int n, Instant at) throws Exception {
        List<Future<Void>> all = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            all.add(audit.append(
                    entry(i, at.plusMillis(i), i % 4 == 0 ? Outcome.REFUSED : Outcome.ANSWERED, "record-" + i % 2)));
        }
        Future.all(all).await(20, TimeUnit.SECONDS);
    }

    private AuditVerifier.Result verify() throws Exception {
        return AuditVerifier.verify(db.options(), List.of(anchors));
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static Connection connect() throws SQLException {
        return db.jdbc();
    }

    /**
     * The chain's vectors: the database's definition (V11) and the verifier's agree on each, and
     * the first is pinned, so changing both alike still fails.
     */
    @Test
    void theDatabasesChainFunctionsAndTheVerifierAgreeOnFixedVectors() throws Exception {
        Object[][] vectors = {
            {
                42L,
                1_733_550_000_123_456L,
                "viettel",
                "in:10.0.0.1:4000/2775",
                "SMS",
                "TC",
                "CT",
                "ANSWERED",
                "",
                312L,
                "m-hmac",
                "k1",
                "i-hmac",
                "k1",
                ""
            },
            {
                7L,
                0L,
                "vinaphone",
                "out:10.0.0.2:2775/51000",
                "USSD",
                "HD BM",
                "BM",
                "REFUSED",
                "ID_MISMATCH",
                0L,
                "Nguyễn",
                "k2",
                "",
                "",
                "node-b"
            },
        };
        byte[] previous = new byte[32];
        try (Connection c = connect();
                PreparedStatement q =
                        c.prepareStatement("SELECT gateway.audit_canonical(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                + "?, ?) AS canonical, gateway.audit_link(?, ?, gateway.audit_canonical(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                + "?, ?, ?, ?)) AS link")) {
            for (int v = 0; v < vectors.length; v++) {
                Object[] f = vectors[v];
                for (int i = 0; i < f.length; i++) {
                    q.setObject(i + 1, f[i]);
                    q.setObject(i + 18, f[i]);
                }
                q.setBytes(16, previous);
                q.setLong(17, v + 1);
                String canonical = AuditChain.canonical(
                        (Long) f[0],
                        (Long) f[1],
                        (String) f[2],
                        (String) f[3],
                        (String) f[4],
                        (String) f[5],
                        (String) f[6],
                        (String) f[7],
                        (String) f[8],
                        (Long) f[9],
                        (String) f[10],
                        (String) f[11],
                        (String) f[12],
                        (String) f[13],
                        (String) f[14]);
                byte[] link = AuditChain.hash(previous, v + 1, canonical);
                try (ResultSet rs = q.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(canonical, rs.getString("canonical"), "vector " + v);
                    assertEquals(
                            HexFormat.of().formatHex(link),
                            HexFormat.of().formatHex(rs.getBytes("link")),
                            "vector " + v);
                }
                if (v == 0) {
                    assertEquals(PINNED_FIRST_LINK, HexFormat.of().formatHex(link));
                }
                previous = link;
            }
        }
    }

    @Test
    void theChainFunctionsAreInlinedAndANullFieldStillGivesNoText() throws Exception {
        String args =
                "g::int8, g::int8, 'viettel', 'b', 'SMS', 'TC', '', 'ANSWERED', '', g::int8, 'm', 'k1', 'i', 'k1', "
                        + "CASE WHEN g = 1 THEN '' ELSE 'node-a' END";
        StringBuilder plan = new StringBuilder();
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("EXPLAIN (VERBOSE) SELECT gateway.audit_link('\\x00'::bytea, g::int8, "
                    + "gateway.audit_canonical(" + args + ")) FROM generate_series(1, 2) g")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            // run through the SQL-function executor, an entry cost ~37 µs and a planning of the body per statement
            assertFalse(plan.toString().contains("audit_canonical"), plan.toString());
            assertFalse(plan.toString().contains("audit_link"), plan.toString());
            try (ResultSet rs = s.executeQuery("SELECT gateway.audit_canonical(1, 2, 'viettel', 'b', 'SMS', 'TC', '', "
                    + "'ANSWERED', '', 3, 'm', 'k1', 'i', 'k1', NULL) IS NULL")) {
                assertTrue(rs.next());
                assertTrue(rs.getBoolean(1), "a NULL field gives no canonical text, as when the function was STRICT");
            }
        }
    }

    // computed apart: sha256(32 zero octets || 1 as 8 octets || the fields joined by U+001F)
    private static final String PINNED_FIRST_LINK = "e74e0cc8569808d605ac3894a42740291b25de476a238b04aae65c35ac178932";

    @Test
    void concurrentAppendsFormOneUnbrokenChainAndARequestIsAuditedOnce() throws Exception {
        append(200, Instant.now());
        audit.append(entry(7, Instant.now(), Outcome.ANSWERED, "record-1")).await(5, TimeUnit.SECONDS);
        AuditVerifier.Result result = verify();
        assertTrue(result.intact(), result.problem().orElse(""));
        assertEquals(200, result.checked());
    }

    @Test
    void aRequestTwiceInOneBatchIsAuditedOnceAndTheChainStaysUnbroken() throws Exception {
        // the later two queue while the first commits, and go together
        Instant now = Instant.now();
        Future.all(
                        audit.append(entry(1, now, Outcome.ANSWERED, "record-1")),
                        audit.append(entry(2, now, Outcome.ANSWERED, "record-2")),
                        audit.append(entry(2, now, Outcome.REFUSED, "record-2")))
                .await(10, TimeUnit.SECONDS);
        AuditVerifier.Result result = verify();
        assertTrue(result.intact(), result.problem().orElse(""));
        assertEquals(2, result.checked());
    }

    @Test
    void repliesAndAppendsFromTwoNodesExtendOneUnbrokenChain() throws Exception {
        // two nodes' request stores, each with its own group commit, and audit appends besides
        PostgresRequestStore first =
                new PostgresRequestStore(db.vertx(), db.database().pool());
        PostgresRequestStore second =
                new PostgresRequestStore(db.vertx(), db.database().pool());
        List<AcceptedRequest> accepted = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            InboundMessage m = new InboundMessage(
                    "viettel", "b1", Channel.SMS, Msisdn.of("84912345678"), "8088", "TC " + i, Instant.now());
            accepted.add(first.accept(m).await(5, TimeUnit.SECONDS));
        }
        List<Future<Optional<OutboundReply>>> replies = new ArrayList<>();
        List<Future<Void>> appends = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            AcceptedRequest r = accepted.get(i);
            replies.add((i % 2 == 0 ? first : second)
                    .reply(
                            r,
                            "text " + i,
                            Duration.ofHours(1),
                            Duration.ZERO,
                            entry(r.id(), Instant.now(), Outcome.ANSWERED, "record-" + i)));
            appends.add(audit.append(entry(1_000_000 + i, Instant.now(), Outcome.REFUSED, "record-" + i)));
        }
        // answered again while the first answer may still be in the same batch
        Future<Optional<OutboundReply>> again = first.reply(
                accepted.get(0),
                "again",
                Duration.ofHours(1),
                Duration.ZERO,
                entry(accepted.get(0).id(), Instant.now(), Outcome.ANSWERED, "record-0"));
        Future.all(replies).await(20, TimeUnit.SECONDS);
        Future.all(appends).await(20, TimeUnit.SECONDS);
        assertTrue(
                replies.stream().allMatch(f -> f.result().isPresent()), "every first answer is handed back to be sent");
        assertTrue(again.await(5, TimeUnit.SECONDS).isEmpty(), "a second answer is not");
        AuditVerifier.Result result = verify();
        assertTrue(result.intact(), result.problem().orElse(""));
        assertEquals(120, result.checked(), "one entry per request, numbered without a gap");
    }

    @Test
    void aChangedEntryIsDetected() throws Exception {
        append(20, Instant.now());
        sql("UPDATE gateway.audit SET outcome = 'ANSWERED', reason = '' WHERE seq = 8");
        assertEquals(
                "entry 8 was changed (its hash does not match its fields)",
                verify().problem().orElseThrow());
    }

    @Test
    void aDeletedEntryIsDetected() throws Exception {
        append(20, Instant.now());
        sql("DELETE FROM gateway.audit WHERE seq = 7");
        assertTrue(verify().problem().orElseThrow().startsWith("entry 7 is missing (deleted)"));
    }

    @Test
    void reorderedEntriesAreDetected() throws Exception {
        append(20, Instant.now());
        sql("UPDATE gateway.audit SET seq = -1 WHERE seq = 3");
        sql("UPDATE gateway.audit SET seq = 3 WHERE seq = 4");
        sql("UPDATE gateway.audit SET seq = 4 WHERE seq = -1");
        assertTrue(
                verify().problem().orElseThrow().startsWith("entry 3 does not continue from entry 2"),
                verify().problem().get());
    }

    @Test
    void aTruncatedTailIsDetectedThroughTheAnchors() throws Exception {
        append(10, Instant.now());
        assertEquals(10, anchors.anchor(db.options()));
        sql("DELETE FROM gateway.audit WHERE seq > 8");
        sql("UPDATE gateway.audit_head SET seq = 8, hash = (SELECT hash FROM gateway.audit WHERE seq = 8)");
        assertEquals(
                "entries 9 to 10 are missing (the log was cut short)",
                verify().problem().orElseThrow());
    }

    @Test
    void aRewrittenChainWithRecomputedHashesIsDetectedThroughTheAnchors() throws Exception {
        append(10, Instant.now());
        anchors.anchor(db.options());
        sql("UPDATE gateway.audit SET operator_id = 'mobifone' WHERE seq = 5");
        rehash();
        assertEquals(
                "entry 10 differs from its anchored hash (the log was rewritten)",
                verify().problem().orElseThrow());
    }

    @Test
    void everyNodesAnchorFileIsCheckedAgainstTheOneChain() throws Exception {
        AuditAnchors otherNode = new AuditAnchors(anchorDir.resolve("node-b-anchors.log"));
        append(10, Instant.now());
        otherNode.anchor(db.options());
        append(30, Instant.now().plusSeconds(1));
        anchors.anchor(db.options());
        AuditVerifier.Result both = AuditVerifier.verify(db.options(), List.of(anchors, otherNode));
        assertTrue(both.intact(), both.problem().orElse(""));
        // the tail the other node anchored is cut off and rewritten: this node's file never saw it
        sql("UPDATE gateway.audit SET operator_id = 'mobifone' WHERE seq = 10");
        rehash();
        assertTrue(
                AuditVerifier.verify(db.options(), List.of(new AuditAnchors(anchorDir.resolve("none.log"))))
                        .intact(),
                "without anchors, a rehashed chain looks whole");
        assertEquals(
                "entry 10 differs from its anchored hash (the log was rewritten)",
                AuditVerifier.verify(db.options(), List.of(otherNode)).problem().orElseThrow());
        assertTrue(
                AuditVerifier.verify(db.options(), List.of(anchors, otherNode))
                        .problem()
                        .orElseThrow()
                        .startsWith("entry 10"),
                "the other node's anchor shows it beside this node's");
    }

    /** What an insider with write access would do: recompute every hash after the change. */
    private static void rehash() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM gateway.audit ORDER BY seq");
                PreparedStatement update =
                        c.prepareStatement("UPDATE gateway.audit SET prev_hash = ?, hash = ? WHERE seq = ?");
                PreparedStatement head = c.prepareStatement("UPDATE gateway.audit_head SET hash = ?")) {
            byte[] prev = null;
            while (rs.next()) {
                if (prev == null) {
                    prev = rs.getBytes("prev_hash");
                }
                String canonical = AuditChain.canonical(rs);
                byte[] hash = AuditChain.hash(prev, rs.getLong("seq"), canonical);
                update.setBytes(1, prev);
                update.setBytes(2, hash);
                update.setLong(3, rs.getLong("seq"));
                update.executeUpdate();
                prev = hash;
            }
            head.setBytes(1, prev);
            head.executeUpdate();
        }
    }

    @Test
    void purgingOldEntriesKeepsTheRestVerifiable() throws Exception {
        append(6, Instant.now().minus(Duration.ofDays(200)));
        List<Future<Void>> recent = new ArrayList<>();
        for (int i = 100; i < 104; i++) {
            recent.add(audit.append(entry(i, Instant.now(), Outcome.ANSWERED, "record-0")));
        }
        Future.all(recent).await(10, TimeUnit.SECONDS);
        assertEquals(6, AuditPurge.purge(db.options(), anchors, Duration.ofDays(180)));
        AuditVerifier.Result result = verify();
        assertTrue(result.intact(), result.problem().orElse(""));
        assertEquals(4, result.checked());
        audit.append(entry(200, Instant.now(), Outcome.ANSWERED, "record-0")).await(5, TimeUnit.SECONDS);
        assertTrue(verify().intact(), "appends continue the chain after a purge");
        assertEquals(0, AuditPurge.purge(db.options(), anchors, Duration.ofDays(180)));
    }

    @Test
    void aPurgeInSmallBatchesRemovesEachOldEntryOnceAndKeepsTheRestVerifiable() throws Exception {
        append(7, Instant.now().minus(Duration.ofDays(200)));
        audit.append(entry(300, Instant.now(), Outcome.ANSWERED, "record-0")).await(5, TimeUnit.SECONDS);
        Instant cutoff = Instant.now().minus(Duration.ofDays(180));
        assertEquals(7, AuditPurge.purge(db.options(), anchors, cutoff, 2));
        AuditVerifier.Result result = verify();
        assertTrue(result.intact(), result.problem().orElse(""));
        assertEquals(1, result.checked());
        assertEquals(0, AuditPurge.purge(db.options(), anchors, cutoff, 2));
    }

    @Test
    void theGatewayRoleMayAppendButNeverChangeOrRemoveEntries() throws Exception {
        append(3, Instant.now());
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("SET ROLE tracuu_gateway");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM gateway.audit")) {
                rs.next();
                assertEquals(3, rs.getInt(1));
            }
            for (String forbidden : List.of(
                    "UPDATE gateway.audit SET reason = 'x'",
                    "DELETE FROM gateway.audit",
                    "TRUNCATE gateway.audit",
                    "UPDATE gateway.audit_head SET purged_to = 5")) {
                SQLException e = assertThrows(SQLException.class, () -> s.execute(forbidden), forbidden);
                assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
            }
            try (ResultSet rs = s.executeQuery("SELECT has_table_privilege('gateway.audit', 'INSERT')")) {
                rs.next();
                assertTrue(rs.getBoolean(1));
            }
        }
        // the gateway's own pool works as that role
        io.vertx.core.Future<?> delete =
                db.database().pool().query("DELETE FROM gateway.audit").execute();
        delete.otherwiseEmpty().await(5, TimeUnit.SECONDS);
        assertTrue(
                delete.failed() && delete.cause().getMessage().contains("permission denied"),
                String.valueOf(delete.cause()));
        assertTrue(verify().intact());
    }

    @Test
    void recentAccessesAreAnsweredOnesOfThatRecordNewestFirst() throws Exception {
        append(30, Instant.now());
        List<AccessRecord> recent = audit.recentAccesses("record-0", 5).await(5, TimeUnit.SECONDS);
        assertEquals(5, recent.size());
        // record-0 is every even request; every fourth was refused and is not an access
        assertEquals("msisdn-" + 30 % 3, recent.get(0).msisdnPseudonym());
        assertEquals("msisdn-" + 26 % 3, recent.get(1).msisdnPseudonym());
        assertTrue(recent.get(0).at().isAfter(recent.get(4).at()));
        assertTrue(audit.recentAccesses("record-none", 5)
                .await(5, TimeUnit.SECONDS)
                .isEmpty());
    }

    @Test
    void recentAccessesAreFoundInEveryEraKeptNewestFirst() throws Exception {
        long era = 1L << PostgresAuditLog.ERA_BITS;
        // entries before era - 3 were purged; the next ones straddle the end of era 0
        sql("UPDATE gateway.audit_head SET seq = " + (era - 4) + ", purged_to = " + (era - 4));
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 1; i <= 6; i++) {
            audit.append(entry(i, at.plusMillis(i), Outcome.ANSWERED, "record-" + i % 2))
                    .await(5, TimeUnit.SECONDS);
        }
        // eras 1 and 2 end without an entry of that record, era 3 has the newest
        sql("UPDATE gateway.audit_head SET seq = " + (3 * era + 5));
        audit.append(entry(8, at.plusMillis(8), Outcome.ANSWERED, "record-0")).await(5, TimeUnit.SECONDS);

        List<AccessRecord> recent = audit.recentAccesses("record-0", 10).await(5, TimeUnit.SECONDS);
        assertEquals(
                List.of(at.plusMillis(8), at.plusMillis(6), at.plusMillis(4), at.plusMillis(2)),
                recent.stream().map(AccessRecord::at).toList());
        assertEquals(
                List.of(at.plusMillis(8), at.plusMillis(6)),
                audit.recentAccesses("record-0", 2).await(5, TimeUnit.SECONDS).stream()
                        .map(AccessRecord::at)
                        .toList());
    }
}
