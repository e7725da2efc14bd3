package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.command.Command;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.DecisionReason;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.audit.Outcome;
import vn.tracuu.core.outbox.OutboxSender;
import vn.tracuu.core.policy.PolicyOptions;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.core.port.in.SessionLookup;
import vn.tracuu.core.port.out.Answer;
import vn.tracuu.core.port.out.AnsweredRequest;
import vn.tracuu.core.port.out.LookupObserver;

/**
 * The lookup behind the inbound ports (DESIGN §4): a message is stored durably before it is
 * acknowledged, once however often the operator sends it. A {@link LookupDecision} made within
 * {@code answer-with-accept-within} is stored with its request, reply and audit entry in one
 * commit; a slower one, or one writing a mismatch or a lock, has its request stored first and is
 * decided while that commits, and the {@link ReplyPipeline} stores its reply once both are done.
 * Replies are held to the minimum delay before they are sent; the {@link RecoveryScan} decides
 * again what a crash or another node left unanswered. USSD choices are answered by
 * {@link SessionAnswers}, receipts recorded by the {@link ReceiptRecorder}. An accepted request
 * always gets a reply.
 */
public final class LookupService implements MessageReceiver, SessionLookup {

    private final Vertx vertx;
    private final LookupOptions options;
    private final LookupPorts ports;
    private final Pseudonymizer pseudonyms;
    private final LookupObserver observer;
    private final RecentMessages recent;
    private final LookupDecision decisions;
    private final ReplyPipeline replies;
    private final RecoveryScan recovery;
    private final SessionAnswers sessions;
    private final ReceiptRecorder receipts;

    /** {@code clock}: what the audit's times, the latencies and the reply hold are read from. */
    public LookupService(
            Vertx vertx,
            LookupOptions options,
            PolicyOptions policy,
            LookupPorts ports,
            Pseudonymizer pseudonyms,
            OutboxSender outbox,
            LookupObserver observer,
            Clock clock) {
        this.vertx = vertx;
        this.options = options;
        this.ports = ports;
        this.pseudonyms = pseudonyms;
        this.observer = observer;
        this.recent = new RecentMessages(options.duplicateWindow(), RecentMessages.DEFAULT_MAX_ENTRIES);
        this.decisions = new LookupDecision(policy, ports, pseudonyms);
        LookupNotices notices = new LookupNotices(options, ports, pseudonyms, outbox);
        this.replies = new ReplyPipeline(
                vertx, clock, options, policy, ports.requests(), notices, pseudonyms, outbox, observer);
        this.recovery = new RecoveryScan(
                vertx, options, ports.requests(), r -> replies.process(r, () -> decisions.decide(r, false)));
        this.sessions = new SessionAnswers(ports.requests(), ports.audit(), decisions, replies, notices);
        this.receipts = new ReceiptRecorder(vertx, ports.requests(), observer);
    }

    /** Finishes what a previous run left unanswered, then keeps checking periodically. */
    public void start() {
        recovery.start();
    }

    public void stop() {
        recovery.stop();
    }

    /**
     * Stops the recovery scan and waits, at most {@code drain}, for the lookups under way to store
     * their replies; any still running then is looked up again by the next start's recovery.
     */
    public Future<Void> stop(Duration drain) {
        stop();
        return replies.drain(drain);
    }

    /**
     * A retransmission (the same message again within {@code duplicate-window}) is the same
     * request: one found in this node's memory gets its request back at once; one the database
     * knows (through another node, or before a restart) gets the first request's id from the
     * accept, and no reply of its own. Its decision, started before the accept tells, then writes
     * nothing twice (a mismatch or a lock is keyed by the first request) but may count it against
     * the sender's limits once more.
     */
    @Override
    public Future<AcceptedRequest> receive(InboundMessage message) {
        return recent.acceptOnce(
                message,
                () -> {
                    Command command = decisions.parse(message);
                    return options.answerWithAcceptWithin().isZero()
                            ? acceptFirst(message, command)
                            : answerWithAccept(message, command);
                },
                observer::duplicate);
    }

