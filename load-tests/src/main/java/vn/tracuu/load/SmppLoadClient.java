package vn.tracuu.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import vn.tracuu.core.domain.TextNormalizer;
import vn.tracuu.core.lookup.ReplyText;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.Pdu;
import vn.tracuu.smpp.codec.PduCodec;
import vn.tracuu.smpp.codec.PduFramer;
import vn.tracuu.smpp.codec.ShortMessage;
import vn.tracuu.smpp.text.Gsm7;
import vn.tracuu.smpp.text.InboundText;
import vn.tracuu.smpp.ussd.ItsSessionInfo;

/**
 * One simulated operator bind (transceiver) on Vert.x with the gateway's own PDU codec, so the
 * driver is not the bottleneck: hands over handsets' texts, reports each one's response status and
 * every reply segment, acknowledging each. Either side of it: the operator's ESME binding in
 * (texts as submit_sm, replies as deliver_sm), or the operator's SMSC the gateway binds out to
 * (texts as deliver_sm, replies as submit_sm, each answered with a message id and followed by a
 * delivery receipt when asked for one). TCP_NODELAY, as the gateway's own sockets.
 */
final class SmppLoadClient {

    /** How long after taking a reply segment the SMSC reports it delivered. */
    static final Duration RECEIPT_DELAY = Duration.ofSeconds(1);

    /** Which side of the bind the driver plays. */
    enum Role {
        ESME(CommandId.SUBMIT_SM, CommandId.DELIVER_SM),
        SMSC(CommandId.DELIVER_SM, CommandId.SUBMIT_SM);

        // how a handset's text goes to the gateway, and how its reply comes back
        final int text;
        final int reply;

        Role(int text, int reply) {
            this.text = text;
            this.reply = reply;
        }
    }

    /**
     * One reply segment: to whom, and its place among the reply's segments; for a USSD screen
     * (always one segment) its ussd_service_op and its_session_info sequence, else -1; {@code busy}
     * when it is the whole "system busy" answer, not a lookup's.
     */
    record Segment(
            String msisdn,
            int number,
            int total,
            int ussdOperation,
            int ussdSequence,
            boolean busy,
            String text,
            boolean notice) {

        boolean ussd() {
            return ussdOperation >= 0;
        }
    }

    // as a GSM-7 reply carries it, without diacritics (a UCS-2 one carries ReplyText.BUSY itself)
    private static final String BUSY_GSM7 = TextNormalizer.stripDiacritics(ReplyText.BUSY);
    // how a lookup notice begins (ReplyText.notice), in either alphabet
    private static final String NOTICE = ReplyText.NOTICE_OPENING;
    private static final String NOTICE_GSM7 = TextNormalizer.stripDiacritics(NOTICE);
    private final java.util.Set<String> noticeParts = new java.util.HashSet<>();

    private final Vertx vertx;
    // held for the bind's whole life: Vert.x closes an unreachable NetClient, and its connections
    // with it, once the garbage collector finds it (this cut every bind ~30 s into a benchmark)
    private NetClient client;
    private NetSocket socket;
    private final Role role;
    private BiConsumer<String, Integer> onSubmitted = (msisdn, status) -> {};
    private Consumer<Segment> onSegment = segment -> {};
    // the SMSC's message ids, one per reply segment taken, unique across its binds and runs
    private LongSupplier messageIds = () -> 0;
    private int sequence = 1;
    private final Map<Integer, String> pendingSubmits = new java.util.HashMap<>();
    // deliver_sm taken, for the sample jsmpp reads again; and what to do when it reads one differently
    private long delivered;
    private Consumer<String> onDisagreement = what -> {};

    SmppLoadClient(Vertx vertx) {
        this(vertx, Role.ESME);
    }

    private SmppLoadClient(Vertx vertx, Role role) {
        this.vertx = vertx;
        this.role = role;
    }

    /**
     * The SMSC's side of a connection the gateway opened; {@code bound} completes with it once the
     * gateway's bind is answered. Enquire links are answered from then on, traffic reported once
     * {@link #onTraffic} says where.
     */
    static void accepted(Vertx vertx, NetSocket s, LongSupplier messageIds, Promise<SmppLoadClient> bound) {
        SmppLoadClient c = new SmppLoadClient(vertx, Role.SMSC);
        c.socket = s;
        c.messageIds = messageIds;
        Promise<Void> bind = Promise.promise();
        bind.future().onSuccess(v -> bound.tryComplete(c)).onFailure(bound::tryFail);
        s.handler(new PduFramer(1 << 16, pdu -> c.handle(pdu, bind), len -> s.close()));
    }

