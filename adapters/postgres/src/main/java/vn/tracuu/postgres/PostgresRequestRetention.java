package vn.tracuu.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The retention of requests and their replies (the retention job's, hourly): answered requests
 * with their replies once sent or expired, and lookup notices sent or expired, in batches, oldest
 * first. Apart from {@link PostgresRequestStore}, which writes them as they come and go.
 */
public final class PostgresRequestRetention {

    // Retention: answered requests received before $1, with their replies once sent or expired, a
    // batch of at most $2 at a time, oldest first by key. The advisory lock, taken for the
    // statement's transaction, lets one node purge at a time; another finds nothing to do.
    private static final String PURGE = "WITH one_node AS (SELECT pg_try_advisory_xact_lock(7402, 1) AS ours), "
            // the reply is read by key and its state tested outside: a state in the lateral's WHERE
            // let the planner read the whole outbox through its partial index instead
            + "doomed AS (SELECT q.id FROM gateway.request q LEFT JOIN LATERAL (SELECT p.state FROM gateway.reply p "
            + "WHERE p.request_id = q.id LIMIT 1) r ON true WHERE (SELECT ours FROM one_node) "
            + "AND q.answered AND q.received_at < $1 AND (r.state IS NULL OR r.state <> 'pending') "
            + "ORDER BY q.id LIMIT $2 FOR UPDATE OF q SKIP LOCKED), "
            + "ids AS MATERIALIZED (SELECT ARRAY(SELECT id FROM doomed) AS ids), "
            + "replies AS (DELETE FROM gateway.reply WHERE request_id = ANY((SELECT ids FROM ids)::int8[])) "
            + "DELETE FROM gateway.request WHERE id = ANY((SELECT ids FROM ids)::int8[])";

    // Retention of notices: sent or expired before $1, a batch of at most $2, rows another node
    // is deleting skipped.
    private static final String PURGE_NOTICES =
            "DELETE FROM gateway.reply WHERE request_id = ANY(ARRAY(SELECT request_id "
                    + "FROM gateway.reply WHERE notice AND created_at < $1 AND state <> 'pending' ORDER BY created_at LIMIT $2 "
                    + "FOR UPDATE SKIP LOCKED))";

    private final Pool pool;

    public PostgresRequestRetention(Pool pool) {
        this.pool = pool;
    }

    /** Removes up to {@code batch} notices sent or expired before {@code cutoff}; returns how many went. */
    public Future<Integer> purgeNotices(Instant cutoff, int batch) {
        return pool.preparedQuery(PURGE_NOTICES)
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), batch))
                .map(RowSet::rowCount);
    }

    /**
     * Removes up to {@code batch} answered requests received before {@code cutoff}, each with its
     * reply once sent or expired; returns how many requests went. One node at a time.
     */
    public Future<Integer> purgeAnswered(Instant cutoff, int batch) {
        return pool.preparedQuery(PURGE)
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), batch))
                .map(RowSet::rowCount);
    }
}
