package vn.tracuu.core.outbox;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.domain.LogContext;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.Unanswered;
import vn.tracuu.core.port.out.OutboundReply;
import vn.tracuu.core.port.out.ReplyChannel;
import vn.tracuu.core.port.out.RequestStore;

/**
 * Sends what waits in the durable outbox on a bind of the reply's operator. A fresh reply is
 * handed over as it is stored; the rest is drained when a bind comes up or a drain is asked for,
 * and by a periodic scan; one drain per operator at a time, in batches of claimed rows. What is
 * in flight is bounded by the binds' windows: past them a send fails fast and the reply is due
 * again shortly.
 * All state lives on one Vert.x context.
 */
public final class OutboxSender {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
    private static final Duration WINDOW_FULL_DELAY = Duration.ofMillis(50);

    private final Vertx vertx;
    private final Context context;
    private final OutboxOptions options;
    private final RequestStore store;
    private final ReplyChannel channel;
    private final Set<String> draining = new HashSet<>();
    private final Set<String> wokenWhileDraining = new HashSet<>();
    private long scanTimer = -1;
    private final LongAdder expired = new LongAdder();
    private final LongAdder failedSends = new LongAdder();

    public OutboxSender(Vertx vertx, OutboxOptions options, RequestStore store, ReplyChannel channel) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.options = options;
        this.store = store;
        this.channel = channel;
    }

    /** Replies that expired before a bind could take them, since start (this node's scans). */
    public long expiredReplies() {
        return expired.sum();
    }

    /** Sends that failed and were scheduled again, since start; a full window or a silent bind is no failure. */
    public long failedSends() {
        return failedSends.sum();
    }

    public void start() {
        channel.onDeliveryAvailable(this::wake);
        scanTimer = vertx.setPeriodic(options.scanInterval().toMillis(), id -> scan());
    }

    public void stop() {
        if (scanTimer >= 0) {
            vertx.cancelTimer(scanTimer);
        }
    }

    /** Asks for the operator's due replies to be sent; cheap to call often, from any thread. */
    public void wake(String operatorId) {
        context.runOnContext(v -> drainIfIdle(operatorId));
    }

    /** How long a reply handed to {@link #sendStored} must be stored claimed for. */
    public Duration lease() {
        return options.lease();
    }

    /**
     * Sends a reply its caller has just stored claimed for {@link #lease()}: a fresh reply goes
     * out without a claim statement. With no bind to take it, it is made due at once, for the
     * drain that the next bind to come up starts.
     */
    public void sendStored(OutboundReply reply) {
        context.runOnContext(v -> {
            if (channel.canDeliver(reply.operatorId())) {
                send(reply);
                return;
            }
            store.retryLater(reply.requestId(), Duration.ZERO)
                    .onFailure(err -> LogContext.request(
                            reply.requestId(),
                            reply.operatorId(),
                            () -> LOG.warn(
                                    "reply {}: not made due; due once its lease ends: {}",
                                    reply.requestId(),
                                    err.toString())))
                    // a bind that came up before this committed found nothing due: look again
                    .onComplete(done -> wake(reply.operatorId()));
        });
    }

    private void scan() {
        // one statement at a time: a scan must not take the whole pool from the lookups
        store.expireOverdue()
                .onSuccess(n -> {
                    expired.add(n);
                    if (n > 0) {
                        LOG.info("{} reply(ies) expired before a bind could take them", n);
                    }
                })
                .onFailure(err -> LOG.warn("expiring overdue replies failed: {}", err.toString()))
                .onComplete(
                        done -> context.runOnContext(v -> channel.operatorIds().forEach(this::drainIfIdle)));
    }

    private void drainIfIdle(String operatorId) {
        if (draining.contains(operatorId)) {
            wokenWhileDraining.add(operatorId);
            return;
        }
        if (!channel.canDeliver(operatorId)) {
            return;
        }
        draining.add(operatorId);
        drain(operatorId);
    }

    private void drain(String operatorId) {
        store.claimDue(operatorId, options.batchSize(), options.lease()).onComplete(claimed -> {
            if (claimed.failed()) {
                LOG.warn(
                        "outbox of {}: claiming failed: {}",
                        operatorId,
                        claimed.cause().toString());
                finishDrain(operatorId);
                return;
            }
            List<OutboundReply> batch = claimed.result();
            LOG.debug("outbox of {}: {} reply(ies) claimed", operatorId, batch.size());
            List<Future<Void>> sends = batch.stream().map(this::send).toList();
            if (batch.size() < options.batchSize()) {
                // the backlog is drained: the sends are not awaited, so one slow acknowledgement does not
                // hold up the operator's next replies (the binds' windows bound what is in flight)
                finishDrain(operatorId);
                return;
            }
            // a backlog: the next batch only once this one's sends are answered, or it would just meet full windows
            // the sends are answered on their binds' event loops: back to this one's state
            Future.join(sends)
                    .onComplete(settled -> context.runOnContext(v -> {
                        if (channel.canDeliver(operatorId)) {
                            drain(operatorId);
                        } else {
                            finishDrain(operatorId);
                        }
                    }));
        });
    }

    private void finishDrain(String operatorId) {
        draining.remove(operatorId);
        if (wokenWhileDraining.remove(operatorId)) {
            drainIfIdle(operatorId);
        }
    }

    /**
     * Sends one reply and then stores the outcome. The returned future completes once the operator
     * answered (or the send failed), without waiting for that outcome to commit: a backlog's next
     * batch needs room in the windows, not the previous batch's group commit, which under load
     * took longer than the sends and capped a backlog at one commit per batch.
     */
    private Future<Void> send(OutboundReply reply) {
        Future<List<String>> delivered = channel.deliver(reply);
        delivered.onComplete(done -> {
            if (done.succeeded()) {
                // handed to the operator: never due again, even if this write fails (the lease holds it)
                store.markSent(reply.requestId(), done.result())
                        .onFailure(err -> LogContext.request(
                                reply.requestId(),
                                reply.operatorId(),
                                () -> LOG.warn(
                                        "reply {}: sent but not marked so; it is sent again once its lease ends: {}",
                                        reply.requestId(),
                                        err.toString())));
                return;
            }
            boolean windowFull = done.cause() instanceof Overloaded;
            boolean rerouted = done.cause() instanceof Unanswered;
            Duration delay;
            if (windowFull) {
                // the bind's window is full: not a failure of this reply, just wait for room
                delay = WINDOW_FULL_DELAY;
            } else if (rerouted) {
                // its bind went silent and left the rotation: due at once, for another bind
                delay = Duration.ZERO;
            } else {
                failedSends.increment();
                LogContext.request(
                        reply.requestId(),
                        reply.operatorId(),
                        () -> LOG.info(
                                "reply {} (attempt {}) not delivered, retrying later: {}",
                                reply.requestId(),
                                reply.attempts() + 1,
                                done.cause().getMessage()));
                delay = options.retryDelay(reply.attempts());
            }
            store.retryLater(reply.requestId(), delay)
                    .onSuccess(x -> {
                        if (windowFull) {
                            // fresh replies no longer wake the drain: look again once the windows had time to empty
                            vertx.setTimer(delay.toMillis(), id -> wake(reply.operatorId()));
                        } else if (rerouted) {
                            wake(reply.operatorId());
                        }
                    })
                    .onFailure(err -> LogContext.request(
                            reply.requestId(),
                            reply.operatorId(),
                            () -> LOG.warn(
                                    "reply {}: retry not scheduled; due again once its lease ends: {}",
                                    reply.requestId(),
                                    err.toString())));
        });
        return delivered.<Void>mapEmpty().otherwiseEmpty();
    }
}
