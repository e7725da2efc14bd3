package vn.tracuu.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import vn.tracuu.core.port.out.PolicyStore;

/** Record locks, limit counters and mismatch lockouts in the {@code gateway} schema, shared by all nodes. */
public final class PostgresPolicyStore implements PolicyStore {

    // The counts of a batch of lookups, each with its limits (one use each: key, window, maximum,
    // the lookup's place in the batch) and the record whose lock it reads (NULL: none). Each key is
    // updated once, by its number of uses: ON CONFLICT may not update a row twice in one statement.
    // One statement per lookup was PostgreSQL's dearest; batched, it costs less than half as much
    // per lookup (load-tests/FINDINGS.md). Each use gets the count it would have had, had the batch's uses
    // of its key come one after another in batch order.
    // Committed asynchronously (set_config local to the statement's own transaction): every lookup
    // bumps its operator's counter row, and with a synchronous commit each would hold that row's
    // lock through a disk flush. A crash loses at most the last fraction of a second of counts,
    // letting a few lookups more through a limit; requests, replies, audit entries, mismatches and
    // lockouts keep synchronous commits.
    // A key's row holds its latest window: a later window starts again; a use stamped with an
    // earlier window (another node's clock, or the batch straddling the window's end) counts in
    // the latest.
    private static final String COUNT_AND_CHECK_LOCKS =
            "WITH uses AS (SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::int4[], $4::int4[]) AS u(key, window_start, max, n)), "
                    + "per_key AS (SELECT key, max(window_start) AS window_start, count(*)::int4 AS uses FROM uses GROUP BY key), "
                    + "counted AS (INSERT INTO gateway.counter AS c (key, window_start, count) SELECT key, window_start, uses FROM per_key "
                    + "WHERE set_config('synchronous_commit', 'off', true) = 'off' "
                    + "ON CONFLICT (key) DO UPDATE SET count = CASE WHEN EXCLUDED.window_start > c.window_start THEN EXCLUDED.count "
                    + "ELSE c.count + EXCLUDED.count END, window_start = GREATEST(c.window_start, EXCLUDED.window_start) "
                    + "RETURNING key, count), "
                    + "each_use AS (SELECT u.n, c.count - p.uses + row_number() OVER (PARTITION BY u.key ORDER BY u.n) <= u.max AS within "
                    + "FROM uses u JOIN per_key p USING (key) JOIN counted c USING (key)), "
                    + "per_lookup AS (SELECT n, bool_and(within) AS within FROM each_use GROUP BY n) "
                    + "SELECT l.n, coalesce(w.within, true) AS within, r.id_hmac IS NOT NULL AS locked "
                    + "FROM unnest($5::text[]) WITH ORDINALITY AS l(id_hmac, n) LEFT JOIN per_lookup w ON w.n = l.n "
                    // a lateral lookup by key: a plan made on an empty table could read the whole table for a join
                    + "LEFT JOIN LATERAL (SELECT id_hmac FROM gateway.record_lock WHERE id_hmac = l.id_hmac LIMIT 1) r ON true";
    // a counter of an older window is a new window's zero, a missing counter is zero; each counter
    // read by key (a lateral lookup: a join planned on an empty table could read the whole table)
    private static final String WITHIN =
            "SELECT coalesce(bool_and(c.count <= u.max), true) FROM unnest($1::text[], $2::timestamptz[], $3::int4[]) AS u(key, window_start, max) "
                    + "LEFT JOIN LATERAL (SELECT count FROM gateway.counter WHERE key = u.key AND window_start >= u.window_start LIMIT 1) c ON true";
    private static final String IS_LOCKED = "SELECT 1 FROM gateway.record_lock WHERE id_hmac = $1";
    private static final String LOCK =
            "INSERT INTO gateway.record_lock (id_hmac, locked_by) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    private static final String UNLOCK = "DELETE FROM gateway.record_lock WHERE id_hmac = $1";
    static final String LOCKED_OUT = "SELECT until FROM gateway.lockout WHERE msisdn_hmac = $1 AND until > now()";
    // one row per request ($3): a request decided twice adds nothing the second time. The CTE's row
    // is not visible to the SELECT of the same statement: hence the added count
    private static final String MISMATCH =
            "WITH added AS (INSERT INTO gateway.mismatch (msisdn_hmac, at, request_id) VALUES ($1, now(), $3) "
                    + "ON CONFLICT (request_id) DO NOTHING RETURNING 1), n AS (SELECT count(*) AS added FROM added) "
                    + "SELECT n.added, n.added + (SELECT count(*) FROM gateway.mismatch WHERE msisdn_hmac = $1 "
                    + "AND at > now() - make_interval(secs => $2)) FROM n";
    private static final String LOCK_OUT =
            "INSERT INTO gateway.lockout (msisdn_hmac, until) VALUES ($1, now() + make_interval(secs => $2)) "
                    + "ON CONFLICT (msisdn_hmac) DO UPDATE SET until = EXCLUDED.until";
    private static final String FORGET =
            "WITH c AS (DELETE FROM gateway.counter WHERE window_start < now() - interval '2 days'), "
                    + "m AS (DELETE FROM gateway.mismatch WHERE at < now() - make_interval(secs => $1)) "
                    + "DELETE FROM gateway.lockout WHERE until < now()";

    private record Lookup(List<Limit> limits, String idPseudonym) {}

