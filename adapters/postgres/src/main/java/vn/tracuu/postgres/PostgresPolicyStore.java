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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import vn.tracuu.core.port.PolicyStore;

/** Record locks, limit counters and mismatch lockouts in the {@code gateway} schema, shared by all nodes. */
public final class PostgresPolicyStore implements PolicyStore {

  // Committed asynchronously (set_config local to this statement's own transaction): every lookup
  // bumps its operator's counter row, and with a synchronous commit each holds that row's lock
  // through a disk flush, queueing all lookups behind one another. A crash loses at most the
  // last fraction of a second of counts, letting a few lookups more through a limit; requests,
  // replies, audit entries, mismatches and lockouts keep synchronous commits.
  // A key's row holds its latest window: a later window starts again from one; a use stamped
  // with an earlier window (another node's clock) counts in the latest.
  private static final String COUNT =
      "INSERT INTO gateway.counter AS c (key, window_start, count) SELECT k, w, 1 FROM unnest($1::text[], $2::timestamptz[]) AS u(k, w) "
          + "WHERE set_config('synchronous_commit', 'off', true) = 'off' "
          + "ON CONFLICT (key) DO UPDATE SET count = CASE WHEN EXCLUDED.window_start > c.window_start THEN 1 ELSE c.count + 1 END, "
          + "window_start = GREATEST(c.window_start, EXCLUDED.window_start) RETURNING key, count";
  private static final String IS_LOCKED = "SELECT 1 FROM gateway.record_lock WHERE id_hmac = $1";
  // A lookup's lock read rides on its counters' statement: one statement fewer to start, and one
  // wake-up fewer on each side. One row even with no limits to count (key NULL), as the lock is
  // read all the same; then the insert has no rows and writes nothing.
  private static final String COUNT_AND_CHECK_LOCK =
      "WITH c AS (" + COUNT + "), l AS (SELECT EXISTS (SELECT 1 FROM gateway.record_lock WHERE id_hmac = $3) AS locked) "
          + "SELECT l.locked, c.key, c.count FROM l LEFT JOIN c ON true";
  private static final String LOCK = "INSERT INTO gateway.record_lock (id_hmac, locked_by) VALUES ($1, $2) ON CONFLICT DO NOTHING";
  private static final String UNLOCK = "DELETE FROM gateway.record_lock WHERE id_hmac = $1";
  static final String LOCKED_OUT = "SELECT until FROM gateway.lockout WHERE msisdn_hmac = $1 AND until > now()";
  // the CTE's row is not visible to the SELECT of the same statement: hence the + 1
  private static final String MISMATCH =
      "WITH added AS (INSERT INTO gateway.mismatch (msisdn_hmac, at) VALUES ($1, now()) RETURNING 1) "
          + "SELECT count(*) + 1 FROM gateway.mismatch WHERE msisdn_hmac = $1 AND at > now() - make_interval(secs => $2)";
  private static final String LOCK_OUT =
      "INSERT INTO gateway.lockout (msisdn_hmac, until) VALUES ($1, now() + make_interval(secs => $2)) "
          + "ON CONFLICT (msisdn_hmac) DO UPDATE SET until = EXCLUDED.until";
  private static final String FORGET =
      "WITH c AS (DELETE FROM gateway.counter WHERE window_start < now() - interval '2 days'), "
          + "m AS (DELETE FROM gateway.mismatch WHERE at < now() - make_interval(secs => $1)) "
          + "DELETE FROM gateway.lockout WHERE until < now()";

  private final Pool pool;
  private final SqlClient reads;
  private final GroupCommitter<Tuple, RowSet<Row>> mismatches;

