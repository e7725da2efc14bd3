package vn.tracuu.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.PostgresDatabase;

/**
 * What this machine's PostgreSQL does at all, as the three figures the goals were set
 * against ("~40,000 primary-key reads/s, ~4,000-14,000 single-row commits/s, ~34,000 messages/s
 * when 10 share one pipelined transaction"): the same figures measured here say how this machine
 * compares with that one, which the floors, being ratios, do not. Each runs as a closed loop with
 * the pool's connections all busy, over the gateway's own pool and connection (Unix socket or
 * TCP); the commits are synchronous, with fsync on, as the gateway's are.
 */
final class MachineReference {

    /** Where the writes go: created here, dropped after, never one of the gateway's tables. */
    static final String TABLE = "public.machine_reference";

    private static final int ROWS_PER_TRANSACTION = 10;

    /**
     * Per second: rows read by primary key, single-row commits, rows committed ten to a transaction;
     * and how many rows the batched commits' transactions held, counted in the table afterwards.
     */
    record Figures(
            int connections,
            double primaryKeyReads,
            double singleRowCommits,
            double rowsTenToATransaction,
            double rowsPerBatchedTransaction) {

        JsonObject json() {
            return new JsonObject()
                    .put("connections", connections)
                    .put("primaryKeyReadsPerSecond", Math.round(primaryKeyReads))
                    .put("singleRowCommitsPerSecond", Math.round(singleRowCommits))
                    .put("rowsPerSecondTenToATransaction", Math.round(rowsTenToATransaction))
                    .put("rowsPerBatchedTransaction", Math.round(rowsPerBatchedTransaction * 100) / 100.0);
        }
    }

    private MachineReference() {}

    /**
     * Blocks for three times {@code warmup} and {@code duration}: call it from the benchmark's main
     * thread, never an event loop. Reads subscribers by their number (the registry's primary key),
     * {@code numbers} in turn.
     */
    static Figures measure(
            Vertx vertx, DatabaseOptions login, List<LoadRun.Number> numbers, Duration warmup, Duration duration)
            throws Exception {
        // a run cut short leaves its table behind
        JdbcStatements.execute(
                login,
                "DROP TABLE IF EXISTS " + TABLE,
                "CREATE TABLE " + TABLE
                        + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), body text NOT NULL)");
        PostgresDatabase database = PostgresDatabase.open(vertx, login);
        try {
            Pool pool = database.pool();
            int connections = login.poolSize();
            int[] next = {0};
            double reads = await(
                    ClosedLoop.perSecond(
                            vertx,
                            connections,
                            warmup,
                            duration,
                            () -> pool.preparedQuery("SELECT status FROM subscribers.subscriber WHERE msisdn = $1")
                                    .execute(Tuple.of(numbers.get(next[0]++ % numbers.size())
                                            .msisdn()))
                                    .map(rows -> rows.size())),
                    warmup,
                    duration);
            String insert = "INSERT INTO " + TABLE + " (body) VALUES ($1)";
            double commits = await(
                    ClosedLoop.perSecond(
                            vertx,
                            connections,
                            warmup,
                            duration,
                            () -> pool.preparedQuery(insert)
                                    .execute(Tuple.of("one"))
                                    .map(r -> r.rowCount())),
                    warmup,
                    duration);
            List<Tuple> ten = new ArrayList<>();
            for (int i = 0; i < ROWS_PER_TRANSACTION; i++) {
                ten.add(Tuple.of("ten"));
            }
            // one Sync after the ten: PostgreSQL runs them as one implicit transaction, one commit
            double batched = await(
                    ClosedLoop.perSecond(
                            vertx,
                            connections,
                            warmup,
                            duration,
                            () -> pool.preparedQuery(insert).executeBatch(ten).map(r -> ROWS_PER_TRANSACTION)),
                    warmup,
                    duration);
            // every row a transaction writes carries its id as xmin
            double perTransaction = Double.parseDouble(JdbcStatements.firstValue(
                    login,
                    "SELECT count(*)::float8 / greatest(count(DISTINCT xmin::text), 1) FROM " + TABLE
                            + " WHERE body = 'ten'"));
            return new Figures(connections, reads, commits, batched, perTransaction);
        } finally {
            database.close().await(30, TimeUnit.SECONDS);
            JdbcStatements.execute(login, "DROP TABLE " + TABLE);
        }
    }

    private static double await(Future<Double> perSecond, Duration warmup, Duration duration) throws Exception {
        return perSecond.await(warmup.toSeconds() + duration.toSeconds() + 60, TimeUnit.SECONDS);
    }
}
