package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.command.Command;
import vn.tracuu.core.command.CommandParser;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.DecisionReason;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.LogContext;
import vn.tracuu.core.domain.RefusalReason;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.domain.Topic;
import vn.tracuu.core.domain.audit.Outcome;
import vn.tracuu.core.domain.audit.Pseudonym;
import vn.tracuu.core.guard.GuardRejected;
import vn.tracuu.core.policy.PolicyOptions;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.out.PolicyStore.Limit;

/**
 * The decision (DESIGN §4): for TC, LS and KHOA the privacy policy (lockout, limits, verified
 * binding, operator, SIM change, ID match, record lock) before any population read. Never fails:
 * a failing back-end gives the "busy" text. Its writes are once per request: the limit counters
 * by a request's first decision only, a mismatch keyed by the request, a lock that exists already
 * left as it is.
 */
final class LookupDecision {

    private static final Logger LOG = LoggerFactory.getLogger(LookupDecision.class);

    private final PolicyOptions policy;
    private final LookupPorts ports;
    private final Pseudonymizer pseudonyms;
    private final CommandParser parser = new CommandParser();
    private final AccessPolicy access;
    private final LookupLimits limits;

    LookupDecision(PolicyOptions policy, LookupPorts ports, Pseudonymizer pseudonyms) {
        this.policy = policy;
        this.ports = ports;
        this.pseudonyms = pseudonyms;
        this.access = new AccessPolicy(policy, pseudonyms);
        this.limits = new LookupLimits(ports.policy(), policy);
    }

    /** What the policy reads of a sender first; neither read has side effects. */
    record SenderReads(
            Pseudonym sender, Future<Optional<Instant>> lockout, Future<Optional<SubscriberBinding>> binding) {}

    /** A message's command, and its sender's reads, already started, when the command needs them (else null). */
    record Prepared(Command command, SenderReads reads) {}

    Command parse(InboundMessage m) {
        return parser.parse(m.text());
    }

    /**
     * The text a request row keeps for a command: it decides the request again after a crash, and
     * holds a typed ID only as its pseudonym.
     */
    String stored(Command command) {
        return CommandParser.stored(
                command instanceof Command.Lookup lookup ? lookup.pseudonymised(pseudonyms::claim) : command);
    }

    /** Parses the message and starts its sender's reads. */
    Prepared prepare(InboundMessage m) {
        return prepare(m, parse(m));
    }

