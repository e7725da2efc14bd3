package vn.tracuu.load;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import vn.tracuu.app.Database;
import vn.tracuu.app.Gateway;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.demo.DemoPopulation;

/** A gateway on its own Vert.x, as a separate process would run, over a database of 3,000 seeded citizens. */
final class SeededGateway {

    interface Test {
        void run(Vertx vertx, Gateway gateway, DatabaseOptions login) throws Exception;
    }

    private SeededGateway() {}

    /** Runs {@code test} against a gateway started with {@code config}; stops it and its database after. */
    static void with(GatewayConfig config, Test test) throws Exception {
        try (Database db = Database.open(config.database())) {
            DemoPopulation.seed(db.options().asLogin(), 3000, DemoPopulation.DEFAULT_SEED);
            Vertx vertx = Vertx.vertx();
            try {
                Gateway gateway = Gateway.start(vertx, config, db.options()).await(30, TimeUnit.SECONDS);
                try {
                    test.run(vertx, gateway, db.options().asLogin());
                } finally {
                    gateway.stop().await(30, TimeUnit.SECONDS);
                }
            } finally {
                vertx.close().await(30, TimeUnit.SECONDS);
            }
        }
    }
}
