package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.LogContext;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.outbox.OutboxSender;
import vn.tracuu.core.policy.PolicyOptions;
import vn.tracuu.core.port.out.Answer;
import vn.tracuu.core.port.out.AnsweredRequest;
import vn.tracuu.core.port.out.LookupObserver;
import vn.tracuu.core.port.out.RequestStore;

/**
 * From a decision to a stored reply: the reply is held to a minimum delay (so refusals are not
 * faster than answers), then stored in the outbox with its audit entry in one statement, then
 * handed to the outbox to send. A request is in the pipeline once per node at a time; one whose
 * reply could not be stored is left to the recovery scan.
 */
final class ReplyPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyPipeline.class);

    private final Vertx vertx;
    private final Clock clock;
    private final LookupOptions options;
    private final RequestStore requests;
    private final Pseudonymizer pseudonyms;
    private final OutboxSender outbox;
    private final LookupObserver observer;
    private final ReplyHold hold;
    private final LookupNotices notices;
    private final Set<Long> inProgress = ConcurrentHashMap.newKeySet();
    // answers being stored with their requests, which have no id yet
    private final AtomicInteger storing = new AtomicInteger();
    private volatile Promise<Void> drained;

    ReplyPipeline(
            Vertx vertx,
            Clock clock,
            LookupOptions options,
            PolicyOptions policy,
            RequestStore requests,
            LookupNotices notices,
            Pseudonymizer pseudonyms,
            OutboxSender outbox,
            LookupObserver observer) {
        this.vertx = vertx;
        this.clock = clock;
        this.options = options;
        this.requests = requests;
        this.notices = notices;
        this.pseudonyms = pseudonyms;
        this.outbox = outbox;
        this.observer = observer;
        this.hold = new ReplyHold(policy.minReplyDelay(), policy.replyDelayJitter());
    }

    /** {@code decided}: started as the request was accepted, or started now for a recovered one. */
    Future<Void> process(AcceptedRequest request, Supplier<Future<Decision>> decided) {
        if (!inProgress.add(request.id())) {
            return Future.succeededFuture();
        }
        InboundMessage m = request.message();
        return decided.get()
                .map(decision -> {
                    decided(m);
                    return decision;
                })
                .compose(decision -> hold.after(vertx, clock, m.receivedAt()).map(decision))
                .compose(decision -> {
                    AuditEntry entry = entry(request, decision);
                    return requests.reply(request, decision.text(), options.replyValidity(), outbox.lease(), entry)
                            .map(stored -> {
                                answered(m, decision);
                                if (stored.isPresent()) {
                                    // this call stored the reply: the request's one notice round
                                    notices.after(m, decision, entry.at());
                                }
                                return stored;
                            });
                })
                .andThen(done -> {
                    inProgress.remove(request.id());
                    checkIdle();
                    if (done.succeeded()) {
                        // a reply stored earlier (a recovered request answered twice) is the outbox's to send
                        done.result().ifPresentOrElse(outbox::sendStored, () -> outbox.wake(m.operatorId()));
                    } else {
                        LogContext.request(
                                request.id(),
                                m.operatorId(),
                                () -> LOG.warn(
                                        "request {}: reply not stored, the recovery scan retries it: {}",
                                        request.id(),
                                        done.cause().toString()));
                    }
                })
                .mapEmpty();
    }

    /** The answer to a message decided before its request is stored, to store with it ({@link RequestStore#acceptAnswered}). */
    Answer answer(InboundMessage m, Decision decision) {
        decided(m);
        return new Answer(decision.text(), options.replyValidity(), outbox.lease(), entry(0, m, decision));
    }

    /**
     * Once the request is stored with its {@code answer} (or failed to be): holds the reply to its
     * minimum delay, then sends it and the request's notices. A retransmission sends nothing: its
     * first request has its own reply. The node waits for the store to end before it stops.
     */
    void sendWhenStored(Future<AnsweredRequest> stored, Decision decision, Answer answer) {
        storing.incrementAndGet();
        stored.onComplete(done -> {
            storing.decrementAndGet();
            if (done.failed() || done.result().request().retransmission()) {
                checkIdle();
                return;
            }
            AcceptedRequest request = done.result().request();
            inProgress.add(request.id());
            InboundMessage m = request.message();
            hold.after(vertx, clock, m.receivedAt()).onComplete(held -> {
                answered(m, decision);
                notices.after(m, decision, answer.entry().at());
                inProgress.remove(request.id());
                checkIdle();
                done.result().reply().ifPresent(outbox::sendStored);
            });
        });
    }

    /** Tells the observer a request's decision is made (a USSD one's, answered in its session). */
    void decided(InboundMessage m) {
        observer.decided(m.channel(), Duration.between(m.receivedAt(), clock.instant()));
    }

    /** Tells the observer a request was answered, and how long it took from its arrival. */
    void answered(InboundMessage m, Decision decision) {
        observer.answered(
                m.channel(),
                decision.command(),
                decision.outcome(),
                decision.reason(),
                Duration.between(m.receivedAt(), clock.instant()));
    }

    /** The audit's entry for a decided request; identifiers only as pseudonyms. */
    AuditEntry entry(AcceptedRequest request, Decision d) {
        return entry(request.id(), request.message(), d);
    }

    private AuditEntry entry(long requestId, InboundMessage m, Decision d) {
        Instant now = clock.instant();
        return new AuditEntry(
                requestId,
                now,
                m.operatorId(),
                m.bindId(),
                m.channel(),
                d.command(),
                d.topic(),
                d.outcome(),
                d.reason().code(),
                Duration.between(m.receivedAt(), now).toMillis(),
                pseudonyms.msisdn(m.sender()),
                d.id(),
                options.nodeId());
    }

    /**
     * Waits, at most {@code drain}, for the requests in the pipeline to store their replies; any
     * still running then is looked up again by the next start's recovery.
     */
    Future<Void> drain(Duration drain) {
        Promise<Void> idle = Promise.promise();
        drained = idle;
        checkIdle();
        long timer = vertx.setTimer(drain.toMillis(), id -> {
            if (!inProgress.isEmpty() || storing.get() > 0) {
                LOG.info(
                        "{} lookup(s) still running at shutdown; the next start answers those acknowledged, the operator resends the others",
                        inProgress.size() + storing.get());
            }
            idle.tryComplete();
        });
        return idle.future().onComplete(x -> vertx.cancelTimer(timer));
    }

    private void checkIdle() {
        Promise<Void> idle = drained;
        if (idle != null && inProgress.isEmpty() && storing.get() == 0) {
            idle.tryComplete();
        }
    }
}
