package vn.tracuu.postgres;

import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server for the adapter tests, started once per test class and migrated,
 * with a Vert.x pool working as the gateway's role, as the running gateway's does.
 */
final class TestDatabase implements AutoCloseable {

    private final EmbeddedPostgres server;
    private final DatabaseOptions options;
    private final Vertx vertx = Vertx.vertx();
    private final PostgresDatabase database;

    private TestDatabase(EmbeddedPostgres server) {
        this.server = server;
        this.options = new DatabaseOptions(
                "localhost",
                server.getPort(),
                "postgres",
                "postgres",
                "postgres",
                4,
                100,
                2,
                DatabaseOptions.DEFAULT_ROLE);
        PostgresDatabase.migrate(options);
        this.database = PostgresDatabase.open(vertx, options);
    }

    static TestDatabase start() {
        try {
            // as the gateway runs it (zonky turns synchronous commits off by default)
            return new TestDatabase(EmbeddedPostgres.builder()
                    .setServerConfig("synchronous_commit", "on")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DatabaseOptions options() {
        return options;
    }

    Vertx vertx() {
        return vertx;
    }

    /** The pool as the gateway's role. */
    PostgresDatabase database() {
        return database;
    }

    /**
     * The gateway's connections, opened apart with one pooled and one read connection, so that every
     * statement of a kind runs on the same connection. The caller closes them.
     */
    PostgresDatabase openOneConnectionEach() {
        DatabaseOptions o = options;
        return PostgresDatabase.open(
                vertx,
                new DatabaseOptions(o.host(), o.port(), o.database(), o.user(), o.password(), 1, 100, 1, o.role()));
    }

    /** A JDBC connection as the login, for setting up and inspecting. */
    Connection jdbc() throws SQLException {
        return DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password());
    }

    @Override
    public void close() throws Exception {
        database.close().await(5, TimeUnit.SECONDS);
        vertx.close().await(5, TimeUnit.SECONDS);
        server.close();
    }
}
