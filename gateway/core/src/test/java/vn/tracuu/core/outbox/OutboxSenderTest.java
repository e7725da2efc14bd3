package vn.tracuu.core.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.Unanswered;
import vn.tracuu.core.port.out.OutboundReply;
import vn.tracuu.core.port.out.ReplyChannel;
import vn.tracuu.core.port.out.RequestStore;

@ExtendWith(VertxExtension.class)
class OutboxSenderTest {

    /** A store for the outbox alone: what the sender never calls is refused or empty. */
    private abstract static class OutboxOnlyStore implements RequestStore {
        @Override
        public Future<Boolean> receipt(DeliveryReceipt receipt) {
            return Future.succeededFuture(false);
        }

        @Override
        public Future<Integer> expireOverdue() {
            return Future.succeededFuture(0);
        }

        @Override
        public Future<AcceptedRequest> accept(InboundMessage message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<AcceptedRequest> acceptInSession(InboundMessage message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Void> notice(String operatorId, Msisdn to, String shortCode, String text, Duration validity) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Optional<OutboundReply>> reply(
                AcceptedRequest request, String text, Duration validity, Duration lease, AuditEntry entry) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<List<AcceptedRequest>> claimUnanswered(
                String claimant, Duration olderThan, int limit, Duration lease) {
            return Future.succeededFuture(List.of());
        }
    }

    /** One pending reply; records the delays it was told to wait. */
    private static final class OneReply extends OutboxOnlyStore {
        final List<Duration> delays = new ArrayList<>();
        boolean pending = true;
        boolean sent;

        @Override
        public synchronized Future<List<OutboundReply>> claimDue(String operatorId, int limit, Duration lease) {
            if (!pending) {
                return Future.succeededFuture(List.of());
            }
            pending = false;
            return Future.succeededFuture(List.of(new OutboundReply(
                    1,
                    "viettel",
                    Msisdn.of("84912345678"),
                    "8088",
                    "x",
                    delays.size(),
                    Instant.now().plusSeconds(60))));
        }

        @Override
        public synchronized Future<Void> markSent(long requestId, List<String> messageIds) {
            sent = true;
            return Future.succeededFuture();
        }

        @Override
        public synchronized Future<Void> retryLater(long requestId, Duration delay) {
            delays.add(delay);
            pending = true;
            return Future.succeededFuture();
        }
    }

    @Test
    void aFullWindowIsWaitedOutBrieflyASilentBindsReplyGoesAtOnceAndAFailureBacksOff(
            Vertx vertx, VertxTestContext test) {
        OneReply store = new OneReply();
        AtomicInteger calls = new AtomicInteger();
        ReplyChannel channel = new ReplyChannel() {
            @Override
            public boolean canDeliver(String operatorId) {
                return true;
            }

            @Override
            public Future<List<String>> deliver(OutboundReply reply) {
                return switch (calls.incrementAndGet()) {
                    case 1 -> Future.failedFuture(new Overloaded("window"));
                    case 2 -> Future.failedFuture(new IllegalStateException("ESME_RMSGQFUL"));
                    case 3 -> Future.failedFuture(new Unanswered("bind went silent"));
                    default -> Future.succeededFuture(List.of());
                };
            }

            @Override
            public List<String> operatorIds() {
                return List.of("viettel");
            }

            @Override
            public void onDeliveryAvailable(Consumer<String> listener) {}
        };
        OutboxOptions options = new OutboxOptions(
                Duration.ofMillis(20),
                Duration.ofSeconds(30),
                10,
                Duration.ofSeconds(2),
                Duration.ofMinutes(5),
                OutboxOptions.DEFAULT_SENT_MARK_LINGER);
        OutboxSender sender = new OutboxSender(vertx, options, store, channel);
        sender.start();
        sender.wake("viettel");
        vertx.setPeriodic(10, id -> {
            synchronized (store) {
                if (store.delays.size() >= 3 && !store.pending) {
                    test.verify(() -> {
                        assertTrue(
                                store.delays.get(0).toMillis() < 200,
                                "a full window is not a failure: " + store.delays.get(0));
                        assertEquals(
                                Duration.ofSeconds(4),
                                store.delays.get(1),
                                "a real failure backs off (second attempt: 2 s doubled)");
                        assertEquals(Duration.ZERO, store.delays.get(2), "due at once, for another bind");
                        assertEquals(1, sender.failedSends(), "only the real failure counts as one");
                    });
                    vertx.cancelTimer(id);
                    sender.stop();
                    test.completeNow();
                }
            }
        });
    }

    /** Replies due in several full batches; sent marks that never commit, or fail. */
    private static class Backlog extends OutboxOnlyStore {
        final List<Long> due = new ArrayList<>();
        final List<Long> retried = new ArrayList<>();
        int claims;
        int marks;
        boolean marksFail;

        Backlog(int replies) {
            for (long i = 1; i <= replies; i++) {
                due.add(i);
            }
        }

        @Override
        public synchronized Future<List<OutboundReply>> claimDue(String operatorId, int limit, Duration lease) {
            claims++;
            List<OutboundReply> batch = new ArrayList<>();
            while (batch.size() < limit && !due.isEmpty()) {
                batch.add(new OutboundReply(
                        due.remove(0),
                        "viettel",
                        Msisdn.of("84912345678"),
                        "8088",
                        "x",
                        0,
                        Instant.now().plusSeconds(60)));
            }
            return Future.succeededFuture(batch);
        }

        @Override
        public synchronized Future<Void> markSent(long requestId, List<String> messageIds) {
            marks++;
            // a group commit still in flight, or a failed one
            return marksFail
                    ? Future.failedFuture("database gone")
                    : Promise.<Void>promise().future();
        }

        @Override
        public synchronized Future<Void> retryLater(long requestId, Duration delay) {
            retried.add(requestId);
            return Future.succeededFuture();
        }
    }

    private static ReplyChannel answeringAtOnce(List<Long> delivered) {
        return new ReplyChannel() {
            @Override
            public boolean canDeliver(String operatorId) {
                return true;
            }

            @Override
            public Future<List<String>> deliver(OutboundReply reply) {
                synchronized (delivered) {
                    delivered.add(reply.requestId());
                }
                return Future.succeededFuture(List.of("id" + reply.requestId()));
            }

            @Override
            public List<String> operatorIds() {
                return List.of("viettel");
            }

            @Override
            public void onDeliveryAvailable(Consumer<String> listener) {}
        };
    }

    private static OutboxOptions batchesOf(int size) {
        // a scan interval far past the test: only the drain itself may claim the next batch
        return new OutboxOptions(
                Duration.ofMinutes(10),
                Duration.ofSeconds(30),
                size,
                Duration.ofSeconds(2),
                Duration.ofMinutes(5),
                OutboxOptions.DEFAULT_SENT_MARK_LINGER);
    }

    @Test
    void aBacklogsNextBatchWaitsForTheOperatorsAnswersNotForTheSentMarksToCommit(Vertx vertx, VertxTestContext test) {
        Backlog store = new Backlog(25);
        List<Long> delivered = new ArrayList<>();
        // the sender and the checks on one context: a check sees each send's callbacks finished
        vertx.getOrCreateContext().runOnContext(v -> {
            OutboxSender sender = new OutboxSender(vertx, batchesOf(10), store, answeringAtOnce(delivered));
            sender.start();
            sender.wake("viettel");
            vertx.setPeriodic(10, id -> {
                if (delivered.size() == 25) {
                    vertx.cancelTimer(id);
                    sender.stop();
                    test.verify(() -> assertTrue(
                            store.claims >= 3, "three batches claimed while no sent mark committed: " + store.claims));
                    test.completeNow();
                }
            });
        });
    }

    @Test
    void aSentReplyWhoseMarkFailsIsNotMadeDueAgain(Vertx vertx, VertxTestContext test) {
        Backlog store = new Backlog(3);
        store.marksFail = true;
        List<Long> delivered = new ArrayList<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            OutboxSender sender = new OutboxSender(vertx, batchesOf(10), store, answeringAtOnce(delivered));
            sender.start();
            sender.wake("viettel");
            vertx.setPeriodic(10, id -> {
                if (store.marks == 3) {
                    vertx.cancelTimer(id);
                    sender.stop();
                    test.verify(() -> assertTrue(
                            store.retried.isEmpty(),
                            "handed to the operator: never rescheduled at once " + store.retried));
                    test.completeNow();
                }
            });
        });
    }

