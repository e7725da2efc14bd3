package vn.tracuu.smpp.session;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.Unanswered;
import vn.tracuu.core.port.out.OutboundReply;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.PduCodec;
import vn.tracuu.smpp.codec.ShortMessage;
import vn.tracuu.smpp.codec.SmppStatusException;
import vn.tracuu.smpp.text.ReplySegmenter;
import vn.tracuu.smpp.text.Segment;

/**
 * What one bind sends toward the operator: a reply's segments and USSD screens (deliver_sm as
 * SMSC, submit_sm as ESME), within the bind's outbound window, paced to the operator's rate, and
 * resent after a growing pause while the operator answers ESME_RTHROTTLED or ESME_RMSGQFUL.
 * Runs on its session's context; the session owns the connection and the request window.
 */
final class ReplySender {

    // SMPP 3.4 §5.2.5/§5.2.6: replies go to an international ISDN number, from the short code.
    private static final int TON_INTERNATIONAL = 1;
    private static final int NPI_ISDN = 1;
    // SMPP 3.4 §5.2.17: SMSC delivery receipt requested on final outcome
    private static final int REGISTERED_DELIVERY_FINAL = 0x01;
    private static final int MAX_THROTTLE_DOUBLINGS = 5;

    private final Vertx vertx;
    private final Context context;
    private final SmppSession session;
    private final SmppOptions options;
    private final OperatorOptions operator;
    private final ReplySegmenter segmenter;
    private final RateLimiter sendRate;
    private final int commandId;
    private final int registeredDelivery;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder throttledByPeer = new LongAdder();
    private long throttledUntilNanos;
    private volatile int windowUsed;

    ReplySender(Vertx vertx, Context context, SmppSession session, SmppOptions options, OperatorOptions operator) {
        this.vertx = vertx;
        this.context = context;
        this.session = session;
        this.options = options;
        this.operator = operator;
        this.segmenter = new ReplySegmenter(operator.alphabet(), operator.concatenation(), operator.maxSegments());
        this.sendRate = operator.sendRate() > 0
                ? OperatorRate.of(operator.id() + "-send", operator.sendRate(), Duration.ofMinutes(10))
                : null;
        boolean asSmsc = session.role() == SmppSession.Role.SMSC;
        this.commandId = asSmsc ? CommandId.DELIVER_SM : CommandId.SUBMIT_SM;
        this.registeredDelivery = asSmsc ? 0 : REGISTERED_DELIVERY_FINAL;
    }

    /** Places of the outbound window taken by segments not yet answered. */
    int windowUsed() {
        return windowUsed;
    }

    long delivered() {
        return delivered.sum();
    }

    long throttledByPeer() {
        return throttledByPeer.sum();
    }

    /**
     * Sends a reply's segments; completes when every one is acknowledged, with the message ids
     * the operator gave them. Fails with {@link Overloaded} when the window has no room for all
     * the segments.
     */
    Future<List<String>> deliver(OutboundReply reply) {
        Promise<List<String>> result = Promise.promise();
        context.runOnContext(v -> {
            if (!session.canSendReplies()) {
                result.fail(new SmppStatusException(CommandStatus.ESME_RINVBNDSTS, "bind cannot carry replies"));
                return;
            }
            List<Segment> segments = segmenter.segment(reply.text(), (int) reply.requestId());
            if (windowUsed + segments.size() > options.outboundWindow()) {
                result.fail(new Overloaded("outbound window of a bind of " + operator.id()));
                return;
            }
            List<Future<String>> acks = new ArrayList<>(segments.size());
            windowUsed += segments.size();
            for (Segment s : segments) {
                ShortMessage sm = new ShortMessage(
                        "",
                        0,
                        0,
                        reply.shortCode(),
                        TON_INTERNATIONAL,
                        NPI_ISDN,
                        reply.recipient().digits(),
                        s.esmClass(),
                        0,
                        0,
                        "",
                        "",
                        registeredDelivery,
                        0,
                        s.dataCoding(),
                        0,
                        s.payload(),
                        s.tlvs());
                acks.add(sendReserved(sm));
            }
            Future.all(acks)
                    .map(all -> acks.stream()
                            .map(Future::result)
                            .filter(id -> id != null && !id.isEmpty())
                            .toList())
                    .onComplete(result);
        });
        return result.future();
    }

    /** One USSD screen: in the outbound window like a reply segment, but never stored or retried. */
    Future<String> sendScreen(ShortMessage screen) {
        Promise<String> result = Promise.promise();
        context.runOnContext(v -> {
            if (windowUsed >= options.outboundWindow()) {
                result.fail(new Overloaded("outbound window of a bind of " + operator.id()));
                return;
            }
            windowUsed++;
            sendReserved(screen).onComplete(result);
        });
        return result.future();
    }

    /** A short message whose place in the window the caller took; the place is given back when it settles. */
    private Future<String> sendReserved(ShortMessage sm) {
        return sendSegment(sm, 0).onComplete(done -> {
            windowUsed--;
            session.checkDrained();
        });
    }

    /** One segment, paced; completes with the message id of the operator's response. */
    private Future<String> sendSegment(ShortMessage sm, int throttledTimes) {
        return paced().compose(v -> session.request(
                                seq -> PduCodec.shortMessage(commandId, seq, sm), options.responseTimeout(), true)
                        .recover(err -> {
                            if (err instanceof RequestWindow.ResponseTimeout) {
                                session.wentSilent();
                                return Future.failedFuture(
                                        new Unanswered("no response within " + options.responseTimeout()));
                            }
                            return Future.failedFuture(err);
                        }))
                .compose(response -> {
                    int status = response.status();
                    if (status == CommandStatus.ESME_ROK && response.commandId() != CommandId.GENERIC_NACK) {
                        delivered.increment();
                        return Future.succeededFuture(PduCodec.decodeMessageId(response));
                    }
                    if ((status == CommandStatus.ESME_RTHROTTLED || status == CommandStatus.ESME_RMSGQFUL)
                            && session.isBound()) {
                        throttledByPeer.increment();
                        long pause =
                                options.throttleBackoff().toNanos() << Math.min(throttledTimes, MAX_THROTTLE_DOUBLINGS);
                        throttledUntilNanos = Math.max(throttledUntilNanos, System.nanoTime() + pause);
                        return sendSegment(sm, throttledTimes + 1);
                    }
                    return Future.failedFuture(new SmppStatusException(
                            status, "operator answered status 0x" + Integer.toHexString(status)));
                });
    }

    /** Waits for the operator's rate and for any pause it asked for; never parks a thread. */
    private Future<Void> paced() {
        long wait = Math.max(0, throttledUntilNanos - System.nanoTime());
        if (sendRate != null) {
            long permit = sendRate.reservePermission();
            if (permit < 0) {
                return Future.failedFuture(new Overloaded("send rate of a bind of " + operator.id()));
            }
            wait = Math.max(wait, permit);
        }
        if (wait == 0) {
            return Future.succeededFuture();
        }
        Promise<Void> waited = Promise.promise();
        vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), id -> waited.complete());
        return waited.future();
    }
}
