package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.command.Command;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.outbox.OutboxSender;
import vn.tracuu.core.policy.PolicyOptions;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.core.port.in.SessionLookup;
import vn.tracuu.core.port.out.LookupObserver;

/**
 * The lookup behind the inbound ports (DESIGN §4): a message is accepted durably, once however
 * often the operator sends it; its {@link LookupDecision} is made while the accept commits; the
 * {@link ReplyPipeline} holds and stores the reply with its audit entry once the accept has
 * committed; the {@link RecoveryScan} decides again what a crash or another node left
 * unanswered. USSD choices are answered by {@link SessionAnswers}, receipts recorded by the
 * {@link ReceiptRecorder}. An accepted request always gets a reply.
 */
public final class LookupService implements MessageReceiver, SessionLookup {

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
                    Future<AcceptedRequest> accepted = accept(message, command);
                    if (accepted.failed()) {
                        // refused at once (its queue is full): the operator sends it again, so nothing is read or
                        // counted
                        return accepted;
                    }
                    // decided while the accept commits, not after it: a lookup waits for the commit and for
                    // its reads side by side
                    Future<Decision> decision =
                            decisions.decide(accepted, message, decisions.prepare(message, command), true);
                    return accepted.onSuccess(request -> {
                        if (request.retransmission()) {
                            observer.duplicate();
                        } else {
                            replies.process(request, () -> decision);
                        }
                    });
                },
                observer::duplicate);
    }

    /** Stores the message with its command in place of its text: a typed ID never reaches the table. */
    private Future<AcceptedRequest> accept(InboundMessage m, Command command) {
        InboundMessage stored = m.withText(decisions.stored(command));
        if (options.duplicateWindow().isZero()) {
            return ports.requests().accept(stored);
        }
        // the citizen's own text names the message: a resend is the same text, whatever its command
        String key = pseudonyms.message(m.operatorId(), m.channel().name(), m.sender(), m.shortCode(), m.text());
        return ports.requests().accept(stored, key, options.duplicateWindow());
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
