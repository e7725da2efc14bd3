package vn.tracuu.load;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import org.jsmpp.bean.MessageRequest;
import org.jsmpp.util.DefaultDecomposer;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.codec.Pdu;
import vn.tracuu.smpp.codec.ShortMessage;

/**
 * A second reading of a sample of the replies, by jsmpp's decoder rather than the gateway's own
 * codec the driver uses: if the two disagree on a PDU's recipient, coding or bytes, a codec bug
 * could be passing on both sides unseen.
 */
final class IndependentDecoding {

    /** One reply segment (a deliver_sm, or a submit_sm when the gateway binds out) in this many is read twice. */
    static final int SAMPLE_EVERY = 50;

    private IndependentDecoding() {}

    /** What jsmpp reads differently from {@code ours}, or null when they agree. */
    static String disagreement(Pdu pdu, ShortMessage ours) {
        Buffer whole = Buffer.buffer(Pdu.HEADER_LENGTH + pdu.body().length())
                .appendInt(Pdu.HEADER_LENGTH + pdu.body().length())
                .appendInt(pdu.commandId())
                .appendInt(pdu.status())
                .appendInt(pdu.sequence())
                .appendBuffer(pdu.body());
        MessageRequest theirs;
        try {
            theirs = pdu.commandId() == CommandId.SUBMIT_SM
                    ? DefaultDecomposer.getInstance().submitSm(whole.getBytes())
                    : DefaultDecomposer.getInstance().deliverSm(whole.getBytes());
        } catch (Exception e) {
            return "jsmpp cannot read it: " + e.getClass().getSimpleName();
        }
        if (!theirs.getDestAddress().equals(ours.destAddr())) {
            return "the recipient";
        }
        if ((theirs.getDataCoding() & 0xFF) != ours.dataCoding()) {
            return "the data_coding";
        }
        if (((theirs.getEsmClass() & 0x40) != 0) != ours.hasUdh()) {
            return "the UDH indicator";
        }
        if (!Arrays.equals(theirs.getShortMessage(), ours.shortMessage())) {
            return "the short_message bytes";
        }
        return null;
    }
}
