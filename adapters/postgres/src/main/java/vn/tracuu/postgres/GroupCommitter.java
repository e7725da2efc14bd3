package vn.tracuu.postgres;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.lang.reflect.Array;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import vn.tracuu.core.port.Overloaded;

/**
 * Runs many callers' writes in shared transactions (DESIGN §4: a commit per message caps
 * throughput far below what the database reads). While a transaction is in flight, new items
 * queue; the next transaction takes up to {@code maxBatch} of them. Each caller's future
 * completes, with its own result, only once its transaction committed. The queue is bounded:
 * past {@code maxQueued} a caller is refused at once, with a future already failed with
 * {@link Overloaded} when {@link #submit} returns. Writes no one waits for may linger: a batch
 * then waits up to {@code linger} for company before it is sent, so at a low rate it still
 * carries several items, not one commit each.
 *
 * @param <T> what a caller submits
 * @param <R> what a caller gets back once committed
 */
final class GroupCommitter<T, R> {

    private record Pending<T, R>(T item, Promise<R> promise, long queuedAt) {}

    private final Context context;
    private final Function<List<T>, Future<List<R>>> transaction;
    private final int maxBatch;
    private final int maxQueued;
    private final int maxInFlight;
    private final long lingerNanos;
    private final String queueName;
    private final ArrayDeque<Pending<T, R>> queue = new ArrayDeque<>();
    // submitted and not yet in a batch: counted on the caller's thread, before the hop to the context
    private final AtomicInteger waiting = new AtomicInteger();
    private int inFlight;
    private long lingerTimer = -1;
    private Promise<Void> drained;

    /** {@code queueName}: the connections' wait queue, named in {@link Overloaded} when it is full. */
    private GroupCommitter(
            Vertx vertx,
            Function<List<T>, Future<List<R>>> transaction,
            int maxBatch,
            int maxQueued,
            int maxInFlight,
            Duration linger,
            String queueName) {
        this.context = vertx.getOrCreateContext();
        this.transaction = transaction;
        this.maxBatch = maxBatch;
        this.maxQueued = maxQueued;
        this.maxInFlight = maxInFlight;
        this.lingerNanos = linger.toNanos();
        this.queueName = queueName;
    }

    /**
     * One statement per item, all sent with one Sync, so PostgreSQL runs them as one implicit
     * transaction: each sees the earlier ones' writes. Each caller gets its own statement's rows.
     */
    static GroupCommitter<Tuple, RowSet<Row>> statementPerItem(
            Vertx vertx, Pool pool, String sql, int maxBatch, int maxQueued, int maxInFlight) {
        return new GroupCommitter<>(
                vertx,
                tuples -> pool.preparedQuery(sql).executeBatch(tuples).map(first -> {
                    List<RowSet<Row>> each = new ArrayList<>(tuples.size());
                    for (RowSet<Row> rows = first; rows != null; rows = rows.next()) {
                        each.add(rows);
                    }
                    return each;
                }),
                maxBatch,
                maxQueued,
                maxInFlight,
                Duration.ZERO,
                PostgresDatabase.POOL_QUEUE);
    }

    /**
     * One statement for the whole batch, which gets the items' parameters as arrays from
     * {@code arrays}: PostgreSQL starts one statement, not one per item, which pgbench measured at
     * about half the cost per item (load-tests/FINDINGS.md). The statement returns at most one row
     * per item, its first column the item's place in
     * the batch (from 1, as {@code WITH ORDINALITY} numbers); a caller whose item has no row gets
     * null. {@code linger}: zero for writes a caller waits for. {@code client}: the pool, or the
     * pipelined read connections for writes that never wait for a disk flush (the counters).
     */
    static <T> GroupCommitter<T, Row> oneStatement(
            Vertx vertx,
            SqlClient client,
            String sql,
            Function<List<T>, Tuple> arrays,
            int maxBatch,
            int maxQueued,
            int maxInFlight,
            Duration linger) {
        return new GroupCommitter<>(
                vertx,
                items -> client.preparedQuery(sql).execute(arrays.apply(items)).map(rows -> {
                    List<Row> each = new ArrayList<>(items.size());
                    for (int i = 0; i < items.size(); i++) {
                        each.add(null);
                    }
                    for (Row r : rows) {
                        each.set(r.getInteger(0) - 1, r);
                    }
                    return each;
                }),
                maxBatch,
                maxQueued,
                maxInFlight,
                linger,
                PostgresDatabase.queueOf(client));
    }

