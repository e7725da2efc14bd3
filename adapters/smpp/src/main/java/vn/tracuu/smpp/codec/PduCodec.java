package vn.tracuu.smpp.codec;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Decodes the request bodies the gateway serves and encodes the PDUs it sends (SMPP 3.4 §4). */
public final class PduCodec {

    private PduCodec() {}

    public static BindRequest decodeBind(Pdu pdu) {
        BodyReader in = new BodyReader(pdu.body());
        // SMPP 3.4 §4.1.1: system_id at most 16 octets, password 9, each with its NUL; §5.1.3 names
        // the status for each
        BindRequest bind = new BindRequest(
                pdu.commandId(),
                in.cString(16, CommandStatus.ESME_RINVSYSID),
                in.cString(9, CommandStatus.ESME_RINVPASWD),
                in.cString(13),
                in.u8(),
                in.u8(),
                in.u8(),
                in.cString(41));
        in.tlvs();
        return bind;
    }

    public static ShortMessage decodeShortMessage(Pdu pdu) {
        BodyReader in = new BodyReader(pdu.body());
        String serviceType = in.cString(6);
        int sourceTon = in.u8();
        int sourceNpi = in.u8();
        String source = in.cString(21);
        int destTon = in.u8();
        int destNpi = in.u8();
        String dest = in.cString(21);
        int esmClass = in.u8();
        int protocolId = in.u8();
        int priority = in.u8();
        String schedule = in.cString(17);
        String validity = in.cString(17);
        int registeredDelivery = in.u8();
        int replace = in.u8();
        int dataCoding = in.u8();
        int defaultMsgId = in.u8();
        int smLength = in.u8();
        if (smLength > 254) {
            throw new SmppStatusException(CommandStatus.ESME_RINVMSGLEN, "sm_length over 254");
        }
        byte[] sm = in.bytes(smLength);
        Map<Integer, byte[]> tlvs = in.tlvs();
        checkLengths(tlvs);
        if (smLength > 0 && tlvs.containsKey(ShortMessage.TAG_MESSAGE_PAYLOAD)) {
            // SMPP 3.4 §5.3.2.32: with message_payload, sm_length is zero; with both, neither can be
            // taken for the text without dropping the other
            throw new SmppStatusException(
                    CommandStatus.ESME_RINVOPTPARAMVAL, "short_message and message_payload both given");
        }
        return new ShortMessage(
                serviceType,
                sourceTon,
                sourceNpi,
                source,
                destTon,
                destNpi,
                dest,
                esmClass,
                protocolId,
                priority,
                schedule,
                validity,
                registeredDelivery,
                replace,
                dataCoding,
                defaultMsgId,
                sm,
                tlvs);
    }

    /** SMPP 3.4 §5.3.2: the TLVs the gateway reads whose length is fixed. */
    private static final Map<Integer, Integer> FIXED_LENGTHS = Map.of(
            ShortMessage.TAG_USSD_SERVICE_OP, 1,
            ShortMessage.TAG_SAR_MSG_REF_NUM, 2,
            ShortMessage.TAG_SAR_TOTAL_SEGMENTS, 1,
            ShortMessage.TAG_SAR_SEGMENT_SEQNUM, 1,
            ShortMessage.TAG_USER_MESSAGE_REFERENCE, 2,
            ShortMessage.TAG_ITS_SESSION_INFO, 2,
            ShortMessage.TAG_MESSAGE_STATE, 1);

    /** A TLV of the wrong length is refused, not read as absent (SMPP 3.4 §5.1.3 ESME_RINVPARLEN). */
    private static void checkLengths(Map<Integer, byte[]> tlvs) {
        FIXED_LENGTHS.forEach((tag, length) -> {
            byte[] value = tlvs.get(tag);
            if (value != null && value.length != length) {
                throw new SmppStatusException(
                        CommandStatus.ESME_RINVPARLEN,
                        "TLV 0x" + Integer.toHexString(tag) + " of " + value.length + " octets, not " + length);
            }
        });
    }

    public static Buffer header(int commandId, int status, int sequence, Buffer body) {
        Buffer out = Buffer.buffer(Pdu.HEADER_LENGTH + body.length());
        out.appendInt(Pdu.HEADER_LENGTH + body.length())
                .appendInt(commandId)
                .appendInt(status)
                .appendInt(sequence);
        return out.appendBuffer(body);
    }

