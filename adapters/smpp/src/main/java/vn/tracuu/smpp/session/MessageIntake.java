package vn.tracuu.smpp.session;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.LogContext;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.UssdInput;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.Pdu;
import vn.tracuu.smpp.codec.ShortMessage;
import vn.tracuu.smpp.text.InboundText;
import vn.tracuu.smpp.ussd.UssdMapping;
import vn.tracuu.smpp.ussd.UssdPdus;

/**
 * What a bound session receives, mapped to the core's inbound port: a citizen's text (submit_sm
 * as SMSC, deliver_sm as ESME), a USSD operation, or a delivery receipt. Each gets exactly one
 * response PDU: ESME_ROK with the request id once the text is stored, ESME_RTHROTTLED past the
 * inbound window, the operator's receive rate or while draining (the operator sends it again).
 * Runs on its session's context.
 */
final class MessageIntake {

    private static final Logger LOG = LoggerFactory.getLogger(MessageIntake.class);

    // SMPP 3.4 §5.2.12: esm_class bits 5-2 = 0001 marks an SMSC delivery receipt
    private static final int ESM_TYPE_MASK = 0x3C;
    private static final int ESM_DELIVERY_RECEIPT = 0x04;

    private final Context context;
    private final SmppSession session;
    private final SmppOptions options;
    private final OperatorOptions operator;
    private final OperatorBinds binds;
    private final MessageReceiver receiver;
    private final RateLimiter receiveRate;
    private final LongAdder received = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder receipts = new LongAdder();
    private final RepeatedWarning storeFailures = new RepeatedWarning();
    private final RepeatedWarning receiptFailures = new RepeatedWarning();
    private volatile int inFlight;

    MessageIntake(
            Context context,
            SmppSession session,
            SmppOptions options,
            OperatorOptions operator,
            OperatorBinds binds,
            MessageReceiver receiver) {
        this.context = context;
        this.session = session;
        this.options = options;
        this.operator = operator;
        this.binds = binds;
        this.receiver = receiver;
        this.receiveRate = operator.receiveRate() > 0
                ? OperatorRate.of(operator.id() + "-receive", operator.receiveRate(), Duration.ZERO)
                : null;
    }

    /** Messages taken and not yet answered. */
    int inFlight() {
        return inFlight;
    }

    long received() {
        return received.sum();
    }

    long throttled() {
        return throttled.sum();
    }

    long receipts() {
        return receipts.sum();
    }

    /** A decoded short message on a bound session that takes messages. */
    void onShortMessage(Pdu pdu, ShortMessage sm) {
        if (session.role() == SmppSession.Role.ESME && isReceipt(sm)) {
            onReceipt(pdu, sm);
            return;
        }
        if (UssdPdus.isUssd(sm)) {
            onUssd(pdu, sm);
            return;
        }
        if (!operator.shortCodes().contains(sm.destAddr())) {
            session.respond(pdu, CommandStatus.ESME_RINVDSTADR, null);
            return;
        }
        Optional<Msisdn> from = Msisdn.parse(sm.sourceAddr(), sm.sourceTon());
        if (from.isEmpty()) {
            session.respond(pdu, CommandStatus.ESME_RINVSRCADR, null);
            return;
        }
        if (!admitted(pdu)) {
            return;
        }
        String text = InboundText.decode(sm.dataCoding(), sm.userData(), sm.hasUdh());
        InboundMessage message = new InboundMessage(
                operator.id(), session.bindId(), Channel.SMS, from.get(), sm.destAddr(), text, Instant.now());
        inFlight++;
        Optional<ConcatenatedParts.Position> part = ConcatenatedParts.position(sm);
        if (part.isEmpty()) {
            answer(pdu, receiver.receive(message));
        } else if (!binds.concatenatedParts(context.owner(), options)
                .add(message, part.get(), receiver::receive, stored -> answer(pdu, stored))) {
            inFlight--;
            throttled.increment();
            session.respond(pdu, CommandStatus.ESME_RTHROTTLED, null);
        }
    }

    /** The one response a message's PDU gets, once what was stored of it is known (a part: its whole). */
    private void answer(Pdu pdu, Future<AcceptedRequest> stored) {
        stored.onComplete(done -> context.runOnContext(v -> {
            inFlight--;
            if (done.succeeded()) {
                session.respond(
                        pdu, CommandStatus.ESME_ROK, Long.toString(done.result().id()));
            } else if (done.cause() instanceof Overloaded) {
                throttled.increment();
                session.respond(pdu, CommandStatus.ESME_RTHROTTLED, null);
            } else {
                // the store failed (a database restarting or failing over): not accepted, and
                // ESME_RTHROTTLED, which SMSCs take as "send it again later", as it is
                throttled.increment();
                warnRepeated(storeFailures, "message(s) not stored, answered ESME_RTHROTTLED", done.cause());
                session.respond(pdu, CommandStatus.ESME_RTHROTTLED, null);
            }
            session.checkDrained();
        }));
    }

