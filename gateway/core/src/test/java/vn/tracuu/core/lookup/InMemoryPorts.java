package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.CitizenRecord;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.domain.Topic;
import vn.tracuu.core.domain.audit.AccessRecord;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.domain.audit.Outcome;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.out.Answer;
import vn.tracuu.core.port.out.AnsweredRequest;
import vn.tracuu.core.port.out.AuditLog;
import vn.tracuu.core.port.out.OutboundReply;
import vn.tracuu.core.port.out.PolicyStore;
import vn.tracuu.core.port.out.PopulationDirectory;
import vn.tracuu.core.port.out.ReplyChannel;
import vn.tracuu.core.port.out.RequestStore;
import vn.tracuu.core.port.out.SubscriberRegistry;

/** Fakes of the core's ports, to test the core in isolation; the adapters are tested against real servers. */
final class InMemoryPorts {

    private InMemoryPorts() {}

    static final class Registry implements SubscriberRegistry {
        final Map<Msisdn, SubscriberBinding> bindings = new HashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger numbersOfReads = new AtomicInteger();
        /** Reads by number that fail before the registry answers again, as in an outage's last moment. */
        final AtomicInteger failNext = new AtomicInteger();

        RuntimeException failure;

        @Override
        public Future<Optional<SubscriberBinding>> byMsisdn(Msisdn msisdn) {
            calls.incrementAndGet();
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return Future.failedFuture(new IllegalStateException("registry unreachable"));
            }
            return failure != null
                    ? Future.failedFuture(failure)
                    : Future.succeededFuture(Optional.ofNullable(bindings.get(msisdn)));
        }

