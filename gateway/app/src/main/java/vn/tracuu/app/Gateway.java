package vn.tracuu.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.core.lookup.LookupService;
import vn.tracuu.core.outbox.OutboxSender;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.PostgresDatabase;
import vn.tracuu.postgres.PostgresPopulationDirectory;
import vn.tracuu.postgres.PostgresRequestStore;
import vn.tracuu.postgres.PostgresSubscriberRegistry;
import vn.tracuu.smpp.server.OperatorBinds;
import vn.tracuu.smpp.server.SmppServer;

/** The composition root: adapters behind the core's ports, started in dependency order. */
public final class Gateway {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final PostgresDatabase database;
  private final OperatorBinds binds;
  private final OutboxSender outbox;
  private final LookupService lookup;
  private final SmppServer smpp;
  private int smppPort;

  private Gateway(Vertx vertx, GatewayConfig config, DatabaseOptions db) {
    database = PostgresDatabase.open(vertx, db);
    PostgresRequestStore requests = new PostgresRequestStore(vertx, database.pool());
    binds = new OperatorBinds(config.smpp().operators());
    outbox = new OutboxSender(vertx, config.outbox(), requests, binds);
    lookup = new LookupService(vertx, config.lookup(), requests, new PostgresSubscriberRegistry(database.pool()),
        new PostgresPopulationDirectory(database.pool()), outbox);
    smpp = new SmppServer(vertx, config.smpp(), binds, lookup);
  }

  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, DatabaseOptions db) {
    Gateway gateway = new Gateway(vertx, config, db);
    gateway.outbox.start();
    gateway.lookup.start();
    return gateway.smpp.start().map(port -> {
      gateway.smppPort = port;
      LOG.info("SMPP server listening on {}:{}", config.smpp().host(), port);
      return gateway;
    });
  }

  public int smppPort() {
    return smppPort;
  }

  public OperatorBinds binds() {
    return binds;
  }

  /** Stops taking binds and messages; what is accepted stays in the database for the next start. */
  public Future<Void> stop() {
    lookup.stop();
    outbox.stop();
    return smpp.stop().eventually(() -> database.close());
  }
}
