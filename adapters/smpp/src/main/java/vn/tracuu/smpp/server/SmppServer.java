package vn.tracuu.smpp.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.smpp.session.BindGate;
import vn.tracuu.smpp.session.BindProtection;
import vn.tracuu.smpp.session.EventLoops;
import vn.tracuu.smpp.session.OperatorBinds;
import vn.tracuu.smpp.session.SmppOptions;
import vn.tracuu.smpp.session.SmppSession;
import vn.tracuu.smpp.session.TlsListener;

/**
 * The SMPP 3.4 server operators bind to. TCP_NODELAY on, or a lone response waits for Nagle.
 * Connections that have not bound yet are capped, in all and per source address: past a cap a
 * new connection is closed at once, before it can cost a password check or a timer. What was
 * closed unbound is summed up in one log line per {@link #SUMMARY_INTERVAL}, not a line per
 * socket. Each listener listens once per event loop of {@link EventLoops} on the same port, so
 * Vert.x hands its connections to those loops in turn (one {@code NetServer} per loop, as Vert.x
 * scales a server deployed several times): a bind's PDUs are decoded, checked and answered on its
 * own loop, and several binds use several cores.
 */
public final class SmppServer {

    static final Duration SUMMARY_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(SmppServer.class);

    private final Vertx vertx;
    private final EventLoops loops;
    private final SmppOptions options;
    private final OperatorBinds binds;
    private final MessageReceiver receiver;
    private final BindGate gate;
    private final Map<String, Integer> unboundByAddress = new HashMap<>();
    private final LongAdder refusedOverCap = new LongAdder();
    private final LongAdder closedUnbound = new LongAdder();
    private int unbound;
    private long summaryTimer = -1;
    private final List<NetServer> servers = new ArrayList<>();
    private final Optional<TlsListener> tls;
    private int tlsPort = -1;

    /** With {@code options.tls()}: a second listener, where connections are TLS before their first PDU. */
    public SmppServer(
            Vertx vertx, EventLoops loops, SmppOptions options, OperatorBinds binds, MessageReceiver receiver) {
        this.vertx = vertx;
        this.loops = loops;
        this.options = options;
        this.binds = binds;
        this.receiver = receiver;
        this.tls = options.tls();
        this.gate = new BindGate(vertx, binds, options.bindProtection());
    }

    /** Starts listening; the future carries the plain port actually bound (useful with port 0). */
    public Future<Integer> start() {
        summaryTimer = vertx.setPeriodic(SUMMARY_INTERVAL.toMillis(), id -> logSummary());
        NetServerOptions plain = new NetServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                .setTcpNoDelay(true);
        Future<Integer> listening = onEveryLoop(plain, -1);
        if (tls.isEmpty()) {
            return listening;
        }
        return listening.compose(port -> onEveryLoop(tlsOptions(tls.get()), -2).map(p -> {
            tlsPort = p;
            return port;
        }));
    }

    /**
     * Listens on every loop, the first first: Vert.x shares one socket between the servers on the
     * same host and port. Port 0 becomes {@code sharedRandom} (a negative port: Vert.x picks one
     * free port and shares it between the servers given the same negative number).
     */
    private Future<Integer> onEveryLoop(NetServerOptions o, int sharedRandom) {
        NetServerOptions shared = o.getPort() == 0 ? new NetServerOptions(o).setPort(sharedRandom) : o;
        List<Context> contexts = loops.all();
        Future<Integer> port = listenOn(contexts.get(0), shared);
        for (Context c : contexts.subList(1, contexts.size())) {
            port = port.compose(p -> listenOn(c, shared));
        }
        return port;
    }

    private Future<Integer> listenOn(Context context, NetServerOptions o) {
        Promise<Integer> port = Promise.promise();
        context.runOnContext(v -> {
            // created and listening on this loop: its connections are this loop's
            NetServer server = vertx.createNetServer(o).connectHandler(this::connected);
            synchronized (servers) {
                servers.add(server);
            }
            server.listen().map(NetServer::actualPort).onComplete(port);
        });
        return port.future();
    }

    /** The TLS listener's port, once started; -1 without one. */
    public int tlsPort() {
        return tlsPort;
    }

    private NetServerOptions tlsOptions(TlsListener listener) {
        NetServerOptions o = new NetServerOptions()
                .setHost(options.host())
                .setPort(listener.port())
                .setTcpNoDelay(true)
                .setSsl(true)
                .setKeyCertOptions(new PfxOptions()
                        .setPath(listener.keyStore().toString())
                        .setPassword(listener.keyStorePassword()));
        if (options.operators().stream()
                .anyMatch(op -> !op.clientCertificateSha256().isEmpty())) {
            // a client certificate is asked for, and any is taken at the handshake: the operator's
            // pinned fingerprint is what authenticates it, checked at bind (BindGate)
            o.setClientAuth(ClientAuth.REQUEST).setTrustOptions(TrustOptions.wrap(AnyClientCertificate.INSTANCE));
        }
        return o;
    }

    /** Stops taking new connections; the binds already up are ended through {@link OperatorBinds}. */
    public Future<Void> stopListening() {
        vertx.cancelTimer(summaryTimer);
        logSummary();
        List<Future<Void>> closed;
        synchronized (servers) {
            closed = servers.stream().map(NetServer::close).toList();
        }
        return Future.join(closed).eventually(gate::close).mapEmpty();
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
