package vn.tracuu.core.domain.audit;

import java.time.Instant;
import vn.tracuu.core.domain.Channel;

/**
 * One processing of a citizen's request (Decree 13/2023 Art. 27 processing log): when, through
 * which operator and bind, what was asked, what came of it and why, how long it took, for whom
 * only as pseudonyms, and which gateway node decided it. Never the reply text.
 */
public record AuditEntry(
        long requestId,
        Instant at,
        String operatorId,
        String bindId,
        Channel channel,
        String command,
        String topic,
        Outcome outcome,
        String reason,
        long latencyMs,
        Pseudonym msisdn,
        Pseudonym id,
        String nodeId) {

    /** The same entry, for request {@code id}: one decided before its request had an id. */
    public AuditEntry withRequestId(long id) {
        return new AuditEntry(
                id,
                at,
                operatorId,
                bindId,
                channel,
                command,
                topic,
                outcome,
                reason,
                latencyMs,
                msisdn,
                this.id,
                nodeId);
    }
}
