package vn.tracuu.core.lookup;

import vn.tracuu.core.domain.DecisionReason;
import vn.tracuu.core.domain.RefusalReason;
import vn.tracuu.core.domain.audit.Outcome;
import vn.tracuu.core.domain.audit.Pseudonym;
import vn.tracuu.core.guard.GuardRejected;
import vn.tracuu.core.port.Overloaded;

/**
 * What to answer a request and what the audit records of it: the command's and topic's codes,
 * the outcome and its reason, and the record's pseudonym when one was read.
 */
record Decision(String text, String command, String topic, Outcome outcome, DecisionReason reason, Pseudonym id) {

    static Decision refused(String command, String topic, RefusalReason reason, Pseudonym id) {
        return new Decision(ReplyText.REFUSAL, command, topic, Outcome.REFUSED, reason, id);
    }

    /** Past a limit: {@code text} says which, or "busy" for the operator's. */
    static Decision throttled(String text, String command, String topic, Pseudonym id) {
        return new Decision(text, command, topic, Outcome.THROTTLED, DecisionReason.Other.LIMIT, id);
    }

    /** The "busy" answer for a request whose decision failed with {@code cause}. */
    static Decision busy(String command, String topic, Throwable cause) {
        DecisionReason reason = cause instanceof GuardRejected
                ? DecisionReason.Other.BACKEND_REFUSED
                : cause instanceof Overloaded ? DecisionReason.Other.OVERLOADED : DecisionReason.Other.BACKEND_FAILED;
        return new Decision(ReplyText.BUSY, command, topic, Outcome.BUSY, reason, Pseudonym.NONE);
    }

    static Decision answered(String text, String command, String topic, Outcome outcome, Pseudonym id) {
        return new Decision(text, command, topic, outcome, DecisionReason.Other.NONE, id);
    }
}
