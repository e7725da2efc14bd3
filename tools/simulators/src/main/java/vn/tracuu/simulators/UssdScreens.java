package vn.tracuu.simulators;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.MessageRequest;
import org.jsmpp.bean.OptionalParameter;
import vn.tracuu.smpp.codec.ShortMessage;
import vn.tracuu.smpp.text.InboundText;
import vn.tracuu.smpp.ussd.ItsSessionInfo;
import vn.tracuu.smpp.ussd.UssdMapping;

/**
 * The USSD side of the simulators, which play an operator's USSD centre: builds the TLVs of a
 * handset's dial-in, answer or abort, and gathers the gateway's screens per handset.
 */
public final class UssdScreens {

    /** One screen as the gateway sent it: its operation, dialogue number, sequence and end flag, and text. */
    public record Screen(
            String serviceType, int operation, int session, int sequence, boolean end, int dataCoding, String text) {}

    // the bundled mapping's values (SMPP 3.4 §5.3.2.44, and its abort code)
    public static final int PSSR_INDICATION = UssdMapping.DEFAULT_PSSR_INDICATION;
    public static final int USSR_REQUEST = UssdMapping.DEFAULT_USSR_REQUEST;
    public static final int PSSR_RESPONSE = UssdMapping.DEFAULT_PSSR_RESPONSE;
    public static final int USSR_CONFIRM = UssdMapping.DEFAULT_USSR_CONFIRM;
    public static final int ABORT = UssdMapping.DEFAULT_ABORT_CODE;

    private final Map<String, BlockingQueue<Screen>> byRecipient = new HashMap<>();

    /** Takes the PDU when it is a USSD screen (it carries ussd_service_op); false for anything else. */
    boolean add(MessageRequest sm) {
        OptionalParameter op = sm.getOptionalParameter((short) ShortMessage.TAG_USSD_SERVICE_OP);
        if (op == null) {
            return false;
        }
        ItsSessionInfo info = ItsSessionInfo.parse(
                        value(sm.getOptionalParameter((short) ShortMessage.TAG_ITS_SESSION_INFO)))
                .orElse(new ItsSessionInfo(-1, -1, false));
        byte[] data = sm.getShortMessage().length == 0
                        && sm.getOptionalParameter((short) ShortMessage.TAG_MESSAGE_PAYLOAD) != null
                ? value(sm.getOptionalParameter((short) ShortMessage.TAG_MESSAGE_PAYLOAD))
                : sm.getShortMessage();
        queueFor(sm.getDestAddress())
                .add(new Screen(
                        sm.getServiceType(),
                        value(op)[0] & 0xFF,
                        info.session(),
                        info.sequence(),
                        info.end(),
                        sm.getDataCoding() & 0xFF,
                        InboundText.decode(sm.getDataCoding() & 0xFF, data, false)));
        return true;
    }

    /** Waits for the next screen to {@code msisdn}; null when none comes in time. */
    Screen await(String msisdn, Duration timeout) throws InterruptedException {
        return queueFor(msisdn).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** ussd_service_op and its_session_info (the end flag clear) of a handset's input. */
    static OptionalParameter[] tlvs(int operation, int session, int sequence) {
        return new OptionalParameter[] {
            new OptionalParameter.Byte((short) ShortMessage.TAG_USSD_SERVICE_OP, (byte) operation),
            new OptionalParameter.OctetString(
                    (short) ShortMessage.TAG_ITS_SESSION_INFO, new ItsSessionInfo(session, sequence, false).encode())
        };
    }

    private synchronized BlockingQueue<Screen> queueFor(String msisdn) {
        return byRecipient.computeIfAbsent(msisdn, m -> new LinkedBlockingQueue<>());
    }

    private static byte[] value(OptionalParameter p) {
        if (p == null) {
            return new byte[0];
        }
        byte[] tlv = p.serialize();
        byte[] v = new byte[tlv.length - 4];
        System.arraycopy(tlv, 4, v, 0, v.length);
        return v;
    }
}
