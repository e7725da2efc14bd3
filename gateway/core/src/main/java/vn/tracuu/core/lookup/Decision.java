package vn.tracuu.core.lookup;

import java.util.Optional;
import vn.tracuu.core.domain.DecisionReason;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.RefusalReason;
import vn.tracuu.core.domain.audit.Outcome;
import vn.tracuu.core.domain.audit.Pseudonym;
import vn.tracuu.core.guard.GuardRejected;
import vn.tracuu.core.port.Overloaded;

/**
 * What to answer a request and what the audit records of it: the command's and topic's codes,
 * the outcome and its reason, and the record's pseudonym when one was read (and, held in memory
 * only, its ID when a lookup read it).
 */
record Decision(
        String text,
        String command,
        String topic,
        Outcome outcome,
        DecisionReason reason,
        Pseudonym id,
        Optional<PersonalId> lookedUp) {

    Decision(String text, String command, String topic, Outcome outcome, DecisionReason reason, Pseudonym id) {
        this(text, command, topic, outcome, reason, id, Optional.empty());
    }

    /** A record read for its owner: the other numbers bound to it are told ({@link LookupNotices}). */
    static Decision lookedUp(String text, String command, String topic, Pseudonym id, PersonalId record) {
        return new Decision(text, command, topic, Outcome.ANSWERED, DecisionReason.Other.NONE, id, Optional.of(record));
    }

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
