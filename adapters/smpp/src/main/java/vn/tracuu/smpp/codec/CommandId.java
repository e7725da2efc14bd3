package vn.tracuu.smpp.codec;

/** SMPP 3.4 §5.1.2.1 command ids. */
public final class CommandId {

    public static final int GENERIC_NACK = 0x80000000;
    public static final int BIND_RECEIVER = 0x00000001;
    public static final int BIND_TRANSMITTER = 0x00000002;
    public static final int QUERY_SM = 0x00000003;
    public static final int SUBMIT_SM = 0x00000004;
    public static final int DELIVER_SM = 0x00000005;
    public static final int UNBIND = 0x00000006;
    public static final int REPLACE_SM = 0x00000007;
    public static final int CANCEL_SM = 0x00000008;
    public static final int BIND_TRANSCEIVER = 0x00000009;
    public static final int OUTBIND = 0x0000000B;
    public static final int ENQUIRE_LINK = 0x00000015;
    public static final int SUBMIT_MULTI = 0x00000021;
    public static final int ALERT_NOTIFICATION = 0x00000102;
    public static final int DATA_SM = 0x00000103;

    public static final int RESPONSE_BIT = 0x80000000;

    private CommandId() {}

    public static boolean isResponse(int commandId) {
        return (commandId & RESPONSE_BIT) != 0;
    }

    public static int responseTo(int commandId) {
        return commandId | RESPONSE_BIT;
    }

    /** Requests of SMPP 3.4 that have a response PDU of their own. */
    public static boolean isKnownRequest(int commandId) {
        return switch (commandId) {
            case BIND_RECEIVER,
                    BIND_TRANSMITTER,
                    QUERY_SM,
                    SUBMIT_SM,
                    DELIVER_SM,
                    UNBIND,
                    REPLACE_SM,
                    CANCEL_SM,
                    BIND_TRANSCEIVER,
                    ENQUIRE_LINK,
                    SUBMIT_MULTI,
                    DATA_SM -> true;
            default -> false;
        };
    }
}
