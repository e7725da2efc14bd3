package vn.tracuu.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.port.out.PolicyStore.Limit;
import vn.tracuu.core.port.out.PolicyStore.RecordCheck;

class PostgresPolicyStoreTest {

    private static TestDatabase db;
    private static PostgresPolicyStore store;

    @BeforeAll
    static void start() {
        db = TestDatabase.start();
        store = new PostgresPolicyStore(
                db.vertx(), db.database().pool(), db.database().reads());
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void aCountersAsynchronousCommitLeavesTheConnectionDurableForTheNextStatement() throws Exception {
        PostgresDatabase one = db.openOneConnectionEach();
        try {
            Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
            assertTrue(new PostgresPolicyStore(db.vertx(), one.pool(), one.reads())
                    .count(List.of(new Limit("number-hour:durable", hour, 3)))
                    .await(5, TimeUnit.SECONDS));
            // the setting must end with the counter's statement: whatever the same (only) connection runs next keeps
            // its durability
            String setting = one.reads()
                    .query("SHOW synchronous_commit")
                    .execute()
                    .map(rows -> rows.iterator().next().getString(0))
                    .await(5, TimeUnit.SECONDS);
            assertEquals("on", setting);
        } finally {
            one.close().await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void countersAllowUpToTheirMaximumPerWindow() throws Exception {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<Limit> limits =
                List.of(new Limit("number-hour:a", hour, 3), new Limit("operator-minute:viettel", hour, 100));
        assertTrue(store.within(limits).await(5, TimeUnit.SECONDS), "no counter yet: within");
        for (int i = 0; i < 3; i++) {
            assertTrue(store.count(limits).await(5, TimeUnit.SECONDS));
        }
        assertTrue(
                store.within(limits).await(5, TimeUnit.SECONDS),
                "the third use is within, and checking it again counts nothing");
        assertTrue(store.within(limits).await(5, TimeUnit.SECONDS));
        assertFalse(store.count(limits).await(5, TimeUnit.SECONDS));
        assertFalse(store.within(limits).await(5, TimeUnit.SECONDS), "the fourth use was past the maximum");
        assertTrue(
                store.within(List.of(new Limit("number-hour:a", hour.plus(1, ChronoUnit.HOURS), 3)))
                        .await(5, TimeUnit.SECONDS),
                "a new window's check is within");
        assertTrue(
                store.count(List.of(new Limit("number-hour:a", hour.plus(1, ChronoUnit.HOURS), 3)))
                        .await(5, TimeUnit.SECONDS),
                "a new window starts from zero");
        List<Limit> late = List.of(new Limit("number-hour:a", hour, 3));
        assertTrue(store.count(late).await(5, TimeUnit.SECONDS));
        assertTrue(store.count(late).await(5, TimeUnit.SECONDS));
        assertFalse(
                store.count(late).await(5, TimeUnit.SECONDS),
                "uses stamped with the earlier window (another node's clock) count in the latest, never restart it");
    }

    @Test
    void countsArrivingTogetherForANewKeyLetExactlyTheMaximumThrough() throws Exception {
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS);
        List<Limit> limits =
                List.of(new Limit("record-day:together", day, 25), new Limit("operator-minute:together", day, 1000));
        List<Future<Boolean>> counts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            counts.add(store.count(limits));
        }
        Future.all(counts).await(10, TimeUnit.SECONDS);
        assertEquals(
                25,
                counts.stream().filter(Future::result).count(),
                "the first use of a key raced by many: none lost, none doubled");
        try (java.sql.Connection c = db.jdbc();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs =
                        st.executeQuery("SELECT count FROM gateway.counter WHERE key = 'operator-minute:together'")) {
            assertTrue(rs.next());
            assertEquals(60, rs.getInt(1));
        }
    }

    @Test
    void aLockHoldsUntilUnlocked() throws Exception {
        assertFalse(store.isLocked("record-x").await(5, TimeUnit.SECONDS));
        assertTrue(store.lock("record-x", "number-a").await(5, TimeUnit.SECONDS));
        assertFalse(store.lock("record-x", "number-b").await(5, TimeUnit.SECONDS), "already locked");
        assertTrue(store.isLocked("record-x").await(5, TimeUnit.SECONDS));
        io.vertx.core.Future<Boolean> denied = store.unlock("record-x");
        denied.otherwiseEmpty().await(5, TimeUnit.SECONDS);
        assertTrue(denied.failed(), "the gateway's own role may not unlock");
        PostgresDatabase admin = PostgresDatabase.open(db.vertx(), db.options().asLogin());
        try {
            assertTrue(new PostgresPolicyStore(db.vertx(), admin.pool(), admin.reads())
                    .unlock("record-x")
                    .await(5, TimeUnit.SECONDS));
        } finally {
            admin.close().await(5, TimeUnit.SECONDS);
        }
        assertFalse(store.isLocked("record-x").await(5, TimeUnit.SECONDS));
    }

    @Test
    void aLookupsCountAndLockReadAreOneAnswer() throws Exception {
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS);
        List<Limit> limits = List.of(new Limit("record-day:checked", day, 2), new Limit("number-day:checked", day, 5));
        assertEquals(
                new RecordCheck(true, false),
                store.countAndCheckLock(limits, "record-checked").await(5, TimeUnit.SECONDS));
        assertTrue(store.lock("record-checked", "number-a").await(5, TimeUnit.SECONDS));
        assertEquals(
                new RecordCheck(true, true),
                store.countAndCheckLock(limits, "record-checked").await(5, TimeUnit.SECONDS),
                "the lock shows, and the second use is still within both limits");
        assertEquals(
                new RecordCheck(false, true),
                store.countAndCheckLock(limits, "record-checked").await(5, TimeUnit.SECONDS),
                "the third use is over the record's limit of two");
        assertEquals(
                new RecordCheck(true, true),
                store.countAndCheckLock(List.of(), "record-checked").await(5, TimeUnit.SECONDS),
                "with nothing to count, only the lock is read");
        assertEquals(
                new RecordCheck(true, false),
                store.countAndCheckLock(List.of(), "record-unlocked").await(5, TimeUnit.SECONDS));
        try (java.sql.Connection c = db.jdbc();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs =
                        st.executeQuery("SELECT count FROM gateway.counter WHERE key = 'number-day:checked'")) {
            assertTrue(rs.next());
            assertEquals(3, rs.getInt(1), "the reads with nothing to count counted nothing");
        }
    }

