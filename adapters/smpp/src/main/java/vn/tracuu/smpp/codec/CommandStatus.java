package vn.tracuu.smpp.codec;

import java.util.List;
import java.util.Map;

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

    /** The error statuses the gateway answers requests with, for counts present from the start. */
    public static final List<Integer> ANSWERED = List.of(
            ESME_RINVMSGLEN,
            ESME_RINVCMDLEN,
            ESME_RINVCMDID,
            ESME_RINVBNDSTS,
            ESME_RALYBND,
            ESME_RSYSERR,
            ESME_RINVSRCADR,
            ESME_RINVDSTADR,
            ESME_RBINDFAIL,
            ESME_RMSGQFUL,
            ESME_RTHROTTLED,
            ESME_RINVOPTPARSTREAM,
            ESME_RINVPARLEN,
            ESME_RINVOPTPARAMVAL,
            ESME_RUNKNOWNERR);

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(ESME_ROK, "ESME_ROK"),
            Map.entry(ESME_RINVMSGLEN, "ESME_RINVMSGLEN"),
            Map.entry(ESME_RINVCMDLEN, "ESME_RINVCMDLEN"),
            Map.entry(ESME_RINVCMDID, "ESME_RINVCMDID"),
            Map.entry(ESME_RINVBNDSTS, "ESME_RINVBNDSTS"),
            Map.entry(ESME_RALYBND, "ESME_RALYBND"),
            Map.entry(ESME_RSYSERR, "ESME_RSYSERR"),
            Map.entry(ESME_RINVSRCADR, "ESME_RINVSRCADR"),
            Map.entry(ESME_RINVDSTADR, "ESME_RINVDSTADR"),
            Map.entry(ESME_RBINDFAIL, "ESME_RBINDFAIL"),
            Map.entry(ESME_RINVPASWD, "ESME_RINVPASWD"),
            Map.entry(ESME_RINVSYSID, "ESME_RINVSYSID"),
            Map.entry(ESME_RMSGQFUL, "ESME_RMSGQFUL"),
            Map.entry(ESME_RTHROTTLED, "ESME_RTHROTTLED"),
            Map.entry(ESME_RINVOPTPARSTREAM, "ESME_RINVOPTPARSTREAM"),
            Map.entry(ESME_RINVPARLEN, "ESME_RINVPARLEN"),
            Map.entry(ESME_RINVOPTPARAMVAL, "ESME_RINVOPTPARAMVAL"),
            Map.entry(ESME_RUNKNOWNERR, "ESME_RUNKNOWNERR"));

    private CommandStatus() {}

    /** The spec's name of a status (SMPP 3.4 §5.1.3), or its hex value for one not listed here. */
    public static String name(int status) {
        return NAMES.getOrDefault(status, String.format("0x%08X", status));
    }
}
