package vn.tracuu.core.domain;

/**
 * Why a request was answered as it was, as the audit stores it and metrics label it: a
 * {@link RefusalReason}, or one of the few other reasons below. A closed set, so a metric label
 * cannot grow with whatever a back-end's exception is called.
 */
public sealed interface DecisionReason permits RefusalReason, DecisionReason.Other {

    /** The code the audit stores; empty for {@link Other#NONE}. */
    String code();

    /** Reasons that are not refusals. */
    enum Other implements DecisionReason {
        /** Answered, or helped: nothing to explain. */
        NONE,
        /** Over the sender's or the record's limits: answered "busy". */
        LIMIT,
        /** KHOA for a record already locked. */
        ALREADY_LOCKED,
        /** A guard refused the back-end call (quota, bulkhead, open circuit, timeout). */
        BACKEND_REFUSED,
        /** A store or queue of this gateway was full. */
        OVERLOADED,
        /** A back-end or store failed. */
        BACKEND_FAILED;

        @Override
        public String code() {
            return this == NONE ? "" : name();
        }
    }
}
