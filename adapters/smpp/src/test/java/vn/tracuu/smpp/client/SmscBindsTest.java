package vn.tracuu.smpp.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.DeliveryState;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.core.port.out.OutboundReply;
import vn.tracuu.smpp.RawSmppPeer;
import vn.tracuu.smpp.SmppTestOptions;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.Pdu;
import vn.tracuu.smpp.codec.PduCodec;
import vn.tracuu.smpp.codec.ShortMessage;
import vn.tracuu.smpp.session.OperatorBinds;
import vn.tracuu.smpp.session.OperatorOptions;
import vn.tracuu.smpp.session.OutboundBindOptions;
import vn.tracuu.smpp.session.PasswordCheck;
import vn.tracuu.smpp.session.SmppOptions;
import vn.tracuu.smpp.text.Alphabet;
import vn.tracuu.smpp.text.Concatenation;
import vn.tracuu.smpp.ussd.UssdMapping;

/**
 * The gateway binding out, against an SMSC that is raw bytes on a loopback server socket (not
 * jsmpp): what it writes is read octet by octet, and the SMSC can go silent at will.
 */
class SmscBindsTest {

    private Vertx vertx;
    private ServerSocket smsc;
    private OperatorBinds binds;
    private SmscBinds client;
    private final List<InboundMessage> received = new CopyOnWriteArrayList<>();
    private final List<DeliveryReceipt> receipts = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(500);

    @BeforeEach
    void listen() throws Exception {
        vertx = Vertx.vertx();
        smsc = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        smsc.setSoTimeout(10_000);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stopReconnecting();
            binds.closeAll().compose(v -> client.close()).await(10, TimeUnit.SECONDS);
        }
        smsc.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private void start(int sendRate, int receiveRate, Duration enquireLinkInterval) throws Exception {
        OperatorOptions viettel = new OperatorOptions(
                "viettel",
                "viettel",
                PasswordCheck.NONE,
                List.of(),
                1,
                List.of("8088"),
                Alphabet.GSM7,
                Concatenation.UDH,
                4,
                sendRate,
                receiveRate,
                Optional.of(new OutboundBindOptions(
                        "127.0.0.1",
                        smsc.getLocalPort(),
                        false,
                        "tracuu",
                        "pw",
                        "VMA",
                        CommandId.BIND_TRANSCEIVER,
                        "",
                        1)),
                UssdMapping.DEFAULT);
        SmppOptions options = SmppTestOptions.of(100, 50, Duration.ofSeconds(5), enquireLinkInterval, List.of(viettel));
        binds = new OperatorBinds(options.operators());
        MessageReceiver receiver = new MessageReceiver() {
            @Override
            public Future<AcceptedRequest> receive(InboundMessage message) {
                received.add(message);
                return Future.succeededFuture(new AcceptedRequest(ids.incrementAndGet(), message));
            }

            @Override
            public Future<Boolean> receipt(DeliveryReceipt receipt) {
                receipts.add(receipt);
                return Future.succeededFuture(true);
            }
        };
        client = new SmscBinds(vertx, SmppTestOptions.eventLoops(vertx, options), options, binds, receiver);
        client.start();
    }

    /** Accepts the gateway's connection and answers its bind; returns the peer and the bind it sent. */
    private RawSmppPeer acceptBind(int status) throws Exception {
        RawSmppPeer peer = new RawSmppPeer(smsc.accept());
        Pdu bind = peer.read();
        assertEquals(CommandId.BIND_TRANSCEIVER, bind.commandId());
        assertEquals("tracuu", bind.body().getString(0, 6));
        peer.send(PduCodec.bindResponse(bind.commandId(), status, bind.sequence(), "smsc"));
        return peer;
    }

    private static Buffer deliver(int sequence, String from, String text, int esmClass, Map<Integer, byte[]> tlvs) {
        ShortMessage sm = new ShortMessage(
                "",
                1,
                1,
                from,
                0,
                0,
                "8088",
                esmClass,
                0,
                0,
                "",
                "",
                0,
                0,
                0,
                0,
                text.getBytes(StandardCharsets.US_ASCII),
                tlvs);
        return PduCodec.shortMessage(CommandId.DELIVER_SM, sequence, sm);
    }

