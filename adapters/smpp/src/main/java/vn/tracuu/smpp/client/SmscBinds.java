package vn.tracuu.smpp.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PfxOptions;
import java.util.ArrayList;
import java.util.List;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.smpp.session.OperatorBinds;
import vn.tracuu.smpp.session.OperatorOptions;
import vn.tracuu.smpp.session.SmppOptions;

/** The binds the gateway opens to operators' SMSCs, as many per operator as its {@code bind-out} asks. */
public final class SmscBinds {

    private final List<OutboundBind> binds = new ArrayList<>();
    private final List<NetClient> clients = new ArrayList<>();
    private final NetClient plain;
    private final NetClient tls;

    public SmscBinds(Vertx vertx, SmppOptions options, OperatorBinds registry, MessageReceiver receiver) {
        NetClientOptions base = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout((int)
                options.bindTimeout().toMillis());
        this.plain = vertx.createNetClient(base);
        // TLS with the JVM's trust store; the SMSC's certificate must match its host name
        this.tls = vertx.createNetClient(
                new NetClientOptions(base).setSsl(true).setHostnameVerificationAlgorithm("HTTPS"));
        clients.add(plain);
        clients.add(tls);
        for (OperatorOptions op : options.operators()) {
            op.bindOut().ifPresent(out -> {
                NetClient client = out.tls() ? tls : plain;
                if (out.tls() && !out.trustStore().isEmpty()) {
                    // the operator's SMSC certified by its own CA: trusted for this operator only
                    client = vertx.createNetClient(new NetClientOptions(base)
                            .setSsl(true)
                            .setHostnameVerificationAlgorithm("HTTPS")
                            .setTrustOptions(
                                    new PfxOptions().setPath(out.trustStore()).setPassword(out.trustStorePassword())));
                    clients.add(client);
                }
                for (int i = 0; i < out.binds(); i++) {
                    binds.add(new OutboundBind(vertx, client, options, registry, receiver, op, i + 1));
                }
            });
        }
    }

    public void start() {
        binds.forEach(OutboundBind::start);
    }

    /** Every configured bind-out, up or not. */
    public List<BindOutSlot> slots() {
        return binds.stream().map(OutboundBind::slot).toList();
    }

    /** Stops rebinding; the binds that are up stay, to be drained and unbound through {@link OperatorBinds}. */
    public void stopReconnecting() {
        binds.forEach(OutboundBind::stop);
    }

    /** Releases the clients; closing one closes its connections, so only after the binds are unbound. */
    public Future<Void> close() {
        return Future.join(clients.stream().map(NetClient::close).toList()).mapEmpty();
    }
}
