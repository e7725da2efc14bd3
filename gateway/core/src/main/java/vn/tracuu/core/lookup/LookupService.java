package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.command.Command;
import vn.tracuu.core.command.CommandParser;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.RefusalReason;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.domain.Topic;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.domain.audit.Outcome;
import vn.tracuu.core.domain.audit.Pseudonym;
import vn.tracuu.core.guard.GuardRejected;
import vn.tracuu.core.outbox.OutboxSender;
import vn.tracuu.core.policy.PolicyOptions;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.core.port.in.SessionLookup;
import vn.tracuu.core.port.out.LookupObserver;
import vn.tracuu.core.port.out.PolicyStore.Limit;

/**
 * The lookup use case (DESIGN §4): accept durably; for TC, LS and KHOA apply the privacy policy
 * (lockout, limits, verified binding, operator, SIM change, ID match, record lock) before any
 * population read; hold the reply to a minimum delay so refusals are not faster than answers;
 * store the reply in the outbox with its audit entry. The decision is made while the accept
 * commits; the reply is stored, and anything but the limit counters written, only once it has
 * committed. An accepted request always gets a reply: a failing back-end yields the "busy"
 * text, and a request whose reply could not be stored is picked up again by the recovery scan.
 */
public final class LookupService implements MessageReceiver, SessionLookup {

    private static final Logger LOG = LoggerFactory.getLogger(LookupService.class);
    private static final Duration RECEIPT_RECHECK = Duration.ofSeconds(1);

    /** What to answer and what the audit records of it. */
    record Decision(String text, String command, String topic, Outcome outcome, String reason, Pseudonym id) {

        static Decision refused(String command, String topic, RefusalReason reason, Pseudonym id) {
            return new Decision(ReplyText.REFUSAL, command, topic, Outcome.REFUSED, reason.name(), id);
        }

        static Decision throttled(String command, String topic, Pseudonym id) {
            return new Decision(ReplyText.BUSY, command, topic, Outcome.THROTTLED, "LIMIT", id);
        }
    }

