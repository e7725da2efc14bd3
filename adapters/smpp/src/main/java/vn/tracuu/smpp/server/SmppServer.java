package vn.tracuu.smpp.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.smpp.session.OperatorBinds;
import vn.tracuu.smpp.session.SmppOptions;
import vn.tracuu.smpp.session.SmppSession;

/** The SMPP 3.4 server operators bind to. TCP_NODELAY on, or a lone response waits for Nagle. */
public final class SmppServer {

    private final Vertx vertx;
    private final SmppOptions options;
    private final OperatorBinds binds;
    private final MessageReceiver receiver;
    private NetServer server;

    public SmppServer(Vertx vertx, SmppOptions options, OperatorBinds binds, MessageReceiver receiver) {
        this.vertx = vertx;
        this.options = options;
        this.binds = binds;
        this.receiver = receiver;
    }

    /** Starts listening; the future carries the port actually bound (useful with port 0). */
    public Future<Integer> start() {
        server = vertx.createNetServer(new NetServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                .setTcpNoDelay(true));
        server.connectHandler(socket -> SmppSession.accepted(vertx, socket, options, binds, receiver));
        return server.listen().map(NetServer::actualPort);
    }

    /** Stops taking new connections; the binds already up are ended through {@link OperatorBinds}. */
    public Future<Void> stopListening() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
