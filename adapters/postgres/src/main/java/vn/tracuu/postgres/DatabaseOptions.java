package vn.tracuu.postgres;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.util.Objects;

/**
 * Where the database is, how many connections the gateway may hold for durable writes and for
 * pipelined reads, and the role both work as (empty: the login's own), from {@code database.*}.
 * {@code socketDirectory} (empty: none) holds the server's Unix socket, which the pools use when
 * Vert.x runs on a native transport; migrations and JDBC tools use TCP all the same.
 */
public record DatabaseOptions(
        String host,
        int port,
        String database,
        String user,
        String password,
        int poolSize,
        int poolWaitQueue,
        int readConnections,
        String role,
        String socketDirectory) {

    /** The role the migrations grant what the running gateway needs, and no right to change the audit. */
    public static final String DEFAULT_ROLE = "tracuu_gateway";

    public static final int DEFAULT_POOL_SIZE = 8;
    public static final int DEFAULT_POOL_WAIT_QUEUE = 1000;
    public static final int DEFAULT_READ_CONNECTIONS = 2;

    public DatabaseOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        role = role == null ? "" : role;
        socketDirectory = socketDirectory == null ? "" : socketDirectory;
    }

    /** A server reached over TCP only. */
    public DatabaseOptions(
            String host,
            int port,
            String database,
            String user,
            String password,
            int poolSize,
            int poolWaitQueue,
            int readConnections,
            String role) {
        this(host, port, database, user, password, poolSize, poolWaitQueue, readConnections, role, "");
    }

    /**
     * Reads {@code postgresql://user:password@host:port/database} (a {@code jdbc:} prefix is
     * accepted); a separately given user or password wins over the URL's. Parameters after
     * {@code ?} (sslmode, target_session_attrs…) are refused: this adapter would not honour them.
     */
    public static DatabaseOptions fromUrl(
            String url,
            String user,
            String password,
            int poolSize,
            int poolWaitQueue,
            int readConnections,
            String role) {
        String uri = url.startsWith("jdbc:") ? url.substring(5) : url;
        int query = uri.indexOf('?');
        if (query >= 0 && query < uri.length() - 1) {
            // honoured or refused, never dropped: sslmode=require taken silently, then a connection
            // in clear, is the worst of both
            throw new IllegalArgumentException("connection parameters are not supported here, and would be ignored ("
                    + uri.substring(query + 1).replaceAll("=[^&]*", "").replace('&', ',')
                    + "): remove them; the connection is made without TLS");
        }
        PgConnectOptions parsed = PgConnectOptions.fromUri(uri);
        if (user == null && !uri.matches("^[a-z]+://[^/@]+@.*")) {
            // PgConnectOptions would log in as its default role "user"
            throw new IllegalArgumentException(
                    "names no user: write postgresql://USER@host/database, or set database.user");
        }
        return new DatabaseOptions(
                parsed.getHost(),
                parsed.getPort(),
                parsed.getDatabase(),
                user != null ? user : parsed.getUser(),
                password != null ? password : parsed.getPassword(),
                poolSize,
                poolWaitQueue,
                readConnections,
                role);
    }

    /** The same server as its login's own role, for administration (purge, unlock) and migrations. */
    public DatabaseOptions asLogin() {
        return new DatabaseOptions(
                host, port, database, user, password, poolSize, poolWaitQueue, readConnections, "", socketDirectory);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** {@code unixSocket}: through {@link #socketDirectory}, which must be set. */
    PgConnectOptions connectOptions(boolean unixSocket) {
        PgConnectOptions options = new PgConnectOptions();
        if (!role.isEmpty()) {
            // a run-time parameter of the startup message: every pooled connection works as this role
            options.addProperty("role", role);
        }
        return options
                // a host that is a path names the socket's directory (PgConnectOptions)
                .setHost(unixSocket ? socketDirectory : host)
                .setPort(port)
                .setDatabase(database)
                .setUser(user)
                .setPassword(password)
                .setCachePreparedStatements(true)
                // the default (2,048 characters) left the reply statement out of the cache: parsed and
                // planned for every batch, which tripled the open-loop median latency
                .setPreparedStatementCacheSqlLimit(8192)
                .setPipeliningLimit(256);
    }

    PoolOptions poolOptions() {
        return new PoolOptions()
                .setMaxSize(poolSize)
                .setMaxWaitQueueSize(poolWaitQueue)
                .setName("tracuu-pg");
    }

    PoolOptions readOptions() {
        return new PoolOptions()
                .setMaxSize(readConnections)
                .setMaxWaitQueueSize(poolWaitQueue)
                .setName("tracuu-pg-reads");
    }
}
