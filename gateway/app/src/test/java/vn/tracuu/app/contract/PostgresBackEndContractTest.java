package vn.tracuu.app.contract;

import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import vn.tracuu.core.port.out.PopulationDirectory;
import vn.tracuu.core.port.out.SubscriberRegistry;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.PostgresDatabase;
import vn.tracuu.postgres.PostgresPopulationDirectory;
import vn.tracuu.postgres.PostgresSubscriberRegistry;

class PostgresBackEndContractTest extends BackEndContract {

    private static EmbeddedPostgres server;
    private static Vertx vertx;
    private static PostgresDatabase database;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedPostgres.builder().start();
        DatabaseOptions options = new DatabaseOptions(
                "localhost",
                server.getPort(),
                "postgres",
                "postgres",
                "postgres",
                2,
                10,
                2,
                DatabaseOptions.DEFAULT_ROLE);
        PostgresDatabase.migrate(options);
        try (Connection c = DriverManager.getConnection(options.jdbcUrl(), "postgres", "postgres")) {
            ContractFixture.load(c);
        }
        vertx = Vertx.vertx();
        database = PostgresDatabase.open(vertx, options);
    }

    @AfterAll
    static void stop() throws Exception {
        database.close().await(5, TimeUnit.SECONDS);
        vertx.close().await(5, TimeUnit.SECONDS);
        server.close();
    }

    @Override
    PopulationDirectory population() {
        return new PostgresPopulationDirectory(database.reads());
    }

    @Override
    SubscriberRegistry registry() {
        return new PostgresSubscriberRegistry(database.reads());
    }
}
