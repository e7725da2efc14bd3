package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.port.out.AuditLog;
import vn.tracuu.core.port.out.RequestStore;

/**
 * A USSD choice: recorded as a request answered in its session, decided and audited like an
 * SMS; the text goes back to the dialogue instead of the outbox. A store or audit failure gives
 * the "busy" text: nothing is shown that the audit does not hold.
 */
final class SessionAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(SessionAnswers.class);

    private final RequestStore requests;
    private final AuditLog audit;
    private final LookupDecision decisions;
    private final ReplyPipeline replies;
    private final LookupNotices notices;

    SessionAnswers(
            RequestStore requests,
            AuditLog audit,
            LookupDecision decisions,
            ReplyPipeline replies,
            LookupNotices notices) {
        this.requests = requests;
        this.audit = audit;
        this.decisions = decisions;
        this.replies = replies;
        this.notices = notices;
    }

    Future<String> answer(InboundMessage m) {
        return requests.acceptInSession(m)
                .compose(request -> decisions.decide(request, true).compose(decision -> {
                    replies.decided(m);
                    AuditEntry entry = replies.entry(request, decision);
                    return audit.append(entry).map(v -> {
                        notices.after(m, decision, entry.at());
                        return decision;
                    });
                }))
                .map(decision -> {
                    replies.answered(m, decision);
                    return decision.text();
                })
                .recover(err -> {
                    LOG.warn("USSD lookup on {} answered busy: {}", m.bindId(), err.toString());
                    return Future.succeededFuture(ReplyText.BUSY);
                });
    }
}