  /**
   * {@code reads} takes the lock and lockout reads and the counters, whose asynchronous commits
   * never wait for a disk flush; {@code pool} the writes that do.
   */
  public PostgresPolicyStore(Vertx vertx, Pool pool, SqlClient reads) {
    this.pool = pool;
    this.reads = reads;
    // a tenth of the benchmark's messages are mismatches: each committing alone held a pooled
    // connection through its own disk flush. One transaction at a time, so each count sees every
    // earlier mismatch: those of its own batch (earlier statements of the same transaction) and
    // those committed before; two concurrent commits could each miss the other's.
    this.mismatches = GroupCommitter.statementPerItem(vertx, pool, MISMATCH, PostgresRequestStore.DEFAULT_MAX_BATCH,
        PostgresRequestStore.DEFAULT_MAX_QUEUED, 1);
  }

  @Override
  public Future<Boolean> count(List<Limit> limits) {
    Map<String, Integer> max = new HashMap<>();
    return reads.preparedQuery(COUNT).execute(counted(limits, max)).map(rows -> within(rows, max));
  }

  @Override
  public Future<RecordCheck> countAndCheckLock(List<Limit> limits, String idPseudonym) {
    Map<String, Integer> max = new HashMap<>();
    return reads.preparedQuery(COUNT_AND_CHECK_LOCK).execute(counted(limits, max).addString(idPseudonym))
        .map(rows -> new RecordCheck(within(rows, max), rows.iterator().next().getBoolean("locked")));
  }

  /** The counter statement's arrays of keys and windows; {@code max} gets each key's maximum. */
  private static Tuple counted(List<Limit> limits, Map<String, Integer> max) {
    String[] keys = new String[limits.size()];
    OffsetDateTime[] windows = new OffsetDateTime[limits.size()];
    for (int i = 0; i < limits.size(); i++) {
      keys[i] = limits.get(i).key();
      windows[i] = limits.get(i).windowStart().atOffset(ZoneOffset.UTC);
      max.put(keys[i], limits.get(i).max());
    }
    return Tuple.tuple().addArrayOfString(keys).addArrayOfOffsetDateTime(windows);
  }

  private static boolean within(RowSet<Row> rows, Map<String, Integer> max) {
    boolean within = true;
    for (Row r : rows) {
      String key = r.getString("key");
      within &= key == null || r.getInteger("count") <= max.get(key);
    }
    return within;
  }

  @Override
  public Future<Boolean> isLocked(String idPseudonym) {
    return reads.preparedQuery(IS_LOCKED).execute(Tuple.of(idPseudonym)).map(rows -> rows.size() > 0);
  }

  @Override
  public Future<Boolean> lock(String idPseudonym, String byMsisdnPseudonym) {
    return pool.preparedQuery(LOCK).execute(Tuple.of(idPseudonym, byMsisdnPseudonym)).map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<Boolean> unlock(String idPseudonym) {
    return pool.preparedQuery(UNLOCK).execute(Tuple.of(idPseudonym)).map(rows -> rows.rowCount() > 0);
  }

  @Override
  public Future<Optional<Instant>> lockedOutUntil(String msisdnPseudonym) {
    return reads.preparedQuery(LOCKED_OUT).execute(Tuple.of(msisdnPseudonym)).map(rows -> rows.size() == 0
        ? Optional.empty()
        : Optional.of(rows.iterator().next().getOffsetDateTime(0).toInstant()));
  }

  @Override
  public Future<Void> recordMismatch(String msisdnPseudonym, int threshold, Duration window, Duration lockout) {
    return mismatches.submit(Tuple.of(msisdnPseudonym, seconds(window))).compose(rows -> {
      long mismatches = rows.iterator().next().getLong(0);
      return mismatches < threshold
          ? Future.succeededFuture()
          : pool.preparedQuery(LOCK_OUT).execute(Tuple.of(msisdnPseudonym, seconds(lockout))).mapEmpty();
    });
  }

  /** Drops counters, mismatches and lockouts that can no longer matter. */
  public Future<Void> forgetExpired(Duration mismatchWindow) {
    return pool.preparedQuery(FORGET).execute(Tuple.of(seconds(mismatchWindow))).mapEmpty();
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
