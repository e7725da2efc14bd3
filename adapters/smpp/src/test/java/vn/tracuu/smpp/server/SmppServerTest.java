package vn.tracuu.smpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.DeliveryReceipt;
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
import vn.tracuu.smpp.codec.SmppStatusException;
import vn.tracuu.smpp.session.OperatorBinds;
import vn.tracuu.smpp.session.OperatorOptions;
import vn.tracuu.smpp.session.PasswordCheck;
import vn.tracuu.smpp.session.SmppOptions;
import vn.tracuu.smpp.text.Alphabet;
import vn.tracuu.smpp.text.Concatenation;
import vn.tracuu.smpp.text.Gsm7;

/** The SMPP server against a raw-socket operator on port 0, with the core replaced by a recorder. */
class SmppServerTest {

    private static final String PASSWORD_HASH = PasswordCheck.hash("secret");

    private static Vertx vertx;
    private final List<InboundMessage> received = new CopyOnWriteArrayList<>();
    private final List<String> receivedOn = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private volatile Promise<AcceptedRequest> held;
    private OperatorBinds binds;
    private SmppServer server;
    private int port;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    @BeforeEach
    void start() throws Exception {
        OperatorOptions viettel = new OperatorOptions(
                "viettel",
                "viettel",
                PasswordCheck.parse(PASSWORD_HASH),
                List.of("127.0.0.1"),
                2,
                List.of("8088"),
                Alphabet.GSM7,
                Concatenation.UDH,
                4);
        OperatorOptions remote = new OperatorOptions(
                "mobifone",
                "mobifone",
                PasswordCheck.parse(PASSWORD_HASH),
                List.of("192.0.2.10"),
                2,
                List.of("8088"),
                Alphabet.GSM7,
                Concatenation.UDH,
                4);
        SmppOptions options = SmppTestOptions.of(2, 50, Duration.ofSeconds(5), List.of(viettel, remote));
        binds = new OperatorBinds(options.operators());
        MessageReceiver receiver = new MessageReceiver() {
            @Override
            public Future<AcceptedRequest> receive(InboundMessage message) {
                received.add(message);
                receivedOn.add(Thread.currentThread().getName());
                Promise<AcceptedRequest> p = held;
                return p != null
                        ? p.future()
                        : Future.succeededFuture(new AcceptedRequest(ids.incrementAndGet(), message));
            }

            @Override
            public Future<Boolean> receipt(DeliveryReceipt receipt) {
                return Future.succeededFuture(false);
            }
        };
        server = new SmppServer(vertx, SmppTestOptions.eventLoops(vertx, options), options, binds, receiver);
        port = server.start().await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        server.stopListening().compose(v -> binds.closeAll()).await(10, TimeUnit.SECONDS);
    }

    private RawSmppPeer bound(int bindCommand) throws Exception {
        RawSmppPeer c = new RawSmppPeer(port);
        Pdu resp = c.bind(bindCommand, "viettel", "secret");
        assertEquals(CommandStatus.ESME_ROK, resp.status());
        return c;
    }

    @Test
    void bindsAsTransmitterReceiverOrTransceiver() throws Exception {
        for (int cmd : new int[] {CommandId.BIND_TRANSMITTER, CommandId.BIND_RECEIVER, CommandId.BIND_TRANSCEIVER}) {
            try (RawSmppPeer c = new RawSmppPeer(port)) {
                Pdu resp = c.bind(cmd, "viettel", "secret");
                assertEquals(CommandId.responseTo(cmd), resp.commandId());
                assertEquals(CommandStatus.ESME_ROK, resp.status());
                assertEquals("tracuu", resp.body().getString(0, 6));
            }
        }
    }

    @Test
    void wrongPasswordOrUnknownSystemIdIsBindFailAndClose() throws Exception {
        for (String[] creds : new String[][] {{"viettel", "wrong"}, {"nobody", "secret"}}) {
            try (RawSmppPeer c = new RawSmppPeer(port)) {
                Pdu resp = c.bind(CommandId.BIND_TRANSCEIVER, creds[0], creds[1]);
                assertEquals(CommandStatus.ESME_RBINDFAIL, resp.status());
                assertTrue(c.closedByPeer());
            }
        }
    }

