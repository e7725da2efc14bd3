package vn.tracuu.core.domain.audit;

/** What became of a request, as the audit records it. */
public enum Outcome {
    ANSWERED,
    REFUSED,
    LOCKED,
    THROTTLED,
    BUSY,
    HELP,
    INVALID
}
