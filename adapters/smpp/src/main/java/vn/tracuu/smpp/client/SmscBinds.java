package vn.tracuu.smpp.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PfxOptions;
import java.util.ArrayList;
import java.util.List;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.smpp.session.EventLoops;
import vn.tracuu.smpp.session.OperatorBinds;
import vn.tracuu.smpp.session.OperatorOptions;
import vn.tracuu.smpp.session.OutboundBindOptions;
import vn.tracuu.smpp.session.SmppOptions;

/** The binds the gateway opens to operators' SMSCs, as many per operator as its {@code bind-out} asks. */
public final class SmscBinds {

    // replaced whole on a reload, read by the admin listener's thread
    private volatile List<OutboundBind> binds = List.of();
    private final List<NetClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Vertx vertx;
    private final EventLoops loops;
    private final SmppOptions options;
    private final OperatorBinds registry;
    private final MessageReceiver receiver;
    private final NetClientOptions base;
    private final NetClient plain;
    private final NetClient tls;
    private boolean started;

    /** {@code loops}: the event loops the binds are spread over, each bind on one for its life. */
    public SmscBinds(
            Vertx vertx, EventLoops loops, SmppOptions options, OperatorBinds registry, MessageReceiver receiver) {
        this.vertx = vertx;
        this.loops = loops;
        this.options = options;
        this.registry = registry;
        this.receiver = receiver;
        this.base = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout((int)
                options.bindTimeout().toMillis());
        this.plain = vertx.createNetClient(base);
        // TLS with the JVM's trust store; the SMSC's certificate must match its host name
        this.tls = vertx.createNetClient(
                new NetClientOptions(base).setSsl(true).setHostnameVerificationAlgorithm("HTTPS"));
        clients.add(plain);
        clients.add(tls);
        binds = bindsOf(options.operators());
    }

    private List<OutboundBind> bindsOf(List<OperatorOptions> operators) {
        List<OutboundBind> out = new ArrayList<>();
        for (OperatorOptions op : operators) {
            op.bindOut().ifPresent(bindOut -> {
                NetClient client = clientFor(bindOut);
                for (int i = 0; i < bindOut.binds(); i++) {
                    out.add(new OutboundBind(vertx, loops.next(), client, options, registry, receiver, op, i + 1));
                }
            });
        }
        return out;
    }

    private NetClient clientFor(OutboundBindOptions out) {
        if (!out.tls()) {
            return plain;
        }
        if (out.trustStore().isEmpty()) {
            return tls;
        }
        // the operator's SMSC certified by its own CA: trusted for this operator only
        NetClient client = vertx.createNetClient(new NetClientOptions(base)
                .setSsl(true)
                .setHostnameVerificationAlgorithm("HTTPS")
                .setTrustOptions(new PfxOptions().setPath(out.trustStore()).setPassword(out.trustStorePassword())));
        clients.add(client);
        return client;
    }

    /**
     * After a reload: the binds of operators removed or changed stop binding again (their live
     * sessions are ended through {@link OperatorBinds#reconfigure}); those of operators added or
     * changed with a {@code bind-out} start. The others go on untouched.
     */
    public synchronized void reconfigure(List<OperatorOptions> operators, OperatorBinds.Reconfiguration change) {
        List<String> affected = change.affected();
        List<OutboundBind> kept = new ArrayList<>();
        for (OutboundBind b : binds) {
            if (affected.contains(b.operatorId())) {
                b.stop();
            } else {
                kept.add(b);
            }
        }
        List<OperatorOptions> fresh = operators.stream()
                .filter(op ->
                        change.added().contains(op.id()) || change.changed().contains(op.id()))
                .toList();
        List<OutboundBind> started = bindsOf(fresh);
        kept.addAll(started);
        binds = List.copyOf(kept);
        if (this.started) {
            started.forEach(OutboundBind::start);
        }
    }

    public synchronized void start() {
        started = true;
        binds.forEach(OutboundBind::start);
    }

    /** Every configured bind-out, up or not. */
    public List<BindOutSlot> slots() {
        return binds.stream().map(OutboundBind::slot).toList();
    }

    /** Stops rebinding; the binds that are up stay, to be drained and unbound through {@link OperatorBinds}. */
    public synchronized void stopReconnecting() {
        started = false;
        binds.forEach(OutboundBind::stop);
    }

    /** Releases the clients; closing one closes its connections, so only after the binds are unbound. */
    public Future<Void> close() {
        return Future.join(clients.stream().map(NetClient::close).toList()).mapEmpty();
    }
}
