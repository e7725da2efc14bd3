package vn.tracuu.core.guard;

/** The guard did not let a call through (quota, bulkhead, open circuit) or gave up on it (timeout). */
public final class GuardRejected extends RuntimeException {

    /** Why: only a timeout says something of the back-end itself; the others are the guard's own refusals. */
    public enum Kind {
        CIRCUIT_OPEN,
        QUOTA,
        BULKHEAD,
        TIMEOUT
    }

    private final Kind kind;

    public GuardRejected(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
