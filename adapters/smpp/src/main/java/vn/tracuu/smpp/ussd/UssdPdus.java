package vn.tracuu.smpp.ussd;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.UssdInput;
import vn.tracuu.core.domain.UssdScreen;
import vn.tracuu.smpp.codec.ShortMessage;
import vn.tracuu.smpp.text.Alphabet;
import vn.tracuu.smpp.text.InboundText;
import vn.tracuu.smpp.text.UssdText;

/**
 * USSD over SMPP, in both directions and either role: a submit_sm or deliver_sm carrying
 * {@code ussd_service_op} becomes a {@link UssdInput}, and a {@link UssdScreen} becomes the
 * short message answering it, with the dialogue's identifiers echoed.
 */
public final class UssdPdus {

    // SMPP 3.4 §5.2.21: sm_length is at most 254
    private static final int MAX_SHORT_MESSAGE = 254;

    private UssdPdus() {}

    public static boolean isUssd(ShortMessage sm) {
        byte[] op = sm.tlvs().get(ShortMessage.TAG_USSD_SERVICE_OP);
        return op != null && op.length == 1;
    }

    /** What the handset did, or empty for an operation the gateway has no part in (a notify confirm, say). */
    public static Optional<UssdInput.Kind> kind(UssdMapping mapping, ShortMessage sm) {
        int op = sm.tlvs().get(ShortMessage.TAG_USSD_SERVICE_OP)[0] & 0xFF;
        if (op == mapping.pssrIndication()) {
            return Optional.of(UssdInput.Kind.DIAL);
        }
        if (op == mapping.ussrConfirm()) {
            return Optional.of(UssdInput.Kind.ANSWER);
        }
        return mapping.abort().contains(op) ? Optional.of(UssdInput.Kind.ABORT) : Optional.empty();
    }

    public static UssdInput input(
            UssdMapping mapping,
            ShortMessage sm,
            UssdInput.Kind kind,
            String operatorId,
            String bindId,
            Msisdn sender) {
        String text = kind == UssdInput.Kind.ABORT
                ? ""
                : InboundText.decode(sm.dataCoding(), sm.userData(), sm.hasUdh())
                        .strip();
        return new UssdInput(operatorId, bindId, sender, sessionId(mapping, sm), kind, text, Instant.now());
    }

    static String sessionId(UssdMapping mapping, ShortMessage sm) {
        return switch (mapping.sessionId()) {
            case ITS_SESSION_INFO ->
                ItsSessionInfo.parse(sm.tlvs().get(ShortMessage.TAG_ITS_SESSION_INFO))
                        .map(info -> Integer.toString(info.session()))
                        .orElse("");
            case USER_MESSAGE_REFERENCE -> {
                byte[] ref = sm.tlvs().get(ShortMessage.TAG_USER_MESSAGE_REFERENCE);
                yield ref != null && ref.length == 2 ? Integer.toString(((ref[0] & 0xFF) << 8) | (ref[1] & 0xFF)) : "";
            }
            case NONE -> "";
        };
    }

    /**
     * The screen answering {@code input}, to its sender, from the address it was sent to: a USSR
     * request that waits for the answer, or a PSSR response that ends the dialogue, with the
     * session number echoed, the sequence advanced and the end flag set on the last screen.
     */
    public static ShortMessage screen(UssdMapping mapping, Alphabet alphabet, ShortMessage input, UssdScreen screen) {
        Map<Integer, byte[]> tlvs = new HashMap<>();
        tlvs.put(
                ShortMessage.TAG_USSD_SERVICE_OP,
                new byte[] {(byte) (screen.last() ? mapping.pssrResponse() : mapping.ussrRequest())});
        ItsSessionInfo.parse(input.tlvs().get(ShortMessage.TAG_ITS_SESSION_INFO))
                .ifPresent(info -> tlvs.put(
                        ShortMessage.TAG_ITS_SESSION_INFO,
                        info.next(screen.last()).encode()));
        byte[] reference = input.tlvs().get(ShortMessage.TAG_USER_MESSAGE_REFERENCE);
        if (reference != null) {
            tlvs.put(ShortMessage.TAG_USER_MESSAGE_REFERENCE, reference);
        }
        byte[] text = UssdText.encode(alphabet, screen.text());
        if (text.length > MAX_SHORT_MESSAGE) {
            // a UCS-2 screen can pass 254 octets: SMPP 3.4 §5.3.2.32 carries it in message_payload
            tlvs.put(ShortMessage.TAG_MESSAGE_PAYLOAD, text);
            text = new byte[0];
        }
        return new ShortMessage(
                mapping.serviceType(),
                input.destTon(),
                input.destNpi(),
                input.destAddr(),
                input.sourceTon(),
                input.sourceNpi(),
                input.sourceAddr(),
                0,
                0,
                0,
                "",
                "",
                0,
                0,
                alphabet.dataCoding(),
                0,
                text,
                tlvs);
    }
}