    @Test
    void aFreshReplyGoesOutWithoutAClaimAndWaitsInTheOutboxWhileNoBindIsUp(Vertx vertx, VertxTestContext test) {
        Backlog store = new Backlog(0) {
            @Override
            public synchronized Future<Void> retryLater(long requestId, Duration delay) {
                due.add(requestId);
                return super.retryLater(requestId, delay);
            }
        };
        List<Long> delivered = new ArrayList<>();
        AtomicBoolean bound = new AtomicBoolean();
        AtomicBoolean handedFresh = new AtomicBoolean();
        List<Consumer<String>> bindUp = new ArrayList<>();
        ReplyChannel atOnce = answeringAtOnce(delivered);
        ReplyChannel channel = new ReplyChannel() {
            @Override
            public boolean canDeliver(String operatorId) {
                return bound.get();
            }

            @Override
            public Future<List<String>> deliver(OutboundReply reply) {
                return atOnce.deliver(reply);
            }

            @Override
            public List<String> operatorIds() {
                return List.of("viettel");
            }

            @Override
            public void onDeliveryAvailable(Consumer<String> listener) {
                bindUp.add(listener);
            }
        };
        vertx.getOrCreateContext().runOnContext(v -> {
            OutboxSender sender = new OutboxSender(vertx, batchesOf(10), store, channel);
            sender.start();
            sender.sendStored(new OutboundReply(
                    7,
                    "viettel",
                    Msisdn.of("84912345678"),
                    "8088",
                    "x",
                    0,
                    Instant.now().plusSeconds(60)));
            vertx.setPeriodic(10, id -> {
                if (store.retried.equals(List.of(7L)) && !bound.get()) {
                    test.verify(() -> assertTrue(delivered.isEmpty(), "no bind: nothing sent"));
                    bound.set(true);
                    bindUp.forEach(l -> l.accept("viettel"));
                } else if (delivered.equals(List.of(7L)) && !handedFresh.getAndSet(true)) {
                    sender.sendStored(new OutboundReply(
                            8,
                            "viettel",
                            Msisdn.of("84912345678"),
                            "8088",
                            "x",
                            0,
                            Instant.now().plusSeconds(60)));
                } else if (delivered.equals(List.of(7L, 8L))) {
                    vertx.cancelTimer(id);
                    sender.stop();
                    test.verify(
                            () -> assertEquals(1, store.claims, "only the reply that waited for a bind was claimed"));
                    test.completeNow();
                }
            });
        });
    }
}
