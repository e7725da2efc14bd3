package vn.tracuu.app.cli;

import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import vn.tracuu.app.Database;
import vn.tracuu.app.Gateway;
import vn.tracuu.app.LogOutput;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig;

@Command(name = "run", description = "Start the gateway; SIGTERM or Ctrl-C drains and stops it.")
final class RunCommand implements Callable<Integer> {

    /** The exit code that tells {@link vn.tracuu.app.Main} the gateway runs on: do not exit. */
    static final int RUNNING = -1;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        GatewayConfig c = config.load();
        LogOutput.apply(c.logging());
        Gateway.nameInLogs(c);
        Database db = Database.open(c.database());
        Vertx vertx = Gateway.newVertx();
        // set once started: a stop before then has no binds or lookups to drain
        AtomicReference<Gateway> started = new AtomicReference<>();
        db.atExit(() -> stop(started.get(), vertx, c));
        if (db.embedded()) {
            SeedCommand.printSamples(db, 5);
        }
        try {
            Gateway.start(vertx, c, db.options()).onSuccess(started::set).await(30, TimeUnit.SECONDS);
            Gateway gateway = started.get();
            gateway.reloadsFrom(config::load);
            // SIGHUP: the operators section read again; the reload's own line says what it did
            HangUpSignal.onEach(() -> gateway.reload());
        } catch (Exception e) {
            vertx.close();
            db.close();
            // a listener that cannot listen, or the audit keys, name their own key
            throw e instanceof ConfigException named
                    ? named
                    : new ConfigException("the gateway did not start: " + e.getMessage());
        }
        return RUNNING;
    }

    /** On SIGTERM or Ctrl-C, before the database closes: binds, lookups, the anchor, the pool. */
    private static void stop(Gateway gateway, Vertx vertx, GatewayConfig config) {
        if (gateway != null) {
            try {
                // draining binds, then lookups, each within drain-timeout
                gateway.stop().await(2 * config.smpp().drainTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }
        try {
            // awaited apart: a continuation of the stop could run on an event loop this ends
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // shutting down anyway
        }
    }
}