    /** Where each text's response status (msisdn, status) and each reply segment go from now on. */
    void onTraffic(BiConsumer<String, Integer> submitted, Consumer<Segment> segment) {
        onSubmitted = submitted;
        onSegment = segment;
    }

    /** Where a disagreement between the two decoders of a sampled reply is reported. */
    void onDisagreement(Consumer<String> report) {
        onDisagreement = report;
    }

    /** Connects and binds; {@code onSubmitted} gets (msisdn, status), {@code onSegment} every reply segment. */
    Future<Void> bind(
            String host,
            int port,
            String systemId,
            String password,
            BiConsumer<String, Integer> onSubmitted,
            Consumer<Segment> onSegment) {
        onTraffic(onSubmitted, onSegment);
        Promise<Void> bound = Promise.promise();
        client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
        client.connect(port, host)
                .onSuccess(s -> {
                    socket = s;
                    s.handler(new PduFramer(1 << 16, pdu -> handle(pdu, bound), len -> s.close()));
                    s.write(PduCodec.bind(CommandId.BIND_TRANSCEIVER, sequence++, systemId, password));
                })
                .onFailure(bound::fail);
        return bound.future();
    }

    private void handle(Pdu pdu, Promise<Void> bound) {
        int id = pdu.commandId();
        if (id == CommandId.BIND_TRANSCEIVER + CommandId.RESPONSE_BIT) {
            if (pdu.status() == CommandStatus.ESME_ROK) {
                bound.tryComplete();
            } else {
                bound.tryFail("bind refused: 0x" + Integer.toHexString(pdu.status()));
            }
        } else if (role == Role.SMSC
                && (id == CommandId.BIND_TRANSCEIVER
                        || id == CommandId.BIND_TRANSMITTER
                        || id == CommandId.BIND_RECEIVER)) {
            socket.write(PduCodec.bindResponse(id, CommandStatus.ESME_ROK, pdu.sequence(), "bench-smsc"));
            bound.tryComplete();
        } else if (id == CommandId.responseTo(role.text)) {
            String msisdn = pendingSubmits.remove(pdu.sequence());
            if (msisdn != null) {
                onSubmitted.accept(msisdn, pdu.status());
            }
        } else if (id == role.reply) {
            reply(pdu);
        } else if (id == CommandId.ENQUIRE_LINK || id == CommandId.UNBIND) {
            socket.write(PduCodec.emptyResponse(CommandId.responseTo(id), 0, pdu.sequence()));
        }
    }

