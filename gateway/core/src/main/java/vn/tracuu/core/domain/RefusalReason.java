package vn.tracuu.core.domain;

/**
 * Why a lookup was refused. Only logs (and later the audit) see the reason; the citizen gets
 * one refusal text for all of them, so the reply does not tell whether an ID exists.
 */
public enum RefusalReason implements DecisionReason {
    NOT_REGISTERED,
    NOT_VERIFIED,
    OPERATOR_MISMATCH,
    SIM_RECENTLY_CHANGED,
    SIM_CHANGE_UNKNOWN,
    ID_MISMATCH,
    LOCKED_OUT,
    RECORD_LOCKED,
    NO_RECORD,
    DECEASED_RECORD;

    @Override
    public String code() {
        return name();
    }
}
