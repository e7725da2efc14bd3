package vn.tracuu.simulators;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.session.connection.socket.SocketConnection;
import vn.tracuu.smpp.text.Gsm7;

/**
 * Plays an operator's SMSC that binds to the gateway, with handsets behind it: binds with jsmpp,
 * submits a citizen's text as a handset would, and reassembles the reply's segments. Blocking:
 * the command line and tests only.
 */
public final class PhoneSimulator implements UssdCentre, AutoCloseable {

    /** One SMS of a reply as it arrived: how it was coded and numbered. */
    public record Segment(int dataCoding, int esmClass, int reference, int total, int number, String text) {}

    /** A whole reply, segments in order. */
    public record Reply(String text, List<Segment> segments) {}

    private final SMPPSession session;
    private final ReplyAssembler replies = new ReplyAssembler();
    private final UssdScreens screens = new UssdScreens();
    private volatile java.util.function.Consumer<String> segmentTap;

    private PhoneSimulator(SMPPSession session) {
        this.session = session;
    }

    public static PhoneSimulator bind(String host, int port, String systemId, String password, BindType type)
            throws IOException {
        return bind(host, port, systemId, password, type, null);
    }

    /** As {@link #bind(String, int, String, String, BindType)}, over TLS with {@code tls} (null: plain TCP). */
    public static PhoneSimulator bind(
            String host, int port, String systemId, String password, BindType type, SSLContext tls) throws IOException {
        // jsmpp leaves Nagle on; a lone PDU would wait for the next one (DESIGN §4)
        SMPPSession session = new SMPPSession((h, p) -> {
            Socket socket =
                    tls == null ? new Socket(h, p) : tls.getSocketFactory().createSocket(h, p);
            socket.setTcpNoDelay(true);
            if (socket instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
            return new SocketConnection(socket);
        });
        session.setTransactionTimer(10_000);
        PhoneSimulator phone = new PhoneSimulator(session);
        session.setMessageReceiverListener(phone.listener());
        session.connectAndBind(
                host,
                port,
                new BindParameter(
                        type, systemId, password, "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
        return phone;
    }

    /** Submits a handset's text; GSM-7 when it fits the default alphabet, else UCS-2. Returns the message id. */
    public String send(String fromMsisdn, String shortCode, String text) throws Exception {
        boolean gsm = fitsGsm7(text);
        byte[] payload = handsetPayload(text);
        return session.submitShortMessage(
                        "",
                        TypeOfNumber.INTERNATIONAL,
                        NumberingPlanIndicator.ISDN,
                        fromMsisdn,
                        TypeOfNumber.UNKNOWN,
                        NumberingPlanIndicator.UNKNOWN,
                        shortCode,
                        new ESMClass(),
                        (byte) 0,
                        (byte) 0,
                        null,
                        null,
                        new RegisteredDelivery(0),
                        (byte) 0,
                        gsm ? GeneralDataCoding.DEFAULT : new GeneralDataCoding(org.jsmpp.bean.Alphabet.ALPHA_UCS2),
                        (byte) 0,
                        payload)
                .getMessageId();
    }

    /** Whether a handset would send this text in the GSM 7-bit default alphabet (else UCS-2). */
    static boolean fitsGsm7(String text) {
        return text.chars().allMatch(c -> Gsm7.septets((char) c) > 0);
    }

    /** The text as a handset codes it: GSM-7 septets one per octet (data_coding 0), else UCS-2 (8). */
    static byte[] handsetPayload(String text) {
        return fitsGsm7(text) ? Gsm7.encode(text) : text.getBytes(StandardCharsets.UTF_16BE);
    }

    /** Handed over as submit_sm with service_type USSD. */
    @Override
    public void ussd(String fromMsisdn, String serviceCode, int operation, int dialogue, int sequence, String text)
            throws Exception {
        session.submitShortMessage(
                "USSD",
                TypeOfNumber.INTERNATIONAL,
                NumberingPlanIndicator.ISDN,
                fromMsisdn,
                TypeOfNumber.UNKNOWN,
                NumberingPlanIndicator.UNKNOWN,
                serviceCode,
                new ESMClass(),
                (byte) 0,
                (byte) 0,
                null,
                null,
                new RegisteredDelivery(0),
                (byte) 0,
                new GeneralDataCoding(org.jsmpp.bean.Alphabet.ALPHA_DEFAULT),
                (byte) 0,
                handsetPayload(text),
                UssdScreens.tlvs(operation, dialogue, sequence));
    }

    @Override
    public UssdScreens.Screen awaitScreen(String msisdn, Duration timeout) throws InterruptedException {
        return screens.await(msisdn, timeout);
    }

    /** Waits for the next whole reply to {@code msisdn}; null when none is complete in time. */
    public Reply awaitReply(String msisdn, Duration timeout) throws InterruptedException {
        return replies.awaitReply(msisdn, timeout);
    }

    private MessageReceiverListener listener() {
        return new MessageReceiverListener() {
            @Override
            public void onAcceptDeliverSm(DeliverSm sm) {
                if (!screens.add(sm)) {
                    replies.add(sm);
                    java.util.function.Consumer<String> tap = segmentTap;
                    if (tap != null) {
                        byte[] d = sm.getShortMessage();
                        StringBuilder head = new StringBuilder();
                        for (int i = 0; i < Math.min(6, d.length); i++) {
                            head.append(String.format("%02x", d[i]));
                        }
                        tap.accept(sm.getDestAddress() + " esm=" + sm.getEsmClass() + " dcs=" + sm.getDataCoding()
                                + " head=" + head + " len=" + d.length);
                    }
                }
            }

            @Override
            public void onAcceptAlertNotification(AlertNotification alert) {}

            @Override
            public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
                throw new ProcessRequestException("data_sm not used", 0x03);
            }
        };
    }

    /** Told the recipient of every reply segment as it arrives (and its coding and first octets), for a peer that counts them. */
    public void onReplySegment(java.util.function.Consumer<String> tap) {
        segmentTap = tap;
    }

    /** Whether the bind is still up: false once the gateway or the link went away. */
    public boolean isBound() {
        return session.getSessionState().isBound();
    }

    /** Submits nothing more; unbinds cleanly. */
    @Override
    public void close() {
        session.unbindAndClose();
    }
}