    /** A response whose body is empty (generic_nack, unbind_resp, enquire_link_resp, failed *_resp). */
    public static Buffer emptyResponse(int commandId, int status, int sequence) {
        return header(commandId, status, sequence, Buffer.buffer());
    }

    /** A bind request as an ESME sends it (SMPP 3.4 §4.1.1), interface version 3.4, no system type or address range. */
    public static Buffer bind(int bindCommandId, int sequence, String systemId, String password) {
        return bind(bindCommandId, sequence, systemId, password, "", "");
    }

    /** A bind request (SMPP 3.4 §4.1.1), interface version 3.4, address_range as given with TON/NPI unknown. */
    public static Buffer bind(
            int bindCommandId, int sequence, String systemId, String password, String systemType, String addressRange) {
        Buffer body = Buffer.buffer();
        cString(body, systemId);
        cString(body, password);
        cString(body, systemType);
        body.appendByte((byte) 0x34).appendByte((byte) 0).appendByte((byte) 0);
        cString(body, addressRange);
        return header(bindCommandId, CommandStatus.ESME_ROK, sequence, body);
    }

    /** The message_id of a submit_sm_resp or deliver_sm_resp (SMPP 3.4 §4.4.2); empty when there is none. */
    public static String decodeMessageId(Pdu response) {
        if (response.body().length() == 0) {
            return "";
        }
        try {
            return new BodyReader(response.body()).cString(65);
        } catch (SmppStatusException e) {
            return "";
        }
    }

    /** bind_*_resp; SMPP 3.4 §4.1.2: system_id of the gateway, body left out on error. */
    public static Buffer bindResponse(int bindCommandId, int status, int sequence, String systemId) {
        Buffer body = Buffer.buffer();
        if (status == CommandStatus.ESME_ROK) {
            cString(body, systemId);
            // SMPP 3.4 §5.3.2.25 sc_interface_version: we speak 3.4
            body.appendUnsignedShort(0x0210).appendUnsignedShort(1).appendByte((byte) 0x34);
        }
        return header(CommandId.responseTo(bindCommandId), status, sequence, body);
    }

    /** submit_sm_resp / deliver_sm_resp; §4.4.2 leaves the body out on error. */
    public static Buffer messageResponse(int requestCommandId, int status, int sequence, String messageId) {
        Buffer body = Buffer.buffer();
        if (status == CommandStatus.ESME_ROK) {
            cString(body, messageId);
        }
        return header(CommandId.responseTo(requestCommandId), status, sequence, body);
    }

    public static Buffer shortMessage(int commandId, int sequence, ShortMessage m) {
        Buffer body = Buffer.buffer(64 + m.shortMessage().length);
        cString(body, m.serviceType());
        body.appendUnsignedByte((short) m.sourceTon()).appendUnsignedByte((short) m.sourceNpi());
        cString(body, m.sourceAddr());
        body.appendUnsignedByte((short) m.destTon()).appendUnsignedByte((short) m.destNpi());
        cString(body, m.destAddr());
        body.appendUnsignedByte((short) m.esmClass())
                .appendUnsignedByte((short) m.protocolId())
                .appendUnsignedByte((short) m.priorityFlag());
        cString(body, m.scheduleDeliveryTime());
        cString(body, m.validityPeriod());
        body.appendUnsignedByte((short) m.registeredDelivery())
                .appendUnsignedByte((short) m.replaceIfPresent())
                .appendUnsignedByte((short) m.dataCoding())
                .appendUnsignedByte((short) m.smDefaultMsgId())
                .appendUnsignedByte((short) m.shortMessage().length)
                .appendBytes(m.shortMessage());
        m.tlvs()
                .forEach((tag, value) -> body.appendUnsignedShort(tag)
                        .appendUnsignedShort(value.length)
                        .appendBytes(value));
        return header(commandId, CommandStatus.ESME_ROK, sequence, body);
    }

    private static void cString(Buffer out, String s) {
        out.appendBytes(s.getBytes(StandardCharsets.ISO_8859_1)).appendByte((byte) 0);
    }
}
