package vn.tracuu.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The operator's SMSC the gateway binds out to (the ESME role), on one of the driver's event
 * loops, on a loopback port of its own: each bind it takes becomes a {@link SmppLoadClient} of the
 * SMSC side, kept across the runs as the gateway keeps its binds. Everything of it, and of a run
 * over its binds, happens on {@link #context()}.
 */
final class SmscLoadServer {

    private final Vertx vertx;
    private final Context context;
    private final List<SmppLoadClient> bound = new ArrayList<>();
    private NetServer server;
    // message ids as an SMSC gives them, unique among its binds and runs and, from a random start,
    // among the benchmark's runs on a reused database: a receipt names one reply, as in service
    private long lastMessageId = new SplittableRandom().nextLong() >>> 24;

    SmscLoadServer(Vertx vertx) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
    }

    Context context() {
        return context;
    }

    /** Listens on a free loopback port; returns it. */
    Future<Integer> start() {
        Promise<Integer> port = Promise.promise();
        context.runOnContext(v -> {
            server = vertx.createNetServer(
                    new NetServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true));
            server.connectHandler(s -> {
                Promise<SmppLoadClient> bind = Promise.promise();
                SmppLoadClient.accepted(vertx, s, () -> ++lastMessageId, bind);
                bind.future().onSuccess(bound::add);
                s.closeHandler(x -> bind.future().onSuccess(bound::remove));
            });
            server.listen().map(NetServer::actualPort).onComplete(port);
        });
        return port.future();
    }

    /** The binds the gateway holds, once it holds {@code count} of them (within {@code timeout}). */
    Future<List<SmppLoadClient>> binds(int count, Duration timeout) {
        Promise<List<SmppLoadClient>> ready = Promise.promise();
        long deadline = System.nanoTime() + timeout.toNanos();
        context.runOnContext(v -> check(count, deadline, ready));
        return ready.future();
    }

    private void check(int count, long deadline, Promise<List<SmppLoadClient>> ready) {
        if (bound.size() >= count) {
            ready.complete(List.copyOf(bound));
        } else if (System.nanoTime() > deadline) {
            ready.fail("the gateway bound out " + bound.size() + " of " + count + " times");
        } else {
            vertx.setTimer(50, id -> check(count, deadline, ready));
        }
    }

    Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