    @Test
    void lookupsCountedInOneBatchEachGetTheirOwnLockAndLimits() throws Exception {
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS);
        assertTrue(store.lock("record-batch-locked", "number-a").await(5, TimeUnit.SECONDS));
        // sent without waiting: the first ones go alone, the rest queue behind them and go together
        List<Future<RecordCheck>> checks = new ArrayList<>();
        List<Future<Boolean>> plain = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String record = i % 3 == 0 ? "record-batch-locked" : "record-batch-" + i;
            checks.add(store.countAndCheckLock(
                    List.of(new Limit("record-day:" + record, day, 4), new Limit("operator-minute:batch", day, 1000)),
                    record));
            plain.add(store.count(List.of(new Limit("number-day:batch-" + (i % 2), day, 10))));
        }
        Future.all(checks).await(10, TimeUnit.SECONDS);
        Future.all(plain).await(10, TimeUnit.SECONDS);
        int lockedWithin = 0;
        int[] numberWithin = new int[2];
        for (int i = 0; i < 30; i++) {
            RecordCheck check = checks.get(i).result();
            assertEquals(i % 3 == 0, check.locked(), "lookup " + i + ": its own record's lock");
            if (check.locked()) {
                lockedWithin += check.withinLimits() ? 1 : 0;
            } else {
                assertTrue(check.withinLimits(), "lookup " + i + ": its record's first use");
            }
            numberWithin[i % 2] += plain.get(i).result() ? 1 : 0;
        }
        assertEquals(4, lockedWithin, "the locked record, used ten times against its limit of four");
        assertEquals(10, numberWithin[0], "a number used fifteen times against its limit of ten");
        assertEquals(10, numberWithin[1], "the other number, likewise");
        try (java.sql.Connection c = db.jdbc();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs =
                        st.executeQuery("SELECT count FROM gateway.counter WHERE key = 'operator-minute:batch'")) {
            assertTrue(rs.next());
            assertEquals(30, rs.getInt(1), "one use per lookup, however they were batched");
        }
    }

    @Test
    void mismatchesArrivingTogetherShareCommitsAndStillCountOneAnother() throws Exception {
        List<io.vertx.core.Future<Void>> together = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            together.add(store.recordMismatch(100 + i, "number-burst", 3, Duration.ofHours(24), Duration.ofHours(1)));
        }
        io.vertx.core.Future.all(together).await(5, TimeUnit.SECONDS);
        assertTrue(
                store.lockedOutUntil("number-burst").await(5, TimeUnit.SECONDS).isPresent(),
                "ten mismatches at once lock the number out");
        try (java.sql.Connection c = db.jdbc();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery(
                        "SELECT count(DISTINCT xmin::text) FROM gateway.mismatch WHERE msisdn_hmac = 'number-burst'")) {
            rs.next();
            assertTrue(rs.getInt(1) < 10, "group-committed, not a disk flush each: " + rs.getInt(1) + " transactions");
        }
    }

    @Test
    void theThirdMismatchWithinTheWindowLocksTheNumberOutForAWhile() throws Exception {
        for (int i = 0; i < 2; i++) {
            store.recordMismatch(200 + i, "number-m", 3, Duration.ofHours(24), Duration.ofHours(1))
                    .await(5, TimeUnit.SECONDS);
            // the same request recorded again, as a second decision of it would: still one mismatch
            store.recordMismatch(200 + i, "number-m", 3, Duration.ofHours(24), Duration.ofHours(1))
                    .await(5, TimeUnit.SECONDS);
            assertTrue(
                    store.lockedOutUntil("number-m").await(5, TimeUnit.SECONDS).isEmpty());
        }
        store.recordMismatch(202, "number-m", 3, Duration.ofHours(24), Duration.ofHours(1))
                .await(5, TimeUnit.SECONDS);
        Instant until =
                store.lockedOutUntil("number-m").await(5, TimeUnit.SECONDS).orElseThrow();
        assertTrue(until.isAfter(Instant.now().plus(Duration.ofMinutes(59)))
                && until.isBefore(Instant.now().plus(Duration.ofMinutes(61))));
        assertTrue(
                store.lockedOutUntil("number-other").await(5, TimeUnit.SECONDS).isEmpty());
        store.forgetExpired(Duration.ofHours(24)).await(5, TimeUnit.SECONDS);
        assertEquals(
                until,
                store.lockedOutUntil("number-m").await(5, TimeUnit.SECONDS).orElseThrow(),
                "a running lockout is kept");
    }

    @Test
    void aLockoutCheckIsPlannedAsAnIndexLookupEvenWhenTheTableWasLastSeenEmpty() throws Exception {
        // as on a new install, or once the last lockouts expired and were forgotten: the plan a read
        // connection makes then is the one it keeps as the table grows again
        try (Connection c = db.jdbc();
                Statement s = c.createStatement()) {
            s.execute("DELETE FROM gateway.lockout");
            s.execute("VACUUM ANALYZE gateway.lockout");
        }
        String plan = GenericPlan.of(db.database().reads(), PostgresPolicyStore.LOCKED_OUT);
        assertTrue(plan.contains("Index Scan using lockout_pkey"), plan);
    }
}
