package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig.DatabaseSettings;
import vn.tracuu.app.config.GatewayConfig.SeedMode;
import vn.tracuu.postgres.PostgresDatabase;
import vn.tracuu.postgres.demo.DemoPopulation;

class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void aServerGivenByUrlIsMigratedButNotSeeded() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
            String url = "postgresql://localhost:" + server.getPort() + "/postgres";
            try (Database db = Database.open(new DatabaseSettings(
                    url, "postgres", "postgres", 2, 10, 1, "tracuu_gateway", dir, SeedMode.AUTO, 100))) {
                assertFalse(db.embedded());
                assertTrue(DemoPopulation.isEmpty(db.options()), "an external database is never seeded unless told");
            }
            try (Database db = Database.open(new DatabaseSettings(
                    url, "postgres", "postgres", 2, 10, 1, "tracuu_gateway", dir, SeedMode.ALWAYS, 100))) {
                assertFalse(DemoPopulation.isEmpty(db.options()), "seed: always seeds it");
            }
        }
    }

    @Test
    void theEmbeddedDatabaseFlushesEachCommitToDisk() throws Exception {
        try (Database db = Database.open(
                        new DatabaseSettings("", "", "", 2, 10, 1, "", dir.resolve("pg"), SeedMode.NEVER, 100));
                Connection c = DriverManager.getConnection(
                        db.options().jdbcUrl(),
                        db.options().user(),
                        db.options().password());
                Statement s = c.createStatement()) {
            assertTrue(db.embedded());
            // an acknowledged request must survive a power cut, not only a crash of the process
            assertEquals("on", setting(s, "fsync"));
            assertEquals("on", setting(s, "synchronous_commit"));
        }
    }

    @Test
    void theGatewaysPoolsReachTheEmbeddedDatabaseOverItsUnixSocket() throws Exception {
        Path socketDirectory;
        try (Database db =
                Database.open(new DatabaseSettings("", "", "", 2, 10, 1, "", dir.resolve("pg"), SeedMode.NEVER, 100))) {
            socketDirectory = Path.of(db.options().socketDirectory());
            Vertx vertx = Gateway.newVertx();
            Vertx nio = Vertx.vertx();
            try {
                assertTrue(vertx.isNativeTransportEnabled(), "epoll on Linux");
                // a connection over a Unix socket has no client address
                assertEquals("unix", transport(vertx, db));
                assertEquals("tcp", transport(nio, db), "NIO cannot open a Unix socket");
            } finally {
                vertx.close().await(10, TimeUnit.SECONDS);
                nio.close().await(10, TimeUnit.SECONDS);
            }
        }
        assertFalse(Files.exists(socketDirectory), "the socket's directory goes with the server");
    }

    private static String transport(Vertx vertx, Database db) throws Exception {
        PostgresDatabase pg = PostgresDatabase.open(vertx, db.options());
        try {
            String sql =
                    "SELECT CASE WHEN client_addr IS NULL THEN 'unix' ELSE 'tcp' END FROM pg_stat_activity WHERE pid = pg_backend_pid()";
            String pooled = pg.pool()
                    .query(sql)
                    .execute()
                    .await(10, TimeUnit.SECONDS)
                    .iterator()
                    .next()
                    .getString(0);
            assertEquals(
                    pooled,
                    pg.reads()
                            .query(sql)
                            .execute()
                            .await(10, TimeUnit.SECONDS)
                            .iterator()
                            .next()
                            .getString(0),
                    "both pools alike");
            return pooled;
        } finally {
            pg.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static String setting(Statement s, String name) throws Exception {
        try (ResultSet r = s.executeQuery("SHOW " + name)) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void anUnreachableDatabaseIsAOneLineStartUpError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String url = "postgresql://127.0.0.1:" + closedPort + "/tracuu";
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> Database.open(new DatabaseSettings(url, "u", "p", 2, 10, 1, "", dir, SeedMode.AUTO, 100)));
        assertTrue(e.getMessage().startsWith("database at database.url could not be prepared"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aGatewayStoppedWhileItStartsStopsItsEmbeddedDatabase() throws Exception {
        Path data = dir.resolve("pg");
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "smpp:",
                        "  port: 0",
                        "admin:",
                        "  port: -1",
                        "database:",
                        "  embedded-data-dir: " + data,
                        "audit:",
                        "  key-file: " + dir.resolve("audit-keys.properties"),
                        "  anchor-file: " + dir.resolve("audit-anchors.log")));
        Path log = dir.resolve("gateway.log");
        Process gateway = TestGateway.process(config, dir)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            // SIGTERM (Ctrl-C alike) while it migrates and seeds, before the gateway itself has started
            await("the embedded server started")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> Files.readString(log).contains("embedded PostgreSQL started"));
            gateway.destroy();
            assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "the gateway exits");
            assertEquals(143, gateway.exitValue(), "stopped by SIGTERM");
            assertFalse(Files.exists(data.resolve("postmaster.pid")), "the embedded server stopped with it");
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(
                        List.of(),
                        left.filter(f -> f.getFileName().toString().startsWith("tracuu-pg"))
                                .toList(),
                        "the socket's directory goes with the server");
            }
            // what an operator notices: the next start finds the data directory free
            try (Database next =
                    Database.open(new DatabaseSettings("", "", "", 2, 10, 1, "", data, SeedMode.NEVER, 100))) {
                assertTrue(next.embedded());
            }
        } finally {
            gateway.destroyForcibly();
            stopLeftOver(data);
        }
    }

    /** A server the test's gateway left running (the failure this test looks for) is not left on the machine. */
    private static void stopLeftOver(Path data) throws Exception {
        Path pid = data.resolve("postmaster.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).trim()))
                    .ifPresent(ProcessHandle::destroy);
        }
    }
}
