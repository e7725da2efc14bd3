package vn.tracuu.postgres;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import vn.tracuu.core.port.Overloaded;

/**
 * Runs one statement for many callers in shared transactions (DESIGN §4: a commit per message
 * caps throughput far below what the database reads). While a transaction is in flight, new
 * rows queue; the next transaction takes up to {@code maxBatch} of them. Each caller's future
 * completes, with its own row set, only once its transaction committed. The queue is bounded:
 * past {@code maxQueued} a caller is refused at once with {@link Overloaded}.
 */
final class GroupCommitter {

  private record Pending(Tuple tuple, Promise<RowSet<Row>> promise) {
  }

  private final Pool pool;
  private final Context context;
  private final String sql;
  private final int maxBatch;
  private final int maxQueued;
  private final int maxInFlight;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int inFlight;

  GroupCommitter(Vertx vertx, Pool pool, String sql, int maxBatch, int maxQueued, int maxInFlight) {
    this.pool = pool;
    this.context = vertx.getOrCreateContext();
    this.sql = sql;
    this.maxBatch = maxBatch;
    this.maxQueued = maxQueued;
    this.maxInFlight = maxInFlight;
  }

  Future<RowSet<Row>> submit(Tuple tuple) {
    Promise<RowSet<Row>> promise = Promise.promise();
    context.runOnContext(v -> {
      if (queue.size() >= maxQueued) {
        promise.fail(new Overloaded("durable write queue"));
        return;
      }
      queue.add(new Pending(tuple, promise));
      flushIfIdle();
    });
    return promise.future();
  }

  private void flushIfIdle() {
    while (inFlight < maxInFlight && !queue.isEmpty()) {
      List<Pending> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
      while (batch.size() < maxBatch && !queue.isEmpty()) {
        batch.add(queue.poll());
      }
      inFlight++;
      List<Tuple> tuples = batch.stream().map(Pending::tuple).toList();
      // no BEGIN and COMMIT round trips: a batch is sent with one Sync, so PostgreSQL runs it as
      // one implicit transaction, committed (or rolled back whole) before it answers
      pool.preparedQuery(sql).executeBatch(tuples)
          .onComplete(done -> context.runOnContext(v -> {
            inFlight--;
            Throwable failure = done.cause() instanceof ConnectionPoolTooBusyException
                ? new Overloaded("database connection pool")
                : done.cause();
            complete(batch, done.succeeded() ? done.result() : null, failure);
            flushIfIdle();
          }));
    }
  }

  private static void complete(List<Pending> batch, RowSet<Row> first, Throwable failure) {
    RowSet<Row> rows = first;
    for (Pending p : batch) {
      if (failure != null) {
        p.promise().fail(failure);
      } else {
        p.promise().complete(rows);
        rows = rows == null ? null : rows.next();
      }
    }
  }
}
