package vn.tracuu.postgres;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.flywaydb.core.Flyway;
import vn.tracuu.core.port.Overloaded;

/**
 * The gateway's connections, and the schema migrations that must run before they are used: a
 * pool for the statements that wait for a disk flush (the group commits, claims, locks), and a
 * few pipelined connections for those that never do (reads, and the asynchronously committed
 * counters).
 */
public final class PostgresDatabase {

    /** What {@link Overloaded} names when the read connections' wait queue is full. */
    static final String READ_QUEUE = "database read queue";
    /** What {@link Overloaded} names when the pool's wait queue is full. */
    static final String POOL_QUEUE = "database connection pool";

    private final Pool pool;
    private final SqlClient reads;

    private PostgresDatabase(Pool pool, SqlClient reads) {
        this.pool = pool;
        this.reads = reads;
    }

    /**
     * Applies the schema migrations (blocking JDBC: call at start-up, never on an event loop).
     * Returns how many migrations ran.
     */
    public static int migrate(DatabaseOptions options) {
        return Flyway.configure()
                .dataSource(options.jdbcUrl(), options.user(), options.password())
                .locations("classpath:db/migration")
                .load()
                .migrate()
                .migrationsExecuted;
    }

    public static PostgresDatabase open(Vertx vertx, DatabaseOptions options) {
        // Every statement of the gateway's reads or writes a few rows by key, or scans a partial
        // index. One planned while its table was empty (a new install; the lockouts once the last
        // expired) scans the table, and keeps that plan as the table grows, until an autovacuum
        // happens to analyze it (the lockout check became seventeen times dearer in the benchmark).
        // Without table scans each stays an index lookup; the statements are written so that it is
        // one by key, not a whole index read in a join (PostgresStatementPlansTest).
        PgConnectOptions connect =
                options.connectOptions(overUnixSocket(vertx, options)).addProperty("enable_seqscan", "off");
        // The group commits' statements take a batch's rows as arrays. Planned for each batch's own
        // arrays, the reply statement took twice as long to plan as to run a small batch: PostgreSQL
        // kept planning it anew, as its generic plan assumes a hundred elements per array and looks
        // dearer. The pool's statements keep the generic plan; the reads choose as usual.
        PgConnectOptions writes = new PgConnectOptions(connect).addProperty("plan_cache_mode", "force_generic_plan");
        Pool pool = PgBuilder.pool()
                .with(options.poolOptions())
                .connectingTo(writes)
                .using(vertx)
                .build();
        // Pipelined: each connection carries many statements at once, so PostgreSQL takes several per
        // wake-up instead of one per round trip. Kept apart from the pool, because a pipelined
        // statement waits for every one sent before it on its connection: behind a commit, for a disk
        // flush. The A/B runs of the three layouts are in load-tests/FINDINGS.md.
        SqlClient reads = PgBuilder.client()
                .with(options.readOptions())
                .connectingTo(connect)
                .using(vertx)
                .build();
        return new PostgresDatabase(pool, reads);
    }

    /**
     * A full wait queue of the pool or the read connections as {@link Overloaded}: the gateway's own
     * backlog, answered "busy" at once, and not a failure of the database for a guard's circuit,
     * which would go on refusing for its whole open period after the backlog has cleared.
     */
    static <T> Future<T> overloadedWhenFull(Future<T> result, String what) {
        return result.recover(
                e -> Future.failedFuture(e instanceof ConnectionPoolTooBusyException ? new Overloaded(what) : e));
    }

    /**
     * A read (a SELECT), on the read connections or the pool; a full wait queue fails it with
     * {@link Overloaded}. A read whose connection was lost under it (a server restart, a terminated
     * backend, noticed only by the statements already sent on it) runs once more, on a connection
     * opened afresh: reads have no effect to repeat. The retry waits for the event loop's next turn,
     * by when the pool has let the lost connection go; at once, it would be sent on that one again.
     */
    static Future<RowSet<Row>> read(SqlClient reads, String sql, Tuple args) {
        return overloadedWhenFull(
                reads.preparedQuery(sql)
                        .execute(args)
                        .recover(e -> connectionLost(e)
                                ? nextTurn()
                                        .compose(v -> reads.preparedQuery(sql).execute(args))
                                : Future.failedFuture(e)),
                queueOf(reads));
    }

    /** The wait queue a statement on {@code client} joins, as {@link Overloaded} names it. */
    static String queueOf(SqlClient client) {
        return client instanceof Pool ? POOL_QUEUE : READ_QUEUE;
    }

    /**
     * Whether a read failed for its connection rather than by the server's answer: the server's
     * own error is final but for its backend ending (SQLSTATE 57P01, 57P02), and so is a full wait
     * queue. Anything else came from the connection, in more shapes than one class names: a
     * {@code ClosedConnectionException} when it closed under the statement, an
     * {@code IOException} when it was reset, a bare {@code VertxException} ("Connection is not
     * active now") when the pool handed out one that had closed and the statement never left.
     */
    static boolean connectionLost(Throwable e) {
        if (e instanceof PgException pg) {
            return "57P01".equals(pg.getSqlState()) || "57P02".equals(pg.getSqlState());
        }
        return !(e instanceof ConnectionPoolTooBusyException);
    }

    private static Future<Void> nextTurn() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Future.succeededFuture();
        }
        Promise<Void> turn = Promise.promise();
        context.runOnContext(v -> turn.complete());
        return turn.future();
    }

    /**
     * Whether the pools connect over the server's Unix socket: when it has one and Vert.x runs on a
     * native transport (NIO cannot open one). Every statement crosses this connection; a Unix
     * socket spares both sides the TCP stack. A/B (load-tests/FINDINGS.md), epoll for SMPP too:
     * closed loop 5,383 / 5,237 / 4,623 per s against 4,596 / 4,887 / 4,802 on NIO and loopback TCP.
     */
    public static boolean overUnixSocket(Vertx vertx, DatabaseOptions options) {
        return !options.socketDirectory().isEmpty() && vertx.isNativeTransportEnabled();
    }

    /** For the statements a disk flush holds: group commits, claims, locks, scans. */
    public Pool pool() {
        return pool;
    }

    /** For statements that never wait for a disk flush; pipelined, so none may hold a transaction open. */
    public SqlClient reads() {
        return reads;
    }

    public Future<Void> close() {
        return reads.close().eventually(pool::close);
    }
}
