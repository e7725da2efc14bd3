package vn.tracuu.smpp.codec;

/** SMPP 3.4 §5.1.3 command_status values the gateway uses. */
public final class CommandStatus {

    public static final int ESME_ROK = 0x00000000;
    public static final int ESME_RINVMSGLEN = 0x00000001;
    public static final int ESME_RINVCMDLEN = 0x00000002;
    public static final int ESME_RINVCMDID = 0x00000003;
    public static final int ESME_RINVBNDSTS = 0x00000004;
    public static final int ESME_RALYBND = 0x00000005;
    public static final int ESME_RSYSERR = 0x00000008;
    public static final int ESME_RINVSRCADR = 0x0000000A;
    public static final int ESME_RINVDSTADR = 0x0000000B;
    public static final int ESME_RBINDFAIL = 0x0000000D;
    public static final int ESME_RINVPASWD = 0x0000000E;
    public static final int ESME_RINVSYSID = 0x0000000F;
    public static final int ESME_RMSGQFUL = 0x00000014;
    public static final int ESME_RTHROTTLED = 0x00000058;
    public static final int ESME_RINVOPTPARSTREAM = 0x000000C0;
    public static final int ESME_RINVPARLEN = 0x000000C2;
    public static final int ESME_RINVOPTPARAMVAL = 0x000000C4;
    public static final int ESME_RUNKNOWNERR = 0x000000FF;

    private CommandStatus() {}
}