    /** The columns of same-shaped tuples as arrays of the given element types, one parameter each. */
    static Tuple columns(List<Tuple> rows, List<Class<?>> types) {
        Object[] columns = new Object[types.size()];
        for (int c = 0; c < types.size(); c++) {
            Object[] column = (Object[]) Array.newInstance(types.get(c), rows.size());
            for (int r = 0; r < rows.size(); r++) {
                column[r] = rows.get(r).getValue(c);
            }
            columns[c] = column;
        }
        return Tuple.wrap(Arrays.asList(columns));
    }

    Future<R> submit(T item) {
        if (!reserve()) {
            return Future.failedFuture(new Overloaded("durable write queue"));
        }
        return submitReserved(item);
    }

    /**
     * Takes a place in the queue for an item its caller is still making; false when the queue is
     * full. The place is the caller's until it {@link #submitReserved submits} or {@link #release releases} it.
     */
    boolean reserve() {
        if (waiting.incrementAndGet() > maxQueued) {
            waiting.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back a place {@link #reserve reserved} and never used. */
    void release() {
        waiting.decrementAndGet();
    }

    /** Submits an item into the place its caller {@link #reserve reserved}. */
    Future<R> submitReserved(T item) {
        Promise<R> promise = Promise.promise();
        context.runOnContext(v -> {
            queue.add(new Pending<>(item, promise, System.nanoTime()));
            flushIfIdle();
        });
        return promise.future();
    }

    /**
     * Sends what lingers at once, and from now on every item as it comes; completes once all of it
     * has committed (or failed). For a graceful stop, before the pool closes.
     */
    Future<Void> drain() {
        Promise<Void> idle = Promise.promise();
        context.runOnContext(v -> {
            drained = idle;
            if (lingerTimer >= 0) {
                context.owner().cancelTimer(lingerTimer);
                lingerTimer = -1;
            }
            flushIfIdle();
        });
        return idle.future();
    }

    private void flushIfIdle() {
        while (inFlight < maxInFlight && !queue.isEmpty()) {
            if (lingers()) {
                return;
            }
            List<Pending<T, R>> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
            while (batch.size() < maxBatch && !queue.isEmpty()) {
                batch.add(queue.poll());
                waiting.decrementAndGet();
            }
            inFlight++;
            Future<List<R>> committed;
            try {
                // no BEGIN and COMMIT round trips: committed (or rolled back whole) before it answers
                committed = transaction.apply(batch.stream().map(Pending::item).toList());
            } catch (RuntimeException e) {
                committed = Future.failedFuture(e);
            }
            PostgresDatabase.overloadedWhenFull(committed, queueName)
                    .onComplete(done -> context.runOnContext(v -> {
                        inFlight--;
                        Throwable failure = done.cause();
                        for (int i = 0; i < batch.size(); i++) {
                            if (failure != null) {
                                batch.get(i).promise().fail(failure);
                            } else {
                                batch.get(i).promise().complete(done.result().get(i));
                            }
                        }
                        flushIfIdle();
                    }));
        }
        if (drained != null && inFlight == 0 && queue.isEmpty()) {
            drained.tryComplete();
        }
    }

    /** Whether the next batch should wait for company; if so, a timer sends it when its oldest has waited long enough. */
    private boolean lingers() {
        long waited = System.nanoTime() - queue.peek().queuedAt();
        if (drained != null || queue.size() >= maxBatch || waited >= lingerNanos) {
            return false;
        }
        if (lingerTimer < 0) {
            lingerTimer = context.owner().setTimer(Math.max(1, (lingerNanos - waited) / 1_000_000), id -> {
                lingerTimer = -1;
                flushIfIdle();
            });
        }
        return true;
    }
}