    private void awaitBound() {
        await("bound")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> binds.canDeliver("viettel"));
    }

    @Test
    void aCitizensDeliverSmIsAcknowledgedWithTheRequestIdAndAReceiptInTlvsIsRecorded() throws Exception {
        start(0, 0, Duration.ofSeconds(30));
        try (RawSmppPeer peer = acceptBind(CommandStatus.ESME_ROK)) {
            peer.send(deliver(1, "84912345678", "TC", 0, Map.of()));
            Pdu resp = peer.read();
            assertEquals(CommandId.responseTo(CommandId.DELIVER_SM), resp.commandId());
            assertEquals(CommandStatus.ESME_ROK, resp.status());
            assertEquals("501", PduCodec.decodeMessageId(resp));
            assertEquals(Msisdn.of("84912345678"), received.get(0).sender());

            // SMPP 3.4 §5.3.2.12/§5.3.2.35: receipted_message_id and message_state (2 = DELIVERED)
            peer.send(deliver(
                    2,
                    "84912345678",
                    "",
                    0x04,
                    Map.of(
                            ShortMessage.TAG_RECEIPTED_MESSAGE_ID,
                            "ab12\0".getBytes(StandardCharsets.US_ASCII),
                            ShortMessage.TAG_MESSAGE_STATE,
                            new byte[] {2})));
            assertEquals(CommandStatus.ESME_ROK, peer.read().status());
            assertEquals(List.of(new DeliveryReceipt("viettel", "ab12", DeliveryState.DELIVERED)), receipts);
            assertEquals(1, received.size(), "a receipt is not a citizen's message");
        }
    }

    @Test
    void aReplyLeavesAsSubmitSmAskingForAReceiptAndPacedToTheOperatorsRate() throws Exception {
        start(10, 0, Duration.ofSeconds(30));
        try (RawSmppPeer peer = acceptBind(CommandStatus.ESME_ROK)) {
            awaitBound();
            String longText = "Ho ten: NGUYEN VAN A. ".repeat(18);
            long started = System.nanoTime();
            Future<List<String>> sent = binds.deliver(new OutboundReply(
                    42,
                    "viettel",
                    Msisdn.of("84912345678"),
                    "8088",
                    longText,
                    0,
                    Instant.now().plusSeconds(60)));
            for (int i = 0; i < 3; i++) {
                Pdu submit = peer.read();
                long now = System.nanoTime();
                assertEquals(CommandId.SUBMIT_SM, submit.commandId());
                ShortMessage sm = PduCodec.decodeShortMessage(submit);
                assertEquals("84912345678", sm.destAddr());
                assertEquals("8088", sm.sourceAddr());
                assertEquals(1, sm.registeredDelivery(), "a final receipt is requested");
                if (i == 2) {
                    // 10 segments/s, one in each 100 ms period: the third leaves at least one whole
                    // period after the first. Measured from before the send, so a late read (a busy
                    // machine) can only lengthen it; 5 ms for the timer's rounding to whole ms
                    assertTrue(
                            now - started >= TimeUnit.MILLISECONDS.toNanos(95),
                            "paced: " + (now - started) / 1_000_000 + " ms");
                }
                peer.send(PduCodec.messageResponse(
                        CommandId.SUBMIT_SM, CommandStatus.ESME_ROK, submit.sequence(), "m" + i));
            }
            assertEquals(List.of("m0", "m1", "m2"), sent.await(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void pastTheReceiveRateTheOperatorIsToldToThrottle() throws Exception {
        start(0, 2, Duration.ofSeconds(30));
        try (RawSmppPeer peer = acceptBind(CommandStatus.ESME_ROK)) {
            for (int seq = 1; seq <= 5; seq++) {
                peer.send(deliver(seq, "84912345678", "TC", 0, Map.of()));
            }
            int throttled = 0;
            for (int i = 0; i < 5; i++) {
                if (peer.read().status() == CommandStatus.ESME_RTHROTTLED) {
                    throttled++;
                }
            }
            assertTrue(throttled >= 3, "2 per second taken, the rest throttled: " + throttled);
            assertEquals(5 - throttled, received.size());
        }
    }

    @Test
    void aSilentSmscIsDetectedByEnquireLinkAndTheGatewayBindsAgain() throws Exception {
        start(0, 0, Duration.ofMillis(200));
        try (RawSmppPeer silent = acceptBind(CommandStatus.ESME_ROK)) {
            Pdu probe = silent.read();
            assertEquals(CommandId.ENQUIRE_LINK, probe.commandId(), "an idle link is probed");
            // no enquire_link_resp: within the timeout (500 ms in tests) the gateway gives up on the link
            assertTrue(silent.closedByPeer(), "the dead link is closed");
            try (RawSmppPeer second = acceptBind(CommandStatus.ESME_ROK)) {
                Pdu again = second.read();
                assertEquals(CommandId.ENQUIRE_LINK, again.commandId());
                second.send(PduCodec.emptyResponse(
                        CommandId.responseTo(CommandId.ENQUIRE_LINK), CommandStatus.ESME_ROK, again.sequence()));
                awaitBound();
            }
        }
    }

    @Test
    void aRefusedBindIsTriedAgainAfterTheLongerDelay() throws Exception {
        start(0, 0, Duration.ofSeconds(30));
        long refusedAt;
        try (RawSmppPeer refused = acceptBind(CommandStatus.ESME_RBINDFAIL)) {
            refusedAt = System.nanoTime();
            try (RawSmppPeer accepted = acceptBind(CommandStatus.ESME_ROK)) {
                long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - refusedAt);
                // bind-refused-delay is 1 s here; the reconnect backoff alone would be 100-400 ms
                assertTrue(waitedMs >= 450, "waited " + waitedMs + " ms after ESME_RBINDFAIL");
                awaitBound();
            }
        }
    }
}
