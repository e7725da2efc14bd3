package vn.tracuu.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.PduCodec;
import vn.tracuu.smpp.codec.PduFramer;
import vn.tracuu.smpp.codec.ShortMessage;

/**
 * The SMPP floor: a bare peer that accepts any bind and answers every submit_sm at once with its
 * response and a one-segment deliver_sm to the sender — no storage, no lookup. What the driver
 * reaches against it is what SMPP on this machine allows at all.
 */
final class EchoPeer {

    private final Vertx vertx;
    private NetServer server;

    EchoPeer(Vertx vertx) {
        this.vertx = vertx;
    }

    Future<Integer> start() {
        server = vertx.createNetServer(
                new NetServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true));
        server.connectHandler(this::serve);
        return server.listen().map(NetServer::actualPort);
    }

    private void serve(NetSocket socket) {
        int[] sequence = {1};
        byte[] reply = "OK".getBytes(StandardCharsets.US_ASCII);
        socket.handler(new PduFramer(
                1 << 16,
                pdu -> {
                    switch (pdu.commandId()) {
                        case CommandId.BIND_TRANSCEIVER, CommandId.BIND_TRANSMITTER, CommandId.BIND_RECEIVER ->
                            socket.write(PduCodec.bindResponse(
                                    pdu.commandId(), CommandStatus.ESME_ROK, pdu.sequence(), "echo"));
                        case CommandId.SUBMIT_SM -> {
                            ShortMessage in = PduCodec.decodeShortMessage(pdu);
                            socket.write(PduCodec.messageResponse(
                                    CommandId.SUBMIT_SM, CommandStatus.ESME_ROK, pdu.sequence(), "1"));
                            ShortMessage out = new ShortMessage(
                                    "",
                                    0,
                                    0,
                                    in.destAddr(),
                                    1,
                                    1,
                                    in.sourceAddr(),
                                    0,
                                    0,
                                    0,
                                    "",
                                    "",
                                    0,
                                    0,
                                    0,
                                    0,
                                    reply,
                                    Map.of());
                            socket.write(PduCodec.shortMessage(CommandId.DELIVER_SM, sequence[0]++, out));
                        }
                        case CommandId.UNBIND ->
                            socket.write(
                                    PduCodec.emptyResponse(CommandId.responseTo(CommandId.UNBIND), 0, pdu.sequence()));
                        default -> {}
                    }
                },
                len -> socket.close()));
    }

    Future<Void> stop() {
        return server.close();
    }
}