    /** Starts the reads of the command's sender, so they run beside the accept's commit. */
    Prepared prepare(InboundMessage m, Command command) {
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

    /**
     * The decision for an accepted request. {@code first}: false for a request decided again
     * (recovered), whose first decision counted its limits already; it is checked against them
     * and counts nothing.
     */
    Future<Decision> decide(AcceptedRequest request, boolean first) {
        return decide(
                Acceptance.started(Future.succeededFuture(request)),
                request.message(),
                prepare(request.message()),
                first);
    }

    /**
     * The decision for a message whose accept may still be committing, or not started (stored
     * with its answer): of what it writes, only the limit counters go before the request is
     * stored. Counting a request whose accept then fails counts it twice when the operator sends
     * it again, as a crash between counting and the stored reply already does (the recovery
     * decides again); a mismatch or a lock asks for the stored request first, since those a
     * resent message must not repeat.
     */
    Future<Decision> decide(Acceptance accepted, InboundMessage message, Prepared prepared, boolean first) {
        Command command = prepared.command();
        String name = command.code();
        if (command instanceof Command.Help) {
            return Future.succeededFuture(Decision.answered(ReplyText.HELP, name, "", Outcome.HELP, Pseudonym.NONE));
        }
        if (command instanceof Command.PrivacyNotice) {
            return Future.succeededFuture(Decision.answered(
                    ReplyText.privacyNotice(policy.auditRetention()), name, "BM", Outcome.HELP, Pseudonym.NONE));
        }
        if (command instanceof Command.InvalidId) {
            return Future.succeededFuture(
                    Decision.answered(ReplyText.INVALID_ID, name, "", Outcome.INVALID, Pseudonym.NONE));
        }
        String topic = command instanceof Command.Lookup lookup ? lookup.topic().code() : "";
        return guarded(accepted, message, name, topic, command, prepared.reads(), first)
                .recover(err -> {
                    // logged once the request has its id; a request not accepted gets no reply to explain
                    if (err instanceof GuardRejected || err instanceof Overloaded) {
                        // an expected refusal under load: the guard or the outcome's reason counts
                        // these; a log line each would flood
                        accepted.known()
                                .onSuccess(r ->
                                        LOG.debug("request {}: {} answered busy: {}", r.id(), name, err.getMessage()));
                    } else {
                        accepted.known()
                                .onSuccess(r -> LogContext.request(
                                        r.id(),
                                        r.message().operatorId(),
                                        () -> LOG.warn(
                                                "request {}: {} failed, answering busy: {}",
                                                r.id(),
                                                name,
                                                err.toString())));
                    }
                    return Future.succeededFuture(Decision.busy(name, topic, err));
                });
    }

    /**
     * The lockout and the binding are read together; the limits are counted in one statement once
     * the record is known (one write per lookup, not two), and before any refusal is given, so a
     * number over its limits is throttled whatever else it would have been told.
     */
    private Future<Decision> guarded(
            Acceptance accepted,
            InboundMessage m,
            String name,
            String topic,
            Command command,
            SenderReads reads,
            boolean first) {
        Future<Optional<Instant>> lockout = reads.lockout();
        Future<Optional<SubscriberBinding>> binding = reads.binding();
        // join, not all: a locked-out number is refused even when the registry failed
        return Future.join(lockout, binding).transform(both -> {
            if (accepted.known().failed()) {
                // the operator was told to send it again: nothing is counted for it
                return Future.failedFuture(accepted.known().cause());
            }
            if (lockout.succeeded() && lockout.result().isPresent()) {
                return refuse(accepted, Decision.refused(name, topic, RefusalReason.LOCKED_OUT, Pseudonym.NONE));
            }
            if (both.failed()) {
                return Future.failedFuture(lockout.failed() ? lockout.cause() : binding.cause());
            }
            List<Limit> senderLimits = command instanceof Command.Lock ? List.of() : limits.ofSender(m, reads.sender());
            return authorized(accepted, m, reads.sender(), name, topic, command, binding.result(), senderLimits, first);
        });
    }

    /** The decision once the binding is known; {@code senderLimits} are counted before any answer. */
    private Future<Decision> authorized(
            Acceptance accepted,
            InboundMessage m,
            Pseudonym sender,
            String name,
            String topic,
            Command command,
            Optional<SubscriberBinding> binding,
            List<Limit> senderLimits,
            boolean first) {
        Optional<Command.IdClaim> claim =
                command instanceof Command.Lookup lookup ? lookup.idClaim() : Optional.empty();
        Optional<RefusalReason> refusal = access.check(m, binding, claim);
        Pseudonym id = binding.map(b -> pseudonyms.id(b.personalId())).orElse(Pseudonym.NONE);
        if (refusal.isPresent()) {
            Decision refused = Decision.refused(name, topic, refusal.get(), id);
            return limits.within(senderLimits, first).compose(within -> {
                if (!within) {
                    return throttled(accepted, senderLimits, m, name, topic, Pseudonym.NONE);
                }
                return refusal.get() == RefusalReason.ID_MISMATCH
                        ? accepted.request()
                                .compose(r -> ports.policy()
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
            return accepted.request()
                    .compose(r -> ports.policy().isLocked(id.value()))
                    .compose(locked -> (locked
                                    ? Future.succeededFuture(false)
                                    : ports.policy().lock(id.value(), sender.value()))
                            .map(v -> new Decision(
                                    ReplyText.LOCK_CONFIRMED,
                                    name,
                                    topic,
                                    Outcome.LOCKED,
                                    locked ? DecisionReason.Other.ALREADY_LOCKED : DecisionReason.Other.NONE,
                                    id)));
        }
        // the lock is read with the limits' count: a locked record's daily counter counts too, which
        // no one can notice while it is locked, for one round trip less per lookup
        List<Limit> counted = limits.withRecord(senderLimits, m, id);
        return limits.withinAndLocked(counted, id.value(), first).compose(check -> {
            if (!check.withinLimits()) {
                return throttled(accepted, counted, m, name, topic, check.locked() ? Pseudonym.NONE : id);
            }
            if (check.locked()) {
                return refuse(accepted, Decision.refused(name, topic, RefusalReason.RECORD_LOCKED, id));
            }
            if (command instanceof Command.History) {
                return ports.audit()
                        .recentAccesses(id.value(), policy.historyEntries())
                        .map(accesses -> Decision.answered(
                                ReplyText.history(accesses, sender.value()), name, topic, Outcome.ANSWERED, id));
            }
            Topic t = ((Command.Lookup) command).topic();
            return ports.population().find(binding.get().personalId(), t).compose(record -> {
                if (record.isEmpty()) {
                    return refuse(accepted, Decision.refused(name, topic, RefusalReason.NO_RECORD, id));
                }
                if (record.get().deceased()) {
                    return refuse(accepted, Decision.refused(name, topic, RefusalReason.DECEASED_RECORD, id));
                }
                String text = ReplyText.render(t, record.get());
                // a record no other verified number is bound to has no one to tell
                return Future.succeededFuture(
                        binding.get().sharedRecord()
                                ? Decision.lookedUp(
                                        text, name, topic, id, binding.get().personalId())
                                : Decision.answered(text, name, topic, Outcome.ANSWERED, id));
            });
        });
    }

    /** Refused past a limit, telling the sender which and until when. */
    private Future<Decision> throttled(
            Acceptance accepted, List<Limit> counted, InboundMessage m, String name, String topic, Pseudonym id) {
        return limits.refusalText(counted, m.receivedAt())
                .compose(text -> refuse(accepted, Decision.throttled(text, name, topic, id)));
    }

    private static Future<Decision> refuse(Acceptance accepted, Decision decision) {
        if (LOG.isDebugEnabled()) {
            accepted.known()
                    .onSuccess(r -> LOG.debug(
                            "request {}: {} {} ({})",
                            r.id(),
                            decision.command(),
                            decision.outcome(),
                            decision.reason()));
        }
        return Future.succeededFuture(decision);
    }
}