        @Override
        public Future<List<SubscriberBinding>> verifiedNumbersOf(PersonalId id) {
            numbersOfReads.incrementAndGet();
            return failure != null
                    ? Future.failedFuture(failure)
                    : Future.succeededFuture(bindings.values().stream()
                            .filter(b -> b.personalId().equals(id) && b.verified())
                            .toList());
        }
    }

    static final class Population implements PopulationDirectory {
        final Map<PersonalId, CitizenRecord> records = new HashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        RuntimeException failure;
        /** What a read waits for before it answers, as a slow back-end does. */
        Future<Void> answers = Future.succeededFuture();

        @Override
        public Future<Optional<CitizenRecord>> find(PersonalId id, Topic topic) {
            calls.incrementAndGet();
            return failure != null
                    ? Future.failedFuture(failure)
                    : answers.map(v -> Optional.ofNullable(records.get(id)));
        }
    }

    static final class Requests implements RequestStore {
        final List<AcceptedRequest> accepted = new ArrayList<>();
        final Map<Long, String> replies = new HashMap<>();
        final Map<Long, String> state = new HashMap<>();
        final Set<Long> answeredInSession = new HashSet<>();
        private final Audit audit;
        /** What an accept waits for before it completes, as a real one waits for its commit. */
        Future<Void> committed = Future.succeededFuture();

        /** A reply's audit entry goes to {@code audit}, as the real store appends it in the reply's transaction. */
        Requests(Audit audit) {
            this.audit = audit;
        }

        @Override
        public synchronized Future<AcceptedRequest> accept(InboundMessage message) {
            AcceptedRequest r = new AcceptedRequest(accepted.size() + 1, message);
            accepted.add(r);
            return committed.map(r);
        }

        /** Requests stored with their answer, in one commit in the real store. */
        final AtomicInteger answeredWithAccept = new AtomicInteger();

        @Override
        public Future<AnsweredRequest> acceptAnswered(
                InboundMessage message, String retransmissionKey, Duration window, Future<Answer> answer) {
            if (committed.failed() && committed.cause() instanceof Overloaded) {
                // as the real store, whose full queue refuses before the answer is made
                return Future.failedFuture(committed.cause());
            }
            return RequestStore.super
                    .acceptAnswered(message, retransmissionKey, window, answer)
                    .onSuccess(a -> answeredWithAccept.incrementAndGet());
        }

        @Override
        public synchronized Future<AcceptedRequest> acceptInSession(InboundMessage message) {
            AcceptedRequest r = new AcceptedRequest(accepted.size() + 1, message);
            accepted.add(r);
            answeredInSession.add(r.id());
            return Future.succeededFuture(r);
        }

        @Override
        public synchronized Future<Optional<OutboundReply>> reply(
                AcceptedRequest request, String text, Duration validity, Duration lease, AuditEntry entry) {
            if (accepted.stream().noneMatch(r -> r.id() == request.id())) {
                return Future.failedFuture(new IllegalStateException("no request " + request.id() + " to reply to"));
            }
            audit.append(entry);
            if (replies.putIfAbsent(request.id(), text) != null) {
                return Future.succeededFuture(Optional.empty());
            }
            state.put(request.id(), "claimed");
            InboundMessage m = request.message();
            return Future.succeededFuture(Optional.of(new OutboundReply(
                    request.id(),
                    m.operatorId(),
                    m.sender(),
                    m.shortCode(),
                    text,
                    0,
                    m.receivedAt().plus(validity))));
        }

        @Override
        public synchronized Future<List<AcceptedRequest>> claimUnanswered(
                String claimant, Duration olderThan, int limit, Duration lease) {
            return Future.succeededFuture(accepted.stream()
                    .filter(r -> !replies.containsKey(r.id()))
                    .limit(limit)
                    .toList());
        }

        @Override
        public synchronized Future<List<OutboundReply>> claimDue(String operatorId, int limit, Duration lease) {
            List<OutboundReply> due = new ArrayList<>();
            for (AcceptedRequest r : accepted) {
                if ("pending".equals(state.get(r.id()))
                        && r.message().operatorId().equals(operatorId)
                        && due.size() < limit) {
                    state.put(r.id(), "claimed");
                    due.add(new OutboundReply(
                            r.id(),
                            operatorId,
                            r.message().sender(),
                            r.message().shortCode(),
                            replies.get(r.id()),
                            0,
                            r.message().receivedAt().plusSeconds(3600)));
                }
            }
            return Future.succeededFuture(due);
        }

        @Override
        public synchronized Future<Void> markSent(long requestId, List<String> messageIds) {
            state.put(requestId, "sent");
            return Future.succeededFuture();
        }

        @Override
        public Future<Boolean> receipt(DeliveryReceipt receipt) {
            return Future.succeededFuture(false);
        }

        @Override
        public synchronized Future<Void> retryLater(long requestId, Duration delay) {
            state.put(requestId, "pending");
            return Future.succeededFuture();
        }

        /** A notice stored in the outbox: to whom, through which operator, what it says. */
        record Notice(String operatorId, Msisdn to, String shortCode, String text) {}

        final List<Notice> notices = new ArrayList<>();

        @Override
        public synchronized Future<Void> notice(
                String operatorId, Msisdn to, String shortCode, String text, Duration validity) {
            notices.add(new Notice(operatorId, to, shortCode, text));
            return Future.succeededFuture();
        }

        @Override
        public Future<Integer> expireOverdue() {
            return Future.succeededFuture(0);
        }
    }

    static final class Policy implements PolicyStore {
        final Set<String> locked = new HashSet<>();
        final Map<String, Integer> counters = new HashMap<>();
        final Map<String, Integer> mismatches = new HashMap<>();
        final Set<Long> mismatchedRequests = new HashSet<>();
        final Map<String, Instant> lockouts = new HashMap<>();

        @Override
        public synchronized Future<Boolean> count(List<Limit> limits) {
            boolean within = true;
            for (Limit l : limits) {
                int n = counters.merge(l.key() + "@" + l.windowStart(), 1, Integer::sum);
                within &= n <= l.max();
            }
            return Future.succeededFuture(within);
        }

        @Override
        public synchronized Future<Boolean> within(List<Limit> limits) {
            return Future.succeededFuture(limits.stream()
                    .allMatch(l -> counters.getOrDefault(l.key() + "@" + l.windowStart(), 0) <= l.max()));
        }

        @Override
        public synchronized Future<Boolean> isLocked(String idPseudonym) {
            return Future.succeededFuture(locked.contains(idPseudonym));
        }

        @Override
        public synchronized Future<Boolean> lock(String idPseudonym, String byMsisdnPseudonym) {
            return Future.succeededFuture(locked.add(idPseudonym));
        }

        @Override
        public synchronized Future<Boolean> unlock(String idPseudonym) {
            return Future.succeededFuture(locked.remove(idPseudonym));
        }

        @Override
        public synchronized Future<Optional<Instant>> lockedOutUntil(String msisdnPseudonym) {
            return Future.succeededFuture(Optional.ofNullable(lockouts.get(msisdnPseudonym)));
        }

        @Override
        public synchronized Future<Void> recordMismatch(
                long requestId, String msisdnPseudonym, int threshold, Duration window, Duration lockout) {
            if (mismatchedRequests.add(requestId) && mismatches.merge(msisdnPseudonym, 1, Integer::sum) >= threshold) {
                lockouts.put(msisdnPseudonym, Instant.now().plus(lockout));
            }
            return Future.succeededFuture();
        }
    }

    static final class Audit implements AuditLog {
        final List<AuditEntry> entries = new ArrayList<>();

        @Override
        public synchronized Future<Void> append(AuditEntry entry) {
            if (entries.stream().noneMatch(e -> e.requestId() == entry.requestId())) {
                entries.add(entry);
            }
            return Future.succeededFuture();
        }

        @Override
        public synchronized Future<List<AccessRecord>> recentAccesses(String idPseudonym, int limit) {
            List<AccessRecord> out = new ArrayList<>();
            for (int i = entries.size() - 1; i >= 0 && out.size() < limit; i--) {
                AuditEntry e = entries.get(i);
                if (e.id().value().equals(idPseudonym) && e.outcome() == Outcome.ANSWERED) {
                    out.add(new AccessRecord(
                            e.at(),
                            e.channel(),
                            e.command(),
                            e.topic(),
                            e.msisdn().value()));
                }
            }
            return Future.succeededFuture(out);
        }
    }

    static final class Channel implements ReplyChannel {
        final List<OutboundReply> delivered = new ArrayList<>();
        final List<Consumer<String>> listeners = new ArrayList<>();
        boolean up = true;

        @Override
        public boolean canDeliver(String operatorId) {
            return up;
        }

        @Override
        public synchronized Future<List<String>> deliver(OutboundReply reply) {
            delivered.add(reply);
            return Future.succeededFuture(List.of());
        }

        @Override
        public List<String> operatorIds() {
            return List.of("viettel", "mobifone");
        }

        @Override
        public void onDeliveryAvailable(Consumer<String> listener) {
            listeners.add(listener);
        }
    }
}
