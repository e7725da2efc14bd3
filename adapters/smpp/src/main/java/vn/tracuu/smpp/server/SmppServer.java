package vn.tracuu.smpp.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.smpp.session.BindGate;
import vn.tracuu.smpp.session.BindProtection;
import vn.tracuu.smpp.session.OperatorBinds;
import vn.tracuu.smpp.session.SmppOptions;
import vn.tracuu.smpp.session.SmppSession;

/**
 * The SMPP 3.4 server operators bind to. TCP_NODELAY on, or a lone response waits for Nagle.
 * Connections that have not bound yet are capped, in all and per source address: past a cap a
 * new connection is closed at once, before it can cost a password check or a timer. What was
 * closed unbound is summed up in one log line per {@link #SUMMARY_INTERVAL}, not a line per
 * socket.
 */
public final class SmppServer {

    static final Duration SUMMARY_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(SmppServer.class);

    private final Vertx vertx;
    private final SmppOptions options;
    private final OperatorBinds binds;
    private final MessageReceiver receiver;
    private final BindGate gate;
    private final Map<String, Integer> unboundByAddress = new HashMap<>();
    private final LongAdder refusedOverCap = new LongAdder();
    private final LongAdder closedUnbound = new LongAdder();
    private int unbound;
    private long summaryTimer = -1;
    private NetServer server;

    public SmppServer(Vertx vertx, SmppOptions options, OperatorBinds binds, MessageReceiver receiver) {
        this.vertx = vertx;
        this.options = options;
        this.binds = binds;
        this.receiver = receiver;
        this.gate = new BindGate(vertx, binds, options.bindProtection());
    }

    /** Starts listening; the future carries the port actually bound (useful with port 0). */
    public Future<Integer> start() {
        server = vertx.createNetServer(new NetServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                .setTcpNoDelay(true));
        server.connectHandler(this::connected);
        summaryTimer = vertx.setPeriodic(SUMMARY_INTERVAL.toMillis(), id -> logSummary());
        return server.listen().map(NetServer::actualPort);
    }

    /** Stops taking new connections; the binds already up are ended through {@link OperatorBinds}. */
    public Future<Void> stopListening() {
        vertx.cancelTimer(summaryTimer);
        logSummary();
        return server == null ? gate.close() : server.close().compose(v -> gate.close());
    }

    private void connected(NetSocket socket) {
        String address = socket.remoteAddress().hostAddress();
        if (!admit(address)) {
            refusedOverCap.increment();
            socket.close();
            return;
        }
        SmppSession session = SmppSession.accepted(vertx, socket, options, binds, gate, receiver);
        session.leftUnbound().onComplete(bound -> {
            release(address);
            if (!bound.result() && session.bindTimedOut()) {
                closedUnbound.increment();
            }
        });
    }

    private synchronized boolean admit(String address) {
        BindProtection limits = options.bindProtection();
        int fromAddress = unboundByAddress.getOrDefault(address, 0);
        if (unbound >= limits.maxUnbound() || fromAddress >= limits.maxUnboundPerAddress()) {
            return false;
        }
        unbound++;
        unboundByAddress.put(address, fromAddress + 1);
        return true;
    }

    private synchronized void release(String address) {
        unbound--;
        unboundByAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    private void logSummary() {
        long refused = refusedOverCap.sumThenReset();
        long timedOut = closedUnbound.sumThenReset();
        if (refused > 0 || timedOut > 0) {
            LOG.info(
                    "connections not bound: {} closed at once over the unbound caps ({} in all, {} per address),"
                            + " {} closed after the bind timeout",
                    refused,
                    options.bindProtection().maxUnbound(),
                    options.bindProtection().maxUnboundPerAddress(),
                    timedOut);
        }
    }
}
