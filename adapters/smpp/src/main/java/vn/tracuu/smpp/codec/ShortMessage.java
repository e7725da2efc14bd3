package vn.tracuu.smpp.codec;

import java.util.Map;

/** SMPP 3.4 §4.4.1 submit_sm and §4.6.1 deliver_sm share this body. */
public record ShortMessage(
        String serviceType,
        int sourceTon,
        int sourceNpi,
        String sourceAddr,
        int destTon,
        int destNpi,
        String destAddr,
        int esmClass,
        int protocolId,
        int priorityFlag,
        String scheduleDeliveryTime,
        String validityPeriod,
        int registeredDelivery,
        int replaceIfPresent,
        int dataCoding,
        int smDefaultMsgId,
        byte[] shortMessage,
        Map<Integer, byte[]> tlvs) {

    /** SMPP 3.4 §5.2.12: esm_class bit 6 says short_message starts with a user data header. */
    public static final int ESM_UDHI = 0x40;

    public static final int TAG_SAR_MSG_REF_NUM = 0x020C;
    public static final int TAG_SAR_TOTAL_SEGMENTS = 0x020E;
    public static final int TAG_SAR_SEGMENT_SEQNUM = 0x020F;
    public static final int TAG_MESSAGE_PAYLOAD = 0x0424;
    // SMPP 3.4 §5.3.2.12 and §5.3.2.35: what a delivery receipt is about
    public static final int TAG_RECEIPTED_MESSAGE_ID = 0x001E;
    public static final int TAG_MESSAGE_STATE = 0x0427;
    // SMPP 3.4 §5.3.2.44, §5.3.2.43, §5.3.2.17: the USSD operation, its dialogue, the ESME's reference
    public static final int TAG_USSD_SERVICE_OP = 0x0501;
    public static final int TAG_ITS_SESSION_INFO = 0x1383;
    public static final int TAG_USER_MESSAGE_REFERENCE = 0x0204;

    public ShortMessage {
        tlvs = Map.copyOf(tlvs);
    }

    /** The user data: short_message, or the message_payload TLV when short_message is empty (§5.3.2.32). */
    public byte[] userData() {
        byte[] payload = tlvs.get(TAG_MESSAGE_PAYLOAD);
        return shortMessage.length == 0 && payload != null ? payload : shortMessage;
    }

    public boolean hasUdh() {
        return (esmClass & ESM_UDHI) != 0;
    }
}
