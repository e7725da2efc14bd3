package vn.tracuu.smpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.smpp.RawSmppPeer;
import vn.tracuu.smpp.SmppTestOptions;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.Pdu;
import vn.tracuu.smpp.codec.PduCodec;
import vn.tracuu.smpp.codec.ShortMessage;
import vn.tracuu.smpp.session.ConcatenatedParts;
import vn.tracuu.smpp.session.OperatorOptions;

/** A citizen's text in parts, sent by an operator over a raw socket, becomes one request. */
class ConcatenatedInboundTest {

    private static final int UDHI = 0x40;

    private static Vertx vertx;
    private ServerFixture server;
    private List<InboundMessage> received;

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
        OperatorOptions viettel = ServerFixture.operator("viettel", 2, "127.0.0.1");
        server = new ServerFixture(vertx, SmppTestOptions.of(10, 10, Duration.ofSeconds(5), List.of(viettel)));
        received = server.received;
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private RawSmppPeer bound() throws Exception {
        RawSmppPeer peer = new RawSmppPeer(server.port);
        assertEquals(
                CommandStatus.ESME_ROK,
                peer.bind(CommandId.BIND_TRANSCEIVER, "viettel", "secret").status());
        return peer;
    }

    private static byte[] withHeader(byte[] header, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static Map<Integer, byte[]> sar(int reference, int total, int sequence) {
        return Map.of(
                ShortMessage.TAG_SAR_MSG_REF_NUM, new byte[] {(byte) (reference >> 8), (byte) reference},
                ShortMessage.TAG_SAR_TOTAL_SEGMENTS, new byte[] {(byte) total},
                ShortMessage.TAG_SAR_SEGMENT_SEQNUM, new byte[] {(byte) sequence});
    }

    @Test
    void partsWithAnEightBitHeaderAreOneRequestAcknowledgedOnlyOnceTheWholeIsStored() throws Exception {
        try (RawSmppPeer peer = bound()) {
            peer.sendSubmit(2, UDHI, 0, withHeader(new byte[] {5, 0x00, 3, 0x7A, 2, 1}, "TC "), Map.of());
            peer.send(PduCodec.emptyResponse(CommandId.ENQUIRE_LINK, 0, 3));
            assertEquals(3, peer.read().sequence(), "the first part waits for the whole text");
            peer.sendSubmit(4, UDHI, 0, withHeader(new byte[] {5, 0x00, 3, 0x7A, 2, 2}, "CT"), Map.of());
            Pdu a = peer.read();
            Pdu b = peer.read();
            assertEquals(CommandStatus.ESME_ROK, a.status());
            assertEquals(CommandStatus.ESME_ROK, b.status());
            assertEquals(PduCodec.decodeMessageId(a), PduCodec.decodeMessageId(b), "one request for both parts");
            assertEquals(1, received.size());
            assertEquals("TC CT", received.get(0).text());
        }
    }

    @Test
    void partsOutOfOrderBySarOrASixteenBitHeaderComeTogetherInOrder() throws Exception {
        try (RawSmppPeer peer = bound()) {
            peer.sendSubmit(2, 0, 0, "C".getBytes(StandardCharsets.US_ASCII), sar(0x1234, 3, 3));
            peer.sendSubmit(3, 0, 0, "TC ".getBytes(StandardCharsets.US_ASCII), sar(0x1234, 3, 1));
            peer.sendSubmit(4, 0, 0, "C".getBytes(StandardCharsets.US_ASCII), sar(0x1234, 3, 2));
            for (int i = 0; i < 3; i++) {
                assertEquals(CommandStatus.ESME_ROK, peer.read().status());
            }
            byte[] h1 = {6, 0x08, 4, 0x01, 0x02, 2, 1};
            byte[] h2 = {6, 0x08, 4, 0x01, 0x02, 2, 2};
            peer.sendSubmit(5, UDHI, 0, withHeader(h2, " 9915"), Map.of());
            peer.sendSubmit(6, UDHI, 0, withHeader(h1, "TC NM"), Map.of());
            peer.read();
            peer.read();
            assertEquals(
                    List.of("TC CC", "TC NM 9915"),
                    received.stream().map(InboundMessage::text).toList());
        }
    }

    @Test
    void partsThatNeverAllComeAreTakenAsTheTextAfterTheTimeout() throws Exception {
        try (RawSmppPeer peer = bound()) {
            long sent = System.nanoTime();
            peer.sendSubmit(2, 0, 0, "TC CT".getBytes(StandardCharsets.US_ASCII), sar(7, 2, 1));
            Pdu ack = peer.read();
            assertEquals(CommandStatus.ESME_ROK, ack.status(), "acknowledged once stored, never lost");
            assertTrue(System.nanoTime() - sent >= TimeUnit.MILLISECONDS.toNanos(1_900), "after the 2 s wait");
            assertEquals("TC CT", received.get(0).text());
        }
    }

    @Test
    void aMessageInOnePartOrWithAPartNumberOutOfRangeIsNotHeldBack() throws Exception {
        try (RawSmppPeer peer = bound()) {
            assertEquals(
                    CommandStatus.ESME_ROK,
                    peer.submit(2, 0, "TC".getBytes(StandardCharsets.US_ASCII), sar(9, 1, 1))
                            .status());
            assertEquals(
                    CommandStatus.ESME_ROK,
                    peer.submit(3, 0, "LS".getBytes(StandardCharsets.US_ASCII), sar(9, 2, 3))
                            .status());
            assertEquals(
                    List.of("TC", "LS"),
                    received.stream().map(InboundMessage::text).toList());
        }
    }

    @Test
    void pastTheBoundOnWaitingMessagesANewOnesPartIsRefused() throws Exception {
        ConcatenatedParts parts = new ConcatenatedParts(vertx, Duration.ofSeconds(30), 1);
        InboundMessage m =
                new InboundMessage("viettel", "b", Channel.SMS, Msisdn.of("84912345678"), "8088", "x", Instant.now());
        assertTrue(parts.add(m, new ConcatenatedParts.Position(1, 2, 1), x -> Future.succeededFuture(), f -> {}));
        assertFalse(parts.add(m, new ConcatenatedParts.Position(2, 2, 1), x -> Future.succeededFuture(), f -> {}));
        assertTrue(
                parts.add(m, new ConcatenatedParts.Position(1, 2, 2), x -> Future.succeededFuture(), f -> {}),
                "a part of the message already waiting is taken");
    }
}