    /** The request stored first, and decided while it commits; its reply stored once both are done. */
    private Future<AcceptedRequest> acceptFirst(InboundMessage message, Command command) {
        Future<AcceptedRequest> accepted = accept(message, command);
        if (accepted.failed()) {
            // refused at once (its queue is full): the operator sends it again, so nothing is read or counted
            return accepted;
        }
        // decided while the accept commits, not after it: a lookup waits for the commit and for its reads side by side
        Future<Decision> decision =
                decisions.decide(Acceptance.started(accepted), message, decisions.prepare(message, command), true);
        return accepted.onSuccess(request -> replyLater(request, decision));
    }

    private void replyLater(AcceptedRequest request, Future<Decision> decision) {
        if (request.retransmission()) {
            observer.duplicate();
        } else {
            replies.process(request, () -> decision);
        }
    }

    /**
     * Decided first, then the request stored with its reply and audit entry in one commit (one
     * disk flush per lookup, not two), the operator acknowledged after it: the reply is held past
     * that anyway. A decision that writes something keyed by its request (a mismatch, a lock) has
     * the request stored first, as has one still deciding after {@code answer-with-accept-within},
     * so that a slow back-end does not hold the operator's acknowledgement (and its window).
     */
    private Future<AcceptedRequest> answerWithAccept(InboundMessage message, Command command) {
        Promise<Answer> answer = Promise.promise();
        Future<AnsweredRequest> together = ports.requests()
                .acceptAnswered(
                        message.withText(decisions.stored(command)),
                        retransmissionKey(message),
                        options.duplicateWindow(),
                        answer.future());
        if (together.failed()) {
            // refused at once (its queue is full): the operator sends it again, so nothing is read or counted
            return together.map(AnsweredRequest::request);
        }
        Acceptance.Deferred acceptance = new Acceptance.Deferred(() -> accept(message, command));
        Future<Decision> decision = decisions.decide(acceptance, message, decisions.prepare(message, command), true);
        long slow = vertx.setTimer(options.answerWithAcceptWithin().toMillis(), id -> acceptance.request());
        decision.onSuccess(d -> {
            vertx.cancelTimer(slow);
            // a back-end that failed (not a guard's refusal) is not answered "busy" with the accept: the
            // request is stored on its own and decided again, so one stored after an outage gets its
            // answer, as the two-step way did; limits are then checked, not counted twice
            boolean failed = d.outcome() == Outcome.BUSY
                    && (d.reason() == DecisionReason.Other.BACKEND_FAILED
                            || d.reason() == DecisionReason.Other.OVERLOADED);
            if (acceptance.started() || failed) {
                answer.fail(new IllegalStateException("the request was stored on its own"));
                acceptance
                        .request()
                        .onSuccess(
                                request -> replyLater(request, failed ? decisions.decide(request, false) : decision));
                return;
            }
            Answer a = replies.answer(message, d);
            answer.complete(a);
            acceptance.storedWithAnswer(together.map(AnsweredRequest::request));
            together.onSuccess(stored -> {
                if (stored.request().retransmission()) {
                    observer.duplicate();
                }
            });
            replies.sendWhenStored(together, d, a);
        });
        return acceptance.known();
    }

    /** Stores the message with its command in place of its text: a typed ID never reaches the table. */
    private Future<AcceptedRequest> accept(InboundMessage m, Command command) {
        InboundMessage stored = m.withText(decisions.stored(command));
        if (options.duplicateWindow().isZero()) {
            return ports.requests().accept(stored);
        }
        return ports.requests().accept(stored, retransmissionKey(m), options.duplicateWindow());
    }

    /** The citizen's own text names the message: a resend is the same text, whatever its command. */
    private String retransmissionKey(InboundMessage m) {
        return options.duplicateWindow().isZero()
                ? null
                : pseudonyms.message(m.operatorId(), m.channel().name(), m.sender(), m.shortCode(), m.text());
    }

    @Override
    public Future<Boolean> receipt(DeliveryReceipt receipt) {
        return receipts.record(receipt);
    }

    @Override
    public Future<String> answerInSession(InboundMessage m) {
        return sessions.answer(m);
    }

    /** The decision alone, for tests of the policy. */
    Future<Decision> decide(AcceptedRequest request, boolean first) {
        return decisions.decide(request, first);
    }
}
