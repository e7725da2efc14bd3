package vn.tracuu.smpp.ussd;

import java.util.Objects;
import java.util.Set;

/**
 * How one operator's USSD centre speaks USSD over SMPP, since vendors deviate from SMPP 3.4
 * §5.3.2.44: the {@code ussd_service_op} values for each step, the operations that abort a
 * dialogue, where the dialogue's identifier travels, and the {@code service_type} of screens.
 */
public record UssdMapping(
        String serviceType,
        SessionIdField sessionId,
        int pssrIndication,
        int pssrResponse,
        int ussrRequest,
        int ussrConfirm,
        Set<Integer> abort) {

    /** Where a USSD centre puts the identifier of a dialogue. */
    public enum SessionIdField {
        /** {@code its_session_info} octet 1 (SMPP 3.4 §5.3.2.43). */
        ITS_SESSION_INFO,
        /** {@code user_message_reference} (SMPP 3.4 §5.3.2.17). */
        USER_MESSAGE_REFERENCE,
        /** None: one dialogue per handset at a time. */
        NONE
    }

    public static final String DEFAULT_SERVICE_TYPE = "USSD";
    public static final int DEFAULT_PSSR_INDICATION = 1;
    public static final int DEFAULT_PSSR_RESPONSE = 17;
    public static final int DEFAULT_USSR_REQUEST = 2;
    public static final int DEFAULT_USSR_CONFIRM = 18;
    // not in SMPP 3.4; the value several USSD centres use for a user or network release
    public static final int DEFAULT_ABORT_CODE = 0x81;
    public static final Set<Integer> DEFAULT_ABORT = Set.of(DEFAULT_ABORT_CODE);

    public static final UssdMapping DEFAULT = new UssdMapping(
            DEFAULT_SERVICE_TYPE,
            SessionIdField.ITS_SESSION_INFO,
            DEFAULT_PSSR_INDICATION,
            DEFAULT_PSSR_RESPONSE,
            DEFAULT_USSR_REQUEST,
            DEFAULT_USSR_CONFIRM,
            DEFAULT_ABORT);

    public UssdMapping {
        Objects.requireNonNull(serviceType, "serviceType");
        Objects.requireNonNull(sessionId, "sessionId");
        abort = Set.copyOf(abort);
    }
}
