package vn.tracuu.smpp.session;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.DeliveryState;
import vn.tracuu.smpp.codec.ShortMessage;

/**
 * Reads a delivery receipt from a deliver_sm: the receipted_message_id and message_state TLVs
 * (SMPP 3.4 §5.3.2.12, §5.3.2.35) when present, else the de-facto text format of SMPP 3.4
 * Appendix B ({@code id:… sub:… dlvrd:… submit date:… done date:… stat:DELIVRD err:…}).
 */
final class DeliveryReceiptText {

    private static final Pattern ID = Pattern.compile("(?i)\\bid:(\\S+)");
    private static final Pattern STAT = Pattern.compile("(?i)\\bstat:(\\w+)");
    // SMPP 3.4 §5.2.28 message_state values by their Appendix B abbreviations
    private static final Map<String, Integer> STATES = Map.of(
            "ENROUTE", 1, "DELIVRD", 2, "EXPIRED", 3, "DELETED", 4, "UNDELIV", 5, "ACCEPTD", 6, "UNKNOWN", 7, "REJECTD",
            8);

    private DeliveryReceiptText() {}

    /** The receipt's final outcome; empty when it names no id or a state that is not final. */
    static Optional<DeliveryReceipt> parse(String operatorId, ShortMessage sm) {
        String text = new String(sm.userData(), StandardCharsets.ISO_8859_1);
        byte[] idTlv = sm.tlvs().get(ShortMessage.TAG_RECEIPTED_MESSAGE_ID);
        String id = idTlv != null ? cString(idTlv) : group(ID, text);
        byte[] stateTlv = sm.tlvs().get(ShortMessage.TAG_MESSAGE_STATE);
        Integer state = stateTlv != null && stateTlv.length == 1
                ? Integer.valueOf(stateTlv[0] & 0xFF)
                : STATES.get(group(STAT, text).toUpperCase(Locale.ROOT));
        if (id.isEmpty() || state == null) {
            return Optional.empty();
        }
        return DeliveryState.ofMessageState(state).map(s -> new DeliveryReceipt(operatorId, id, s));
    }

    private static String cString(byte[] value) {
        int end = 0;
        while (end < value.length && value[end] != 0) {
            end++;
        }
        return new String(value, 0, end, StandardCharsets.ISO_8859_1);
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : "";
    }
}