    /** Counts a citizen's message and takes it, or answers ESME_RTHROTTLED past a window, rate or drain. */
    private boolean admitted(Pdu pdu) {
        received.increment();
        if (session.isDraining()
                || inFlight >= options.inboundWindow()
                || (receiveRate != null && !receiveRate.acquirePermission())) {
            throttled.increment();
            session.respond(pdu, CommandStatus.ESME_RTHROTTLED, null);
            return false;
        }
        return true;
    }

    /**
     * A USSD operation: acknowledged at once (the dialogue lives in the core, not in a store),
     * then the core's screen is sent back on this bind, or on another of the operator's binds
     * when this one cannot carry it. The short code is not checked: a USSD centre addresses the
     * service code, and the core reads the dialled string.
     */
    private void onUssd(Pdu pdu, ShortMessage sm) {
        UssdMapping mapping = operator.ussd();
        Optional<Msisdn> from = Msisdn.parse(sm.sourceAddr(), sm.sourceTon());
        if (from.isEmpty()) {
            session.respond(pdu, CommandStatus.ESME_RINVSRCADR, null);
            return;
        }
        Optional<UssdInput.Kind> kind = UssdPdus.kind(mapping, sm);
        if (kind.isEmpty()) {
            session.respond(pdu, CommandStatus.ESME_ROK, "");
            return;
        }
        if (!admitted(pdu)) {
            return;
        }
        session.respond(pdu, CommandStatus.ESME_ROK, "");
        inFlight++;
        receiver.ussd(UssdPdus.input(mapping, sm, kind.get(), operator.id(), session.bindId(), from.get()))
                .onComplete(done -> context.runOnContext(v -> {
                    inFlight--;
                    if (done.failed()) {
                        LogContext.bind(
                                operator.id(),
                                session.bindId(),
                                () -> LOG.warn(
                                        "operator {}: USSD from {} not served: {}",
                                        operator.id(),
                                        from.get().masked(),
                                        done.cause().toString()));
                    } else if (done.result().isPresent()) {
                        ShortMessage screen = UssdPdus.screen(
                                mapping, operator.alphabet(), sm, done.result().get());
                        Optional<SmppSession> carrier =
                                session.canSendReplies() ? Optional.of(session) : binds.receiving(operator.id());
                        if (carrier.isEmpty()) {
                            LogContext.bind(
                                    operator.id(),
                                    session.bindId(),
                                    () -> LOG.warn(
                                            "operator {}: no bind can carry the USSD screen for {}",
                                            operator.id(),
                                            from.get().masked()));
                        } else {
                            carrier.get()
                                    .sendScreen(screen)
                                    .onFailure(err -> LogContext.bind(
                                            operator.id(),
                                            session.bindId(),
                                            () -> LOG.warn(
                                                    "operator {}: USSD screen for {} not sent: {}",
                                                    operator.id(),
                                                    from.get().masked(),
                                                    err.toString())));
                        }
                    }
                    session.checkDrained();
                }));
    }

    private static boolean isReceipt(ShortMessage sm) {
        return (sm.esmClass() & ESM_TYPE_MASK) == ESM_DELIVERY_RECEIPT
                || sm.tlvs().containsKey(ShortMessage.TAG_RECEIPTED_MESSAGE_ID);
    }

    /**
     * A receipt is acknowledged at once (an SMSC would otherwise redeliver it, or drop the bind);
     * what it says is recorded by the core, and one naming no reply of ours is counted, never an error.
     */
    private void onReceipt(Pdu pdu, ShortMessage sm) {
        receipts.increment();
        session.respond(pdu, CommandStatus.ESME_ROK, "");
        DeliveryReceiptText.parse(operator.id(), sm)
                .ifPresent(receipt -> receiver.receipt(receipt)
                        .onFailure(err -> context.runOnContext(
                                v -> warnRepeated(receiptFailures, "receipt(s) not recorded", err))));
    }

    /** One line a second at most for a failure that repeats per message, with how many it covers. */
    private void warnRepeated(RepeatedWarning warning, String notDone, Throwable cause) {
        long covered = warning.count();
        if (covered > 0) {
            LogContext.bind(
                    operator.id(),
                    session.bindId(),
                    () -> LOG.warn("operator {}: {} {}: {}", operator.id(), covered, notDone, cause.toString()));
        }
    }
}