    private final Vertx vertx;
    private final Clock clock;
    private final LookupOptions options;
    private final PolicyOptions policy;
    private final LookupPorts ports;
    private final Pseudonymizer pseudonyms;
    private final OutboxSender outbox;
    private final LookupObserver observer;
    private final CommandParser parser = new CommandParser();
    private final AccessPolicy access;
    private final ReplyHold hold;
    private final LookupLimits limits;
    private final Set<Long> inProgress = ConcurrentHashMap.newKeySet();
    private final RecentMessages recent;
    private volatile Promise<Void> drained;
    private final RecoveryScan recovery;

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
        this.clock = clock;
        this.options = options;
        this.policy = policy;
        this.ports = ports;
        this.pseudonyms = pseudonyms;
        this.outbox = outbox;
        this.observer = observer;
        this.access = new AccessPolicy(policy);
        this.hold = new ReplyHold(policy.minReplyDelay(), policy.replyDelayJitter());
        this.limits = new LookupLimits(ports.policy(), policy);
        this.recent = new RecentMessages(options.duplicateWindow(), RecentMessages.DEFAULT_MAX_ENTRIES);
        this.recovery = new RecoveryScan(vertx, options, ports.requests(), r -> process(r, () -> decide(r, false)));
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
        Promise<Void> idle = Promise.promise();
        drained = idle;
        checkIdle();
        long timer = vertx.setTimer(drain.toMillis(), id -> {
            if (!inProgress.isEmpty()) {
                LOG.info("{} lookup(s) still running at shutdown; the next start answers them", inProgress.size());
            }
            idle.tryComplete();
        });
        return idle.future().onComplete(x -> vertx.cancelTimer(timer));
    }

    private void checkIdle() {
        Promise<Void> idle = drained;
        if (idle != null && inProgress.isEmpty()) {
            idle.tryComplete();
        }
    }

    /** What the policy reads of a sender first; neither read has side effects. */
    private record SenderReads(
            Pseudonym sender, Future<Optional<Instant>> lockout, Future<Optional<SubscriberBinding>> binding) {}

    /** A message's command, and its sender's reads, already started, when the command needs them (else null). */
    private record Prepared(Command command, SenderReads reads) {}

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
                    Future<AcceptedRequest> accepted = accept(message);
                    if (accepted.failed()) {
                        // refused at once (its queue is full): the operator sends it again, so nothing is read or
                        // counted
                        return accepted;
                    }
                    // decided while the accept commits, not after it: a lookup waits for the commit and for its
                    // reads side by side
                    Future<Decision> decision = decide(accepted, message, prepare(message), true);
                    return accepted.onSuccess(request -> {
                        if (request.retransmission()) {
                            observer.duplicate();
                        } else {
                            process(request, () -> decision);
                        }
                    });
                },
                observer::duplicate);
    }

    private Future<AcceptedRequest> accept(InboundMessage m) {
        if (options.duplicateWindow().isZero()) {
            return ports.requests().accept(m);
        }
        String key = pseudonyms.message(m.operatorId(), m.channel().name(), m.sender(), m.shortCode(), m.text());
        return ports.requests().accept(m, key, options.duplicateWindow());
    }

    private Prepared prepare(InboundMessage m) {
        Command command = parser.parse(m.text());
        if (!command.aboutTheRecord()) {
            return new Prepared(command, null);
        }
        Pseudonym sender = pseudonyms.msisdn(m.sender());
        return new Prepared(
                command,
                new SenderReads(
                        sender,
                        ports.policy().lockedOutUntil(sender.value()),
                        ports.registry().byMsisdn(m.sender())));
    }

    @Override
    public Future<Boolean> receipt(DeliveryReceipt receipt) {
        // a receipt can overtake the commit of the send it reports (markSent is group-committed after
        // the operator's response): an unknown id is looked for once more before it counts as unknown
        return ports.requests()
                .receipt(receipt)
                .compose(known -> known
                        ? Future.succeededFuture(true)
                        : vertx.timer(RECEIPT_RECHECK.toMillis())
                                .compose(v -> ports.requests().receipt(receipt)))
                .onSuccess(known -> observer.receipt(receipt.state(), known));
    }

    /**
     * A USSD choice: recorded as a request answered in its session, decided and audited like an
     * SMS; the text goes back to the dialogue instead of the outbox. A store or audit failure
     * gives the "busy" text: nothing is shown that the audit does not hold.
     */
    @Override
    public Future<String> answerInSession(InboundMessage m) {
        return ports.requests()
                .acceptInSession(m)
                .compose(request -> decide(request, true)
                        .compose(decision ->
                                ports.audit().append(entry(request, decision)).map(decision)))
                .map(decision -> {
                    observer.answered(
                            m.channel(),
                            decision.command(),
                            decision.outcome(),
                            decision.reason(),
                            Duration.between(m.receivedAt(), clock.instant()));
                    return decision.text();
                })
                .recover(err -> {
                    LOG.warn("USSD {}: answering busy: {}", m.text(), err.toString());
                    return Future.succeededFuture(ReplyText.BUSY);
                });
    }

    /**
     * The decision for an accepted request; never fails: a failing back-end gives the "busy" text.
     * {@code first}: false for a request decided again (recovered), whose first decision counted
     * its limits already; it is checked against them and counted nothing.
     */
    Future<Decision> decide(AcceptedRequest request, boolean first) {
        return decide(Future.succeededFuture(request), request.message(), prepare(request.message()), first);
    }

    /**
     * The decision for a message whose accept may still be committing: of what it writes, only the
     * limit counters go before {@code accepted} commits. Counting a request whose accept then
     * fails counts it twice when the operator sends it again, as a crash between counting and the
     * stored reply already does (the recovery decides again); a mismatch or a lock waits, since
     * those a resent message must not repeat.
     */
    private Future<Decision> decide(
            Future<AcceptedRequest> accepted, InboundMessage message, Prepared prepared, boolean first) {
        Command command = prepared.command();
        if (command instanceof Command.Help) {
            return Future.succeededFuture(
                    new Decision(ReplyText.HELP, command.code(), "", Outcome.HELP, "", Pseudonym.NONE));
        }
        if (command instanceof Command.PrivacyNotice) {
            return Future.succeededFuture(new Decision(
                    ReplyText.privacyNotice(policy.auditRetention()),
                    command.code(),
                    "BM",
                    Outcome.HELP,
                    "",
                    Pseudonym.NONE));
        }
        if (command instanceof Command.InvalidId) {
            return Future.succeededFuture(
                    new Decision(ReplyText.INVALID_ID, command.code(), "", Outcome.INVALID, "", Pseudonym.NONE));
        }
        SenderReads reads = prepared.reads();
        String name = command.code();
        String topic = command instanceof Command.Lookup lookup ? lookup.topic().code() : "";
        Optional<Command.IdClaim> claim =
                command instanceof Command.Lookup lookup ? lookup.idClaim() : Optional.empty();
        boolean counted = !(command instanceof Command.Lock);
        return guarded(accepted, message, name, topic, claim, counted, first, command, reads)
                .recover(err -> {
                    // logged once the request has its id; a request not accepted gets no reply to explain
                    if (err instanceof GuardRejected || err instanceof Overloaded) {
                        // an expected refusal under load: the guard or the outcome's reason counts these; a log
                        // line each would flood
                        accepted.onSuccess(
                                r -> LOG.debug("request {}: {} answered busy: {}", r.id(), name, err.getMessage()));
                    } else {
                        accepted.onSuccess(r ->
                                LOG.warn("request {}: {} failed, answering busy: {}", r.id(), name, err.toString()));
                    }
                    return Future.succeededFuture(new Decision(
                            ReplyText.BUSY,
                            name,
                            topic,
                            Outcome.BUSY,
                            err.getClass().getSimpleName(),
                            Pseudonym.NONE));
                });
    }

    /**
     * The lockout and the binding are read together; the limits are counted in one statement once
     * the record is known (one write per lookup, not two), and before any refusal is given, so a
     * number over its limits is throttled whatever else it would have been told.
     */
    private Future<Decision> guarded(
            Future<AcceptedRequest> accepted,
            InboundMessage m,
            String name,
            String topic,
            Optional<Command.IdClaim> claim,
            boolean counted,
            boolean first,
            Command command,
            SenderReads reads) {
        Pseudonym sender = reads.sender();
        Future<Optional<Instant>> lockout = reads.lockout();
        Future<Optional<SubscriberBinding>> binding = reads.binding();
        // join, not all: a locked-out number is refused even when the registry failed
        return Future.join(lockout, binding).transform(both -> {
            if (accepted.failed()) {
                // the operator was told to send it again: nothing is counted for it
                return Future.failedFuture(accepted.cause());
            }
            if (lockout.succeeded() && lockout.result().isPresent()) {
                return refuse(accepted, Decision.refused(name, topic, RefusalReason.LOCKED_OUT, Pseudonym.NONE));
            }
            if (both.failed()) {
                return Future.failedFuture(lockout.failed() ? lockout.cause() : binding.cause());
            }
            List<Limit> senderLimits = counted ? limits.ofSender(m, sender) : List.of();
            return authorized(accepted, m, sender, name, topic, claim, command, binding.result(), senderLimits, first);
        });
    }

    /**
     * The decision once the binding is known; {@code senderLimits} are counted before any answer (on a
     * {@code first} decision; only checked on a later one). Its writes are once per request: the
     * counters counted by the first decision only, a mismatch keyed by the request, a lock that
     * exists already left as it is.
     */
    private Future<Decision> authorized(
            Future<AcceptedRequest> accepted,
            InboundMessage m,
            Pseudonym sender,
            String name,
            String topic,
            Optional<Command.IdClaim> claim,
            Command command,
            Optional<SubscriberBinding> binding,
            List<Limit> senderLimits,
            boolean first) {
        Optional<RefusalReason> refusal = access.check(m, binding, claim);
        Pseudonym id = binding.map(b -> pseudonyms.id(b.personalId())).orElse(Pseudonym.NONE);
        if (refusal.isPresent()) {
            Decision refused = Decision.refused(name, topic, refusal.get(), id);
            return limits.within(senderLimits, first).compose(within -> {
                if (!within) {
                    return refuse(accepted, Decision.throttled(name, topic, Pseudonym.NONE));
                }
                return refusal.get() == RefusalReason.ID_MISMATCH
                        ? accepted.compose(r -> ports.policy()
                                        .recordMismatch(
                                                r.id(),
                                                sender.value(),
                                                policy.mismatchThreshold(),
                                                policy.mismatchWindow(),
                                                policy.mismatchLockout()))
                                .compose(v -> refuse(accepted, refused))
                        : refuse(accepted, refused);
            });
        }
        if (command instanceof Command.Lock) {
            return accepted.compose(r -> ports.policy().isLocked(id.value()))
                    .compose(locked -> (locked
                                    ? Future.succeededFuture(false)
                                    : ports.policy().lock(id.value(), sender.value()))
                            .map(v -> new Decision(
                                    ReplyText.LOCK_CONFIRMED,
                                    name,
                                    topic,
                                    Outcome.LOCKED,
                                    locked ? "ALREADY_LOCKED" : "",
                                    id)));
        }
        // the lock is read with the limits' count: a locked record's daily counter counts too, which
        // no one can notice while it is locked, for one round trip less per lookup
        return limits.withinAndLocked(limits.withRecord(senderLimits, m, id), id.value(), first)
                .compose(check -> {
                    if (!check.withinLimits()) {
                        return refuse(accepted, Decision.throttled(name, topic, check.locked() ? Pseudonym.NONE : id));
                    }
                    if (check.locked()) {
                        return refuse(accepted, Decision.refused(name, topic, RefusalReason.RECORD_LOCKED, id));
                    }
                    if (command instanceof Command.History) {
                        return ports.audit()
                                .recentAccesses(id.value(), policy.historyEntries())
                                .map(accesses -> new Decision(
                                        ReplyText.history(accesses, sender.value()),
                                        name,
                                        topic,
                                        Outcome.ANSWERED,
                                        "",
                                        id));
                    }
                    Topic t = ((Command.Lookup) command).topic();
                    return ports.population()
                            .find(binding.get().personalId(), t)
                            .compose(record -> {
                                if (record.isEmpty()) {
                                    return refuse(accepted, Decision.refused(name, topic, RefusalReason.NO_RECORD, id));
                                }
                                if (record.get().deceased()) {
                                    return refuse(
                                            accepted, Decision.refused(name, topic, RefusalReason.DECEASED_RECORD, id));
                                }
                                return Future.succeededFuture(new Decision(
                                        ReplyText.render(t, record.get()), name, topic, Outcome.ANSWERED, "", id));
                            });
                });
    }

    private static Future<Decision> refuse(Future<AcceptedRequest> accepted, Decision decision) {
        if (LOG.isDebugEnabled()) {
            accepted.onSuccess(r -> LOG.debug(
                    "request {}: {} {} ({})", r.id(), decision.command(), decision.outcome(), decision.reason()));
        }
        return Future.succeededFuture(decision);
    }

    /** {@code decided}: started by {@link #receive} as the request was accepted, or started here for a recovered one. */
    private Future<Void> process(AcceptedRequest request, Supplier<Future<Decision>> decided) {
        if (!inProgress.add(request.id())) {
            return Future.succeededFuture();
        }
        InboundMessage m = request.message();
        return decided.get()
                .compose(decision -> hold.after(vertx, clock, m.receivedAt()).map(decision))
                .compose(decision -> ports.requests()
                        .reply(
                                request,
                                decision.text(),
                                options.replyValidity(),
                                outbox.lease(),
                                entry(request, decision))
                        .map(stored -> {
                            observer.answered(
                                    m.channel(),
                                    decision.command(),
                                    decision.outcome(),
                                    decision.reason(),
                                    Duration.between(m.receivedAt(), clock.instant()));
                            return stored;
                        }))
                .andThen(done -> {
                    inProgress.remove(request.id());
                    checkIdle();
                    if (done.succeeded()) {
                        // a reply stored earlier (a recovered request answered twice) is the outbox's to send
                        done.result().ifPresentOrElse(outbox::sendStored, () -> outbox.wake(m.operatorId()));
                    } else {
                        LOG.warn(
                                "request {}: reply not stored, the recovery scan retries it: {}",
                                request.id(),
                                done.cause().toString());
                    }
                })
                .mapEmpty();
    }

    private AuditEntry entry(AcceptedRequest request, Decision d) {
        InboundMessage m = request.message();
        Instant now = clock.instant();
        return new AuditEntry(
                request.id(),
                now,
                m.operatorId(),
                m.bindId(),
                m.channel(),
                d.command(),
                d.topic(),
                d.outcome(),
                d.reason(),
                Duration.between(m.receivedAt(), now).toMillis(),
                pseudonyms.msisdn(m.sender()),
                d.id(),
                options.nodeId());
    }
}
