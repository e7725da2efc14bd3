package vn.tracuu.smpp.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.smpp.SmppTestOptions;
import vn.tracuu.smpp.session.OperatorBinds;
import vn.tracuu.smpp.session.OperatorOptions;
import vn.tracuu.smpp.session.PasswordCheck;
import vn.tracuu.smpp.session.SmppOptions;
import vn.tracuu.smpp.text.Alphabet;
import vn.tracuu.smpp.text.Concatenation;

/** An SMPP server on port 0 whose core records each message and stores it at once. */
final class ServerFixture implements AutoCloseable {

    static final String PASSWORD = "secret";
    private static final String HASH = PasswordCheck.hash(PASSWORD);

    final List<InboundMessage> received = new CopyOnWriteArrayList<>();
    final OperatorBinds binds;
    final int port;
    private final AtomicLong ids = new AtomicLong(500);
    private final SmppServer server;

    ServerFixture(Vertx vertx, SmppOptions options) throws Exception {
        binds = new OperatorBinds(options.operators());
        server = new SmppServer(
                vertx, SmppTestOptions.eventLoops(vertx, options), options, binds, new MessageReceiver() {
                    @Override
                    public Future<AcceptedRequest> receive(InboundMessage message) {
                        received.add(message);
                        return Future.succeededFuture(new AcceptedRequest(ids.incrementAndGet(), message));
                    }

                    @Override
                    public Future<Boolean> receipt(DeliveryReceipt receipt) {
                        return Future.succeededFuture(false);
                    }
                });
        port = server.start().await(10, TimeUnit.SECONDS);
    }

    /** An operator binding in with {@link #PASSWORD}, short code 8088, from {@code allowed}. */
    static OperatorOptions operator(String id, int maxBinds, String... allowed) {
        return new OperatorOptions(
                id,
                id,
                PasswordCheck.parse(HASH),
                List.of(allowed),
                maxBinds,
                List.of("8088"),
                Alphabet.GSM7,
                Concatenation.UDH,
                4);
    }

    @Override
    public void close() throws Exception {
        server.stopListening().compose(v -> binds.closeAll()).await(10, TimeUnit.SECONDS);
    }
}
