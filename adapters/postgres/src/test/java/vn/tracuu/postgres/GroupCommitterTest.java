package vn.tracuu.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.port.Overloaded;

class GroupCommitterTest {

    private static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.start();
        try (var c = db.jdbc();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE gateway.batch_probe (n int PRIMARY KEY)");
            s.execute("GRANT SELECT, INSERT ON gateway.batch_probe TO " + DatabaseOptions.DEFAULT_ROLE);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void oneStatementForABatchAnswersEachCallerWithItsOwnRow() throws Exception {
        // the statement doubles each number and answers only for the even ones
        GroupCommitter<Integer, Row> committer = GroupCommitter.oneStatement(
                db.vertx(),
                db.database().pool(),
                "SELECT n, v * 2 AS doubled FROM unnest($1::int4[]) WITH ORDINALITY AS u(v, n) WHERE v % 2 = 0",
                items -> Tuple.of((Object) items.toArray(new Integer[0])),
                64,
                100,
                1,
                Duration.ZERO);
        List<Future<Row>> answers = new ArrayList<>();
        for (int v = 100; v < 120; v++) {
            answers.add(committer.submit(v));
        }
        Future.all(answers).await(5, TimeUnit.SECONDS);
        for (int i = 0; i < answers.size(); i++) {
            Row row = answers.get(i).result();
            int v = 100 + i;
            if (v % 2 == 0) {
                assertEquals(2 * v, row.getInteger("doubled"), "the answer to " + v);
            } else {
                assertNull(row, "no row for " + v);
            }
        }
    }

    @Test
    void aBatchCommitsWholeOrNotAtAll() throws Exception {
        // one transaction at a time, so the rows queued meanwhile share the next one
        GroupCommitter<Tuple, ?> committer = GroupCommitter.statementPerItem(
                db.vertx(), db.database().pool(), "INSERT INTO gateway.batch_probe (n) VALUES ($1)", 64, 100, 1);
        List<Future<?>> first = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            first.add(committer.submit(Tuple.of(n)));
        }
        Future.join(new ArrayList<>(first)).await(5, TimeUnit.SECONDS);
        List<Future<?>> second = new ArrayList<>();
        // 5 is there already: the transaction holding 11..20 and this duplicate fails as a whole
        for (int n : new int[] {11, 12, 13, 5, 14}) {
            second.add(committer.submit(Tuple.of(n)));
        }
        Future.join(new ArrayList<>(second)).otherwiseEmpty().await(5, TimeUnit.SECONDS);
        assertTrue(first.stream().allMatch(Future::succeeded));
        try (var c = db.jdbc();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM gateway.batch_probe")) {
            r.next();
            long failed = second.stream().filter(Future::failed).count();
            assertEquals(10 + (5 - failed), r.getLong(1), "a caller is told its row is stored only if it is");
        }
    }

    @Test
    void aLingeringBatchGoesAsSoonAsItIsFull() throws Exception {
        List<Future<Row>> answers = submitOneTo(lingering(4, Duration.ofMinutes(1)), 4);
        // well within the minute it would otherwise wait
        Future.all(answers).await(5, TimeUnit.SECONDS);
        assertEquals(1, transactions(answers), "one transaction");
    }

    @Test
    void drainingSendsWhatLingersAtOnceInOneTransaction() throws Exception {
        GroupCommitter<Integer, Row> committer = lingering(64, Duration.ofMinutes(1));
        List<Future<Row>> answers = submitOneTo(committer, 3);
        assertTrue(answers.stream().noneMatch(Future::isComplete), "three of 64 wait for company");
        committer.drain().await(5, TimeUnit.SECONDS);
        assertTrue(answers.stream().allMatch(Future::succeeded), "committed once drained");
        assertEquals(1, transactions(answers), "one transaction");
        // once draining, an item does not wait
        assertEquals(4, committer.submit(4).await(5, TimeUnit.SECONDS).getInteger("v"));
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        GroupCommitter<Integer, Row> committer = GroupCommitter.oneStatement(
                db.vertx(),
                db.database().pool(),
                "SELECT n, v, txid_current() AS tx FROM unnest($1::int4[]) WITH ORDINALITY AS u(v, n)",
                items -> Tuple.of((Object) items.toArray(new Integer[0])),
                64,
                3,
                1,
                Duration.ofMinutes(1));
        List<Future<Row>> waiting = submitOneTo(committer, 3);
        Future<Row> fourth = committer.submit(4);
        // already failed when submit returns: the caller starts nothing else for it
        assertTrue(fourth.failed() && fourth.cause() instanceof Overloaded, String.valueOf(fourth.cause()));
        committer.drain().await(5, TimeUnit.SECONDS);
        assertTrue(waiting.stream().allMatch(Future::succeeded), "the three queued before it are committed");
        assertEquals(5, committer.submit(5).await(5, TimeUnit.SECONDS).getInteger("v"), "and the queue has room again");
    }

    /** Submits 1 to {@code last}. */
    private static List<Future<Row>> submitOneTo(GroupCommitter<Integer, Row> committer, int last) {
        List<Future<Row>> answers = new ArrayList<>();
        for (int v = 1; v <= last; v++) {
            answers.add(committer.submit(v));
        }
        return answers;
    }

    private static long transactions(List<Future<Row>> answers) {
        return answers.stream().map(a -> a.result().getLong("tx")).distinct().count();
    }

    private static GroupCommitter<Integer, Row> lingering(int maxBatch, Duration linger) {
        return GroupCommitter.oneStatement(
                db.vertx(),
                db.database().pool(),
                "SELECT n, v, txid_current() AS tx FROM unnest($1::int4[]) WITH ORDINALITY AS u(v, n)",
                items -> Tuple.of((Object) items.toArray(new Integer[0])),
                maxBatch,
                100,
                1,
                linger);
    }
}