    /** A reply segment: acknowledged (by the SMSC with a message id, and a receipt when asked), then read. */
    private void reply(Pdu pdu) {
        ShortMessage sm = PduCodec.decodeShortMessage(pdu);
        if (++delivered % IndependentDecoding.SAMPLE_EVERY == 0) {
            String disagreement = IndependentDecoding.disagreement(pdu, sm);
            if (disagreement != null) {
                onDisagreement.accept("codec: jsmpp reads " + disagreement + " differently");
            }
        }
        byte[] data = sm.shortMessage();
        int number = 1;
        int total = 1;
        int reference = -1;
        if (sm.hasUdh() && data.length >= 6) {
            reference = data[3] & 0xFF;
            total = data[4] & 0xFF;
            number = data[5] & 0xFF;
        } else if (sm.tlvs().containsKey(ShortMessage.TAG_SAR_TOTAL_SEGMENTS)) {
            byte[] ref = sm.tlvs().get(ShortMessage.TAG_SAR_MSG_REF_NUM);
            reference = ref == null ? -1 : ref[ref.length - 1] & 0xFF;
            total = sm.tlvs().get(ShortMessage.TAG_SAR_TOTAL_SEGMENTS)[0] & 0xFF;
            number = sm.tlvs().get(ShortMessage.TAG_SAR_SEGMENT_SEQNUM)[0] & 0xFF;
        }
        byte[] op = sm.tlvs().get(ShortMessage.TAG_USSD_SERVICE_OP);
        int ussdOperation = op != null && op.length == 1 ? op[0] & 0xFF : -1;
        int ussdSequence = ItsSessionInfo.parse(sm.tlvs().get(ShortMessage.TAG_ITS_SESSION_INFO))
                .map(ItsSessionInfo::sequence)
                .orElse(-1);
        if (role == Role.ESME) {
            socket.write(PduCodec.messageResponse(CommandId.DELIVER_SM, CommandStatus.ESME_ROK, pdu.sequence(), ""));
        } else {
            String messageId = Long.toHexString(messageIds.getAsLong());
            socket.write(
                    PduCodec.messageResponse(CommandId.SUBMIT_SM, CommandStatus.ESME_ROK, pdu.sequence(), messageId));
            // SMPP 3.4 §5.2.17: bit 0 of registered_delivery asks for a receipt of the final outcome,
            // which a handset's network gives a while later, not with the response
            if ((sm.registeredDelivery() & 0x01) != 0) {
                vertx.setTimer(
                        RECEIPT_DELAY.toMillis(),
                        id -> socket.write(
                                PduCodec.shortMessage(CommandId.DELIVER_SM, sequence++, receipt(sm, messageId))));
            }
        }
        // every segment read: the driver checks each reply names the record its number is bound to
        String text = InboundText.decode(sm.dataCoding(), data, sm.hasUdh());
        boolean busy = total == 1 && (text.equals(BUSY_GSM7) || text.equals(ReplyText.BUSY));
        // a lookup notice to another number of the record is not that number's reply: its
        // first segment says so, its others share that segment's reference
        String noticeKey = sm.destAddr() + "/" + reference;
        boolean notice =
                number == 1 ? text.startsWith(NOTICE_GSM7) || text.startsWith(NOTICE) : noticeParts.contains(noticeKey);
        if (notice && number < total) {
            noticeParts.add(noticeKey);
        } else if (notice) {
            noticeParts.remove(noticeKey);
        }
        onSegment.accept(new Segment(sm.destAddr(), number, total, ussdOperation, ussdSequence, busy, text, notice));
    }

    /** Submits a handset's text; must be called on this client's context. */
    void submit(String msisdn, String shortCode, String text) {
        submit(new ShortMessage(
                "", 1, 1, msisdn, 0, 0, shortCode, 0, 0, 0, "", "", 0, 0, 0, 0, Gsm7.encode(text), Map.of()));
    }

    /**
     * Hands over a handset's USSD input as the operator's USSD centre would: service_type USSD, to
     * the service code, with ussd_service_op and its_session_info (SMPP 3.4 §5.3.2.43-44).
     */
    void submitUssd(String msisdn, String serviceCode, int operation, int session, int ussdSequence, String text) {
        Map<Integer, byte[]> tlvs = Map.of(
                ShortMessage.TAG_USSD_SERVICE_OP,
                new byte[] {(byte) operation},
                ShortMessage.TAG_ITS_SESSION_INFO,
                new ItsSessionInfo(session, ussdSequence, false).encode());
        submit(new ShortMessage(
                "USSD", 1, 1, msisdn, 0, 0, serviceCode, 0, 0, 0, "", "", 0, 0, 0, 0, Gsm7.encode(text), tlvs));
    }

    private void submit(ShortMessage sm) {
        int seq = sequence++;
        pendingSubmits.put(seq, sm.sourceAddr());
        socket.write(PduCodec.shortMessage(role.text, seq, sm));
    }

    /**
     * The segment's delivery receipt, as an SMSC sends it: esm_class "SMSC delivery receipt"
     * (SMPP 3.4 §5.2.12), the receipted_message_id and message_state TLVs (§5.3.2.12, §5.3.2.35)
     * and the Appendix B text.
     */
    private static ShortMessage receipt(ShortMessage segment, String messageId) {
        byte[] id = (messageId + "\0").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        String text = "id:" + messageId
                + " sub:001 dlvrd:001 submit date:2612070000 done date:2612070000 stat:DELIVRD err:000";
        return new ShortMessage(
                "",
                segment.destTon(),
                segment.destNpi(),
                segment.destAddr(),
                segment.sourceTon(),
                segment.sourceNpi(),
                segment.sourceAddr(),
                0x04,
                0,
                0,
                "",
                "",
                0,
                0,
                0,
                0,
                Gsm7.encode(text),
                Map.of(ShortMessage.TAG_RECEIPTED_MESSAGE_ID, id, ShortMessage.TAG_MESSAGE_STATE, new byte[] {2}));
    }

    /** Closes a bind the driver opened; a bind the gateway opened stays for the next run. */
    Future<Void> close() {
        return client == null ? Future.succeededFuture() : client.close();
    }
}