    private final Pool pool;
    private final SqlClient reads;
    private final GroupCommitter<Lookup, Row> counts;
    private final GroupCommitter<Tuple, RowSet<Row>> mismatches;

    /**
     * {@code reads} takes the lock and lockout reads and the counters, whose asynchronous commits
     * never wait for a disk flush; {@code pool} the writes that do.
     */
    public PostgresPolicyStore(Vertx vertx, Pool pool, SqlClient reads) {
        this.pool = pool;
        this.reads = reads;
        this.counts = GroupCommitter.oneStatement(
                vertx,
                reads,
                COUNT_AND_CHECK_LOCKS,
                PostgresPolicyStore::countColumns,
                PostgresRequestStore.DEFAULT_MAX_BATCH,
                PostgresRequestStore.DEFAULT_MAX_QUEUED,
                PostgresRequestStore.DEFAULT_MAX_IN_FLIGHT,
                Duration.ZERO);
        // a tenth of the benchmark's messages are mismatches: each committing alone held a pooled
        // connection through its own disk flush. One transaction at a time, so each count sees every
        // earlier mismatch: those of its own batch (earlier statements of the same transaction) and
        // those committed before; two concurrent commits could each miss the other's.
        this.mismatches = GroupCommitter.statementPerItem(
                vertx,
                pool,
                MISMATCH,
                PostgresRequestStore.DEFAULT_MAX_BATCH,
                PostgresRequestStore.DEFAULT_MAX_QUEUED,
                1);
    }

    @Override
    public Future<Boolean> count(List<Limit> limits) {
        return counts.submit(new Lookup(limits, null)).map(row -> row.getBoolean("within"));
    }

    @Override
    public Future<Boolean> within(List<Limit> limits) {
        return PostgresDatabase.read(
                        reads,
                        WITHIN,
                        Tuple.of(
                                limits.stream().map(Limit::key).toArray(String[]::new),
                                limits.stream()
                                        .map(l -> l.windowStart().atOffset(ZoneOffset.UTC))
                                        .toArray(OffsetDateTime[]::new),
                                limits.stream().map(Limit::max).toArray(Integer[]::new)))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    @Override
    public Future<RecordCheck> countAndCheckLock(List<Limit> limits, String idPseudonym) {
        return counts.submit(new Lookup(limits, idPseudonym))
                .map(row -> new RecordCheck(row.getBoolean("within"), row.getBoolean("locked")));
    }

    /** The batch statement's arrays: one element per use of a limit, then one per lookup. */
    private static Tuple countColumns(List<Lookup> batch) {
        List<String> keys = new ArrayList<>();
        List<OffsetDateTime> windows = new ArrayList<>();
        List<Integer> maxima = new ArrayList<>();
        List<Integer> places = new ArrayList<>();
        String[] ids = new String[batch.size()];
        for (int n = 0; n < batch.size(); n++) {
            for (Limit limit : batch.get(n).limits()) {
                keys.add(limit.key());
                windows.add(limit.windowStart().atOffset(ZoneOffset.UTC));
                maxima.add(limit.max());
                places.add(n + 1);
            }
            ids[n] = batch.get(n).idPseudonym();
        }
        return Tuple.of(
                keys.toArray(String[]::new),
                windows.toArray(OffsetDateTime[]::new),
                maxima.toArray(Integer[]::new),
                places.toArray(Integer[]::new),
                ids);
    }

    @Override
    public Future<Boolean> isLocked(String idPseudonym) {
        return PostgresDatabase.read(reads, IS_LOCKED, Tuple.of(idPseudonym)).map(rows -> rows.size() > 0);
    }

    @Override
    public Future<Boolean> lock(String idPseudonym, String byMsisdnPseudonym) {
        return pool.preparedQuery(LOCK)
                .execute(Tuple.of(idPseudonym, byMsisdnPseudonym))
                .map(rows -> rows.rowCount() == 1);
    }

    @Override
    public Future<Boolean> unlock(String idPseudonym) {
        return pool.preparedQuery(UNLOCK).execute(Tuple.of(idPseudonym)).map(rows -> rows.rowCount() > 0);
    }

    @Override
    public Future<Optional<Instant>> lockedOutUntil(String msisdnPseudonym) {
        return PostgresDatabase.read(reads, LOCKED_OUT, Tuple.of(msisdnPseudonym))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(
                                rows.iterator().next().getOffsetDateTime(0).toInstant()));
    }

    @Override
    public Future<Void> recordMismatch(
            long requestId, String msisdnPseudonym, int threshold, Duration window, Duration lockout) {
        return mismatches
                .submit(Tuple.of(msisdnPseudonym, seconds(window), requestId))
                .compose(rows -> {
                    Row row = rows.iterator().next();
                    // recorded before: this request's lockout, if any, was decided then
                    return row.getLong(0) == 0 || row.getLong(1) < threshold
                            ? Future.succeededFuture()
                            : pool.preparedQuery(LOCK_OUT)
                                    .execute(Tuple.of(msisdnPseudonym, seconds(lockout)))
                                    .mapEmpty();
                });
    }

    /** Drops counters, mismatches and lockouts that can no longer matter. */
    public Future<Void> forgetExpired(Duration mismatchWindow) {
        return pool.preparedQuery(FORGET)
                .execute(Tuple.of(seconds(mismatchWindow)))
                .mapEmpty();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