    @Test
    void aBindFromAnUnlistedAddressIsRefused() throws Exception {
        try (RawSmppPeer c = new RawSmppPeer(port)) {
            assertEquals(
                    CommandStatus.ESME_RBINDFAIL,
                    c.bind(CommandId.BIND_TRANSCEIVER, "mobifone", "secret").status());
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void bindsPastTheOperatorsMaximumAreRefused() throws Exception {
        try (RawSmppPeer a = bound(CommandId.BIND_TRANSMITTER);
                RawSmppPeer b = bound(CommandId.BIND_RECEIVER);
                RawSmppPeer c = new RawSmppPeer(port)) {
            assertEquals(
                    CommandStatus.ESME_RBINDFAIL,
                    c.bind(CommandId.BIND_TRANSCEIVER, "viettel", "secret").status());
            assertEquals(2, binds.bindCount("viettel"));
        }
    }

    @Test
    void aPduBeforeBindIsInvalidBindStatus() throws Exception {
        try (RawSmppPeer c = new RawSmppPeer(port)) {
            Pdu resp = c.submit(5, "84912345678", 1, "8088", "TC");
            assertEquals(CommandId.responseTo(CommandId.SUBMIT_SM), resp.commandId());
            assertEquals(CommandStatus.ESME_RINVBNDSTS, resp.status());
            assertEquals(5, resp.sequence());
            assertTrue(received.isEmpty());
        }
    }

    @Test
    void aReceiverBindMayNotSubmit() throws Exception {
        try (RawSmppPeer c = bound(CommandId.BIND_RECEIVER)) {
            assertEquals(
                    CommandStatus.ESME_RINVBNDSTS,
                    c.submit(2, "84912345678", 1, "8088", "TC").status());
        }
    }

    @Test
    void anUnknownCommandIdGetsGenericNack() throws Exception {
        try (RawSmppPeer c = bound(CommandId.BIND_TRANSCEIVER)) {
            c.send(PduCodec.header(0x00000077, 0, 9, Buffer.buffer()));
            Pdu resp = c.read();
            assertEquals(CommandId.GENERIC_NACK, resp.commandId());
            assertEquals(CommandStatus.ESME_RINVCMDID, resp.status());
            assertEquals(9, resp.sequence());
            c.send(PduCodec.emptyResponse(CommandId.ENQUIRE_LINK, 0, 10));
            assertEquals(CommandStatus.ESME_ROK, c.read().status(), "the bind stays usable");
        }
    }

    @Test
    void aCommandLengthUnderSixteenIsGenericNackAndClose() throws Exception {
        try (RawSmppPeer c = new RawSmppPeer(port)) {
            c.send(Buffer.buffer()
                    .appendInt(12)
                    .appendInt(CommandId.ENQUIRE_LINK)
                    .appendInt(0));
            Pdu resp = c.read();
            assertEquals(CommandId.GENERIC_NACK, resp.commandId());
            assertEquals(CommandStatus.ESME_RINVCMDLEN, resp.status());
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void aCommandLengthOverTheCapIsGenericNackAndCloseWithoutWaitingForTheBody() throws Exception {
        try (RawSmppPeer c = bound(CommandId.BIND_TRANSCEIVER)) {
            // claims 2 GB and sends only the header: the answer must not wait for (or allocate) the rest
            c.send(Buffer.buffer()
                    .appendInt(Integer.MAX_VALUE)
                    .appendInt(CommandId.SUBMIT_SM)
                    .appendInt(0)
                    .appendInt(3));
            Pdu resp = c.read();
            assertEquals(CommandId.GENERIC_NACK, resp.commandId());
            assertEquals(CommandStatus.ESME_RINVCMDLEN, resp.status());
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void enquireLinkBeforeBindIsInvalidBindStatusAndAnsweredOnceBound() throws Exception {
        try (RawSmppPeer c = new RawSmppPeer(port)) {
            c.send(PduCodec.emptyResponse(CommandId.ENQUIRE_LINK, 0, 3));
            Pdu resp = c.read();
            assertEquals(CommandId.responseTo(CommandId.ENQUIRE_LINK), resp.commandId());
            assertEquals(3, resp.sequence());
            assertEquals(CommandStatus.ESME_RINVBNDSTS, resp.status(), "SMPP 3.4 §2.3: only a bound session");
            assertEquals(
                    CommandStatus.ESME_ROK,
                    c.bind(CommandId.BIND_TRANSCEIVER, "viettel", "secret").status());
            c.send(PduCodec.emptyResponse(CommandId.ENQUIRE_LINK, 0, 4));
            Pdu bound = c.read();
            assertEquals(4, bound.sequence());
            assertEquals(CommandStatus.ESME_ROK, bound.status());
        }
    }

    @Test
    void aNulOrControlCharacterInAMessageIsReadAsASpaceNeverRefused() throws Exception {
        try (RawSmppPeer c = bound(CommandId.BIND_TRANSCEIVER)) {
            byte[] ucs2 = "TC\u0000CT\u001B".getBytes(StandardCharsets.UTF_16BE);
            assertEquals(
                    CommandStatus.ESME_ROK,
                    c.submit(2, 0x08, ucs2, java.util.Map.of()).status());
            byte[] latin1 = {'T', 'C', 0x00, 'L', 'S'};
            assertEquals(
                    CommandStatus.ESME_ROK,
                    c.submit(3, 0x03, latin1, java.util.Map.of()).status());
            byte[] loneSurrogate = {(byte) 0xD8, 0x00, 0x00, 'A'};
            assertEquals(
                    CommandStatus.ESME_ROK,
                    c.submit(4, 0x08, loneSurrogate, java.util.Map.of()).status());
            assertEquals("TC CT ", received.get(0).text());
            assertEquals("TC LS", received.get(1).text());
            String replaced = received.get(2).text();
            assertTrue(replaced.startsWith("\uFFFD"), replaced);
            assertFalse(replaced.chars().anyMatch(ch -> Character.isSurrogate((char) ch)), replaced);
        }
    }

    @Test
    void malformedFieldsGetTheStatusSmpp34NamesForThem() throws Exception {
        try (RawSmppPeer c = bound(CommandId.BIND_TRANSCEIVER)) {
            byte[] tc = "TC".getBytes(StandardCharsets.US_ASCII);
            // §5.3.2.32: with message_payload, sm_length is zero
            assertEquals(
                    CommandStatus.ESME_RINVOPTPARAMVAL,
                    c.submit(2, 0, tc, java.util.Map.of(ShortMessage.TAG_MESSAGE_PAYLOAD, tc))
                            .status());
            // §5.3.2.44, §5.3.2.22: fixed-length TLVs given empty are refused, not read as absent
            assertEquals(
                    CommandStatus.ESME_RINVPARLEN,
                    c.submit(3, 0, tc, java.util.Map.of(ShortMessage.TAG_USSD_SERVICE_OP, new byte[0]))
                            .status());
            assertEquals(
                    CommandStatus.ESME_RINVPARLEN,
                    c.submit(4, 0, tc, java.util.Map.of(ShortMessage.TAG_SAR_MSG_REF_NUM, new byte[0]))
                            .status());
            assertTrue(received.isEmpty());
        }
        // §4.1.1: system_id at most 15 characters, password at most 8
        try (RawSmppPeer c = new RawSmppPeer(port)) {
            assertEquals(
                    CommandStatus.ESME_RINVSYSID,
                    c.bind(CommandId.BIND_TRANSCEIVER, "viettel-and-more-than-16", "secret")
                            .status());
        }
        try (RawSmppPeer c = new RawSmppPeer(port)) {
            assertEquals(
                    CommandStatus.ESME_RINVPASWD,
                    c.bind(CommandId.BIND_TRANSCEIVER, "viettel", "far-too-long")
                            .status());
        }
    }

    @Test
    void unbindIsAnsweredAndTheBindReleased() throws Exception {
        try (RawSmppPeer c = bound(CommandId.BIND_TRANSCEIVER)) {
            assertEquals(1, binds.bindCount("viettel"));
            c.send(PduCodec.emptyResponse(CommandId.UNBIND, 0, 7));
            Pdu resp = c.read();
            assertEquals(CommandId.responseTo(CommandId.UNBIND), resp.commandId());
            assertEquals(CommandStatus.ESME_ROK, resp.status());
            assertTrue(c.closedByPeer());
            assertEquals(0, binds.bindCount("viettel"));
        }
    }

    @Test
    void twoBindsAreServedOnTwoEventLoops() throws Exception {
        try (RawSmppPeer first = bound(CommandId.BIND_TRANSCEIVER);
                RawSmppPeer second = bound(CommandId.BIND_TRANSCEIVER)) {
            assertEquals(
                    CommandStatus.ESME_ROK,
                    first.submit(2, "84912345678", 1, "8088", "TC").status());
            assertEquals(
                    CommandStatus.ESME_ROK,
                    second.submit(2, "84912345679", 1, "8088", "TC").status());
        }
        assertEquals(2, receivedOn.size());
        assertTrue(
                !receivedOn.get(0).equals(receivedOn.get(1)),
                "each bind decoded on its own loop, so two binds use two cores: " + receivedOn);
    }

    @Test
    void aSubmitIsNormalisedAndAcknowledgedOnlyOnceTheCoreHasStoredIt() throws Exception {
        Promise<AcceptedRequest> durable = Promise.promise();
        held = durable;
        try (RawSmppPeer c = bound(CommandId.BIND_TRANSCEIVER)) {
            ShortMessage sm = new ShortMessage(
                    "",
                    2,
                    1,
                    "0912345678",
                    0,
                    0,
                    "8088",
                    0,
                    0,
                    0,
                    "",
                    "",
                    0,
                    0,
                    0,
                    0,
                    "TC CT".getBytes(StandardCharsets.US_ASCII),
                    java.util.Map.of());
            c.send(PduCodec.shortMessage(CommandId.SUBMIT_SM, 11, sm));
            c.send(PduCodec.emptyResponse(CommandId.ENQUIRE_LINK, 0, 12));
            Pdu first = c.read();
            assertEquals(12, first.sequence(), "nothing acknowledges the submit before it is durable");
            InboundMessage m = received.get(0);
            assertEquals(Msisdn.of("84912345678"), m.sender());
            assertEquals("TC CT", m.text());
            assertEquals("viettel", m.operatorId());
            durable.complete(new AcceptedRequest(4242, m));
            Pdu resp = c.read();
            assertEquals(11, resp.sequence());
            assertEquals(CommandStatus.ESME_ROK, resp.status());
            assertEquals("4242", resp.body().getString(0, 4));
        }
    }

    @Test
    void aFailedStoreIsAThrottledAnswerTheOperatorSendsAgain() throws Exception {
        Promise<AcceptedRequest> failing = Promise.promise();
        failing.fail("database down");
        held = failing;
        try (RawSmppPeer c = bound(CommandId.BIND_TRANSCEIVER)) {
            assertEquals(
                    CommandStatus.ESME_RTHROTTLED,
                    c.submit(2, "84912345678", 1, "8088", "TC").status());
        }
    }

    @Test
    void badAddressesAndTruncatedBodiesGetTheirOwnStatus() throws Exception {
        try (RawSmppPeer c = bound(CommandId.BIND_TRANSCEIVER)) {
            assertEquals(
                    CommandStatus.ESME_RINVDSTADR,
                    c.submit(2, "84912345678", 1, "9999", "TC").status());
            assertEquals(
                    CommandStatus.ESME_RINVSRCADR,
                    c.submit(3, "12025550123", 1, "8088", "TC").status());
            Buffer truncated = Buffer.buffer();
            RawSmppPeer.cString(truncated, "");
            truncated.appendByte((byte) 1).appendByte((byte) 1);
            c.send(PduCodec.header(
                    CommandId.SUBMIT_SM, 0, 4, truncated.appendBytes("8491".getBytes(StandardCharsets.US_ASCII))));
            assertEquals(CommandStatus.ESME_RINVMSGLEN, c.read().status());
            assertTrue(received.isEmpty());
        }
    }

    @Test
    void pastTheInboundWindowSubmitsAreThrottled() throws Exception {
        held = Promise.promise();
        try (RawSmppPeer c = bound(CommandId.BIND_TRANSCEIVER)) {
            ShortMessage sm = new ShortMessage(
                    "",
                    1,
                    1,
                    "84912345678",
                    0,
                    0,
                    "8088",
                    0,
                    0,
                    0,
                    "",
                    "",
                    0,
                    0,
                    0,
                    0,
                    "TC".getBytes(StandardCharsets.US_ASCII),
                    java.util.Map.of());
            for (int seq = 1; seq <= 3; seq++) {
                c.send(PduCodec.shortMessage(CommandId.SUBMIT_SM, seq, sm));
            }
            Pdu resp = c.read();
            assertEquals(3, resp.sequence());
            assertEquals(CommandStatus.ESME_RTHROTTLED, resp.status());
        }
    }

    @Test
    void aReplyGoesOutAsDeliverSmAndCompletesWhenAcknowledged() throws Exception {
        try (RawSmppPeer c = bound(CommandId.BIND_RECEIVER)) {
            assertTrue(binds.canDeliver("viettel"));
            assertFalse(binds.canDeliver("mobifone"));
            Future<List<String>> sent = binds.deliver(new OutboundReply(
                    7,
                    "viettel",
                    Msisdn.of("84912345678"),
                    "8088",
                    "Nhóm máu: O+.",
                    0,
                    Instant.now().plusSeconds(60)));
            Pdu deliver = c.read();
            assertEquals(CommandId.DELIVER_SM, deliver.commandId());
            ShortMessage sm = vn.tracuu.smpp.codec.PduCodec.decodeShortMessage(deliver);
            assertEquals("8088", sm.sourceAddr());
            assertEquals("84912345678", sm.destAddr());
            assertEquals(1, sm.destTon());
            assertEquals("Nhom mau: O+.", Gsm7.decode(sm.shortMessage(), 0));
            assertFalse(sent.isComplete(), "not sent until the operator acknowledges");
            c.send(PduCodec.messageResponse(CommandId.DELIVER_SM, CommandStatus.ESME_ROK, deliver.sequence(), ""));
            sent.await(5, TimeUnit.SECONDS);
            assertTrue(sent.succeeded());
        }
    }

    @Test
    void aNegativeDeliverSmRespFailsTheSend() throws Exception {
        try (RawSmppPeer c = bound(CommandId.BIND_TRANSCEIVER)) {
            Future<List<String>> sent = binds.deliver(new OutboundReply(
                    8,
                    "viettel",
                    Msisdn.of("84912345678"),
                    "8088",
                    "x",
                    0,
                    Instant.now().plusSeconds(60)));
            Pdu deliver = c.read();
            c.send(PduCodec.messageResponse(
                    CommandId.DELIVER_SM, CommandStatus.ESME_RSYSERR, deliver.sequence(), null));
            try {
                sent.await(5, TimeUnit.SECONDS);
            } catch (Exception expected) {
                // the failure is asserted below
            }
            assertTrue(sent.failed());
            assertEquals(CommandStatus.ESME_RSYSERR, ((SmppStatusException) sent.cause()).status());
        }
    }

    @Test
    void aQueueFullOrThrottledAnswerPausesAndResendsTheSamePdu() throws Exception {
        try (RawSmppPeer c = bound(CommandId.BIND_TRANSCEIVER)) {
            Future<List<String>> sent = binds.deliver(new OutboundReply(
                    9,
                    "viettel",
                    Msisdn.of("84912345678"),
                    "8088",
                    "Ho ten",
                    0,
                    Instant.now().plusSeconds(60)));
            Pdu first = c.read();
            c.send(PduCodec.messageResponse(CommandId.DELIVER_SM, CommandStatus.ESME_RMSGQFUL, first.sequence(), null));
            long refusedAt = System.nanoTime();
            Pdu second = c.read();
            long pausedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - refusedAt);
            assertTrue(pausedMs >= 150, "the resend waited for the throttle backoff, not " + pausedMs + " ms");
            assertEquals(first.body(), second.body(), "the same message again");
            assertTrue(second.sequence() != first.sequence());
            c.send(PduCodec.messageResponse(
                    CommandId.DELIVER_SM, CommandStatus.ESME_RTHROTTLED, second.sequence(), null));
            Pdu third = c.read();
            assertEquals(first.body(), third.body());
            c.send(PduCodec.messageResponse(CommandId.DELIVER_SM, CommandStatus.ESME_ROK, third.sequence(), ""));
            sent.await(5, TimeUnit.SECONDS);
            assertTrue(sent.succeeded());
            assertEquals(2, binds.snapshots().get(0).throttledByPeer());
        }
    }
}
