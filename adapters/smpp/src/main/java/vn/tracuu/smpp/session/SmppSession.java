package vn.tracuu.smpp.session;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.domain.LogContext;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.core.port.out.OutboundReply;
import vn.tracuu.smpp.codec.BindRequest;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.Pdu;
import vn.tracuu.smpp.codec.PduCodec;
import vn.tracuu.smpp.codec.PduFramer;
import vn.tracuu.smpp.codec.ShortMessage;
import vn.tracuu.smpp.codec.SmppStatusException;

/**
 * One SMPP 3.4 connection with an operator, in either role: the gateway as SMSC (the operator
 * bound to us; citizens' messages come as submit_sm, replies leave as deliver_sm) or as ESME
 * (we bound to the operator's SMSC; messages come as deliver_sm, replies leave as submit_sm
 * with a receipt requested). This class is the session's state machine: bind, unbind, drain
 * and close. Requests it sends are matched to responses by the {@link RequestWindow}; what it
 * receives once bound is mapped to the core by the {@link MessageIntake}; replies leave through
 * the {@link ReplySender}; the {@link LinkMonitor} probes the link and tracks a silent peer; the
 * {@link BindGate} checks an operator's bind. Everything runs on the connection's event-loop
 * context.
 *
 * <p>Longer than this project's 350-line guide on purpose: every transition reads and writes
 * {@code state} here, on one context, and SMPP 3.4 §2.3/§4 ties each transition to a PDU; split
 * further, the state would be written from several classes.
 */
public final class SmppSession {

    private static final Logger LOG = LoggerFactory.getLogger(SmppSession.class);

    /** Which side of the bind the gateway is on. */
    public enum Role {
        /** The operator bound to the gateway. */
        SMSC,
        /** The gateway bound to the operator's SMSC. */
        ESME
    }

    private enum State {
        OPEN,
        BINDING,
        BOUND,
        /** Shutting down: no new messages taken, in-flight work finishing. */
        DRAINING,
        /** A final response or unbind is written; the connection closes soon. */
        CLOSING,
        CLOSED
    }

    // SMPP 3.4 §2.3: the ESME closes after unbind_resp. Closing first races some clients' reader
    // against their own response handling (jsmpp then waits out its unbind timeout).
    private static final long CLOSE_GRACE_MS = 1_000;

    private final Vertx vertx;
    private final Context context;
    private final NetSocket socket;
    private final Role role;
    private final SmppOptions options;
    private final OperatorBinds binds;
    private final MessageReceiver receiver;
    private final PduFramer framer;
    private final String remoteAddress;
    private final String bindId;
    /** Why the link ends, for its closing line; null: the peer closed it. */
    private String closeReason;

    private final RequestWindow requests;
    private final LinkMonitor link;
    private final Promise<Void> closed = Promise.promise();
    private final Promise<Boolean> leftUnbound = Promise.promise();
    private volatile boolean bindTimedOut;

    private volatile State state = State.OPEN;
    private volatile int bindCommandId;
    private volatile OperatorOptions operator;
    /** Set once bound: what the session sends and what it receives, for its operator. */
    private volatile ReplySender sender;

    private volatile MessageIntake intake;
    /** What checks an operator's bind (SMSC role only). */
    private BindGate gate;

    private final LongAdder lateResponses = new LongAdder();
    private long bindTimer = -1;
    private Promise<Void> drained;

    private SmppSession(
            Vertx vertx,
            NetSocket socket,
            Role role,
            SmppOptions options,
            OperatorBinds binds,
            MessageReceiver receiver) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.requests = new RequestWindow(vertx);
        this.link = new LinkMonitor(vertx, this, options);
        this.socket = socket;
        this.role = role;
        this.options = options;
        this.binds = binds;
        this.receiver = receiver;
        this.remoteAddress = socket.remoteAddress().hostAddress();
        this.bindId = (role == Role.SMSC ? "in:" : "out:") + remoteAddress + ":"
                + socket.remoteAddress().port() + "/" + socket.localAddress().port();
        this.framer = new PduFramer(options.maxPduLength(), this::handle, this::framingError);
        socket.handler(framer);
        socket.closeHandler(v -> closed());
        socket.exceptionHandler(err -> {
            LOG.debug("connection with {}: {}", remoteAddress, err.toString());
            closeBecause("connection error: " + err.getClass().getSimpleName());
        });
    }

    /** A connection an operator opened to our listener; it must bind within the bind timeout. */
    public static SmppSession accepted(
            Vertx vertx,
            NetSocket socket,
            SmppOptions options,
            OperatorBinds binds,
            BindGate gate,
            MessageReceiver receiver) {
        SmppSession session = new SmppSession(vertx, socket, Role.SMSC, options, binds, receiver);
        session.gate = gate;
        session.bindTimer = vertx.setTimer(options.bindTimeout().toMillis(), id -> {
            if (session.state == State.OPEN) {
                // one line a minute sums these up (SmppServer): a line each would let a peer flood the log
                LOG.debug(
                        "connection from {} did not bind within {}; closing",
                        session.remoteAddress,
                        options.bindTimeout());
                session.bindTimedOut = true;
                session.close();
            }
        });
        return session;
    }

    /**
     * Binds as an ESME over a connection we opened to the operator's SMSC; completes once bound,
     * or fails (with {@link SmppStatusException} when the SMSC answered, e.g. ESME_RBINDFAIL).
     */
    public static Future<SmppSession> bindOut(
            Vertx vertx,
            NetSocket socket,
            SmppOptions options,
            OperatorBinds binds,
            MessageReceiver receiver,
            OperatorOptions operator) {
        SmppSession session = new SmppSession(vertx, socket, Role.ESME, options, binds, receiver);
        OutboundBindOptions out = operator.bindOut().orElseThrow();
        Promise<SmppSession> result = Promise.promise();
        session.context.runOnContext(v -> {
            session.state = State.BINDING;
            session.request(
                            seq -> PduCodec.bind(
                                    out.bindCommandId(),
                                    seq,
                                    out.systemId(),
                                    out.password(),
                                    out.systemType(),
                                    out.addressRange()),
                            options.bindTimeout())
                    .onComplete(done -> {
                        if (done.succeeded() && done.result().status() == CommandStatus.ESME_ROK) {
                            session.boundAs(operator, out.bindCommandId(), () -> {});
                            result.complete(session);
                            return;
                        }
                        Throwable cause = done.failed()
                                ? done.cause()
                                : new SmppStatusException(
                                        done.result().status(),
                                        "bind refused: "
                                                + CommandStatus.name(
                                                        done.result().status()));
                        session.close();
                        result.fail(cause);
                    });
        });
        return result.future();
    }

    public Role role() {
        return role;
    }

    OperatorOptions operator() {
        return operator;
    }

    String bindId() {
        return bindId;
    }

    /**
     * Completes once the connection is no longer waiting to bind: true when it bound, false when
     * it closed first ({@link #bindTimedOut()} says whether for the bind timeout).
     */
    public Future<Boolean> leftUnbound() {
        return leftUnbound.future();
    }

    public boolean bindTimedOut() {
        return bindTimedOut;
    }

    /** Completes when the connection is closed, whichever side closed it. */
    public Future<Void> closedFuture() {
        return closed.future();
    }

    /** Whether replies can leave on this connection now. */
    boolean canSendReplies() {
        if ((state != State.BOUND && state != State.DRAINING) || link.silent()) {
            return false;
        }
        return role == Role.SMSC
                ? bindCommandId != CommandId.BIND_TRANSMITTER
                : bindCommandId != CommandId.BIND_RECEIVER;
    }

    private boolean takesMessages() {
        return role == Role.SMSC
                ? bindCommandId != CommandId.BIND_RECEIVER
                : bindCommandId != CommandId.BIND_TRANSMITTER;
    }

    private void handle(Pdu pdu) {
        if (state == State.CLOSED || state == State.CLOSING) {
            return;
        }
        link.heard();
        int id = pdu.commandId();
        if (CommandId.isResponse(id)) {
            onResponse(pdu);
            return;
        }
        switch (id) {
            case CommandId.BIND_TRANSMITTER, CommandId.BIND_RECEIVER, CommandId.BIND_TRANSCEIVER -> onBind(pdu);
            // SMPP 3.4 §2.3: enquire_link belongs to a bound session; before the bind it is refused
            case CommandId.ENQUIRE_LINK ->
                write(PduCodec.emptyResponse(
                        CommandId.responseTo(id),
                        isBound() ? CommandStatus.ESME_ROK : CommandStatus.ESME_RINVBNDSTS,
                        pdu.sequence()));
            case CommandId.UNBIND -> onUnbind(pdu);
            case CommandId.SUBMIT_SM, CommandId.DELIVER_SM -> onShortMessage(pdu);
            default -> {
                if (!CommandId.isKnownRequest(id)) {
                    // SMPP 3.4 §4.3: an unrecognised command_id gets generic_nack
                    write(PduCodec.emptyResponse(CommandId.GENERIC_NACK, CommandStatus.ESME_RINVCMDID, pdu.sequence()));
                } else if (!isBound()) {
                    write(PduCodec.emptyResponse(
                            CommandId.responseTo(id), CommandStatus.ESME_RINVBNDSTS, pdu.sequence()));
                } else {
                    write(PduCodec.emptyResponse(
                            CommandId.responseTo(id), CommandStatus.ESME_RINVCMDID, pdu.sequence()));
                }
            }
        }
    }

    /** The session's state allows the PDU to reach the intake; the intake maps it to the core. */
    private void onShortMessage(Pdu pdu) {
        int expected = role == Role.SMSC ? CommandId.SUBMIT_SM : CommandId.DELIVER_SM;
        if (pdu.commandId() != expected) {
            respond(pdu, isBound() ? CommandStatus.ESME_RINVCMDID : CommandStatus.ESME_RINVBNDSTS, null);
            return;
        }
        if (!isBound() || !takesMessages()) {
            respond(pdu, CommandStatus.ESME_RINVBNDSTS, null);
            return;
        }
        ShortMessage sm;
        try {
            sm = PduCodec.decodeShortMessage(pdu);
        } catch (SmppStatusException e) {
            respond(pdu, e.status(), null);
            return;
        }
        intake.onShortMessage(pdu, sm);
    }

    boolean isBound() {
        return state == State.BOUND || state == State.DRAINING;
    }

    private void framingError(int claimedLength) {
        LOG.info(
                "connection with {}: command_length {} outside 16..{}; generic_nack and close",
                remoteAddress,
                claimedLength,
                options.maxPduLength());
        Buffer nack = PduCodec.emptyResponse(CommandId.GENERIC_NACK, CommandStatus.ESME_RINVCMDLEN, 0);
        countRejection(nack);
        socket.write(nack).onComplete(v -> closeBecause("a PDU with command_length " + claimedLength));
    }

    private void onBind(Pdu pdu) {
        if (role == Role.ESME || state != State.OPEN) {
            // an SMSC never binds to its ESME; a second bind on one connection is refused (SMPP 3.4 §4.1)
            write(PduCodec.bindResponse(
                    pdu.commandId(),
                    role == Role.ESME ? CommandStatus.ESME_RINVBNDSTS : CommandStatus.ESME_RALYBND,
                    pdu.sequence(),
                    options.systemId()));
            return;
        }
        BindRequest request;
        try {
            request = PduCodec.decodeBind(pdu);
        } catch (SmppStatusException e) {
            write(PduCodec.bindResponse(pdu.commandId(), e.status(), pdu.sequence(), options.systemId()));
            return;
        }
        state = State.BINDING;
        gate.check(request.systemId(), request.password(), remoteAddress, PeerTls.of(socket))
                .onComplete(done ->
                        context.runOnContext(v -> bindDecided(pdu, request, done.succeeded() ? done.result() : null)));
    }

    private void bindDecided(Pdu pdu, BindRequest request, BindGate.Outcome outcome) {
        if (state == State.CLOSED) {
            return;
        }
        OperatorBinds.Refusal refusal = outcome == null ? null : outcome.refusal();
        if (outcome != null && outcome.operator() != null && !binds.register(this, outcome.operator())) {
            refusal = OperatorBinds.Refusal.TOO_MANY_BINDS;
        }
        if (outcome == null || refusal != null) {
            binds.refused(refusal == null ? OperatorBinds.Refusal.CHECK_FAILED : refusal);
            OperatorBinds.Refusal why = refusal;
            LogContext.bind(
                    null,
                    bindId,
                    () -> LOG.info(
                            "bind as {} from {} refused: {}",
                            LogText.quoted(request.systemId()),
                            remoteAddress,
                            why == null ? "error" : why));
            write(PduCodec.bindResponse(
                    pdu.commandId(), CommandStatus.ESME_RBINDFAIL, pdu.sequence(), options.systemId()));
            closeSoon();
            return;
        }
        vertx.cancelTimer(bindTimer);
        boundAs(
                outcome.operator(),
                request.commandId(),
                () -> write(PduCodec.bindResponse(
                        pdu.commandId(), CommandStatus.ESME_ROK, pdu.sequence(), options.systemId())));
    }

    /** Enters the bound state, runs {@code thenBeforeAnnouncing} (the bind response, as SMSC), then offers the bind for replies. */
    private void boundAs(OperatorOptions op, int commandId, Runnable thenBeforeAnnouncing) {
        operator = op;
        bindCommandId = commandId;
        sender = new ReplySender(vertx, context, this, options, op);
        intake = new MessageIntake(context, this, options, op, binds, receiver);
        state = State.BOUND;
        leftUnbound.tryComplete(true);
        LogContext.bind(
                op.id(),
                bindId,
                () -> LOG.info(
                        "operator {} bound {} {} ({})",
                        op.id(),
                        role == Role.SMSC ? "from" : "to",
                        remoteAddress + ":" + socket.remoteAddress().port(),
                        bindName(commandId)));
        link.start();
        thenBeforeAnnouncing.run();
        binds.bound(this);
    }

    private void onUnbind(Pdu pdu) {
        if (!isBound()) {
            write(PduCodec.emptyResponse(
                    CommandId.responseTo(pdu.commandId()), CommandStatus.ESME_RINVBNDSTS, pdu.sequence()));
            return;
        }
        closeReason = "the operator unbound";
        write(PduCodec.emptyResponse(CommandId.responseTo(pdu.commandId()), CommandStatus.ESME_ROK, pdu.sequence()));
        closeSoon();
    }

    /** Stops serving this connection now and closes it after a grace period, unless the peer does first. */
    private void closeSoon() {
        if (isBound()) {
            binds.unbound(this);
        }
        state = State.CLOSING;
        requests.failAll("connection closed");
        vertx.setTimer(CLOSE_GRACE_MS, id -> close());
    }

    void respond(Pdu request, int status, String messageId) {
        write(PduCodec.messageResponse(request.commandId(), status, request.sequence(), messageId));
    }

    /** Writes a request and waits for its response, matched by sequence number, within {@code timeout}. */
    Future<Pdu> request(IntFunction<Buffer> encode, Duration timeout) {
        return request(encode, timeout, false);
    }

    /** {@code reroutable}: a reply's PDU, failed at once with {@code Unanswered} when the bind goes silent. */
    Future<Pdu> request(IntFunction<Buffer> encode, Duration timeout, boolean reroutable) {
        if (state == State.CLOSED || state == State.CLOSING) {
            return Future.failedFuture(new SmppStatusException(CommandStatus.ESME_RINVBNDSTS, "connection closing"));
        }
        return requests.send(encode, timeout, this::write, reroutable);
    }

    private void onResponse(Pdu pdu) {
        if (!requests.answer(pdu)) {
            // a response after its timeout: the segment was already given up on this bind and is
            // retried through the outbox; acting on it as well would send the citizen a second reply
            lateResponses.increment();
            LOG.debug(
                    "operator {}: response 0x{} for unknown or timed-out sequence {}",
                    operator == null ? "-" : operator.id(),
                    Integer.toHexString(pdu.commandId()),
                    pdu.sequence());
        }
    }

    /**
     * Graceful end: stop taking messages (ESME_RTHROTTLED, the operator retries elsewhere), let the
     * accepted ones be stored and acknowledged and the replies in flight be answered, within
     * {@code timeout}; then unbind (SMPP 3.4 §4.2) and close.
     */
    public Future<Void> drainAndUnbind(Duration timeout) {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            if (!isBound()) {
                close().onComplete(done);
                return;
            }
            state = State.DRAINING;
            drained = Promise.promise();
            checkDrained();
            long timer = vertx.setTimer(timeout.toMillis(), id -> drained.tryComplete());
            drained.future()
                    .compose(x -> {
                        vertx.cancelTimer(timer);
                        binds.unbound(this);
                        return request(
                                        seq -> PduCodec.emptyResponse(CommandId.UNBIND, CommandStatus.ESME_ROK, seq),
                                        options.responseTimeout())
                                .<Void>mapEmpty()
                                .recover(err -> Future.succeededFuture());
                    })
                    .onComplete(x -> closeBecause("the gateway unbound (drain)").onComplete(done));
        });
        return done.future();
    }

    boolean isDraining() {
        return state == State.DRAINING;
    }

    /**
     * Sends a reply's segments (deliver_sm as SMSC, submit_sm as ESME); completes when every one is
     * acknowledged, with the message ids the operator gave them.
     */
    Future<List<String>> deliver(OutboundReply reply) {
        ReplySender s = sender;
        return s == null
                ? Future.failedFuture(
                        new SmppStatusException(CommandStatus.ESME_RINVBNDSTS, "bind cannot carry replies"))
                : s.deliver(reply);
    }

    Future<String> sendScreen(ShortMessage screen) {
        return sender.sendScreen(screen);
    }

    private int outstanding() {
        ReplySender s = sender;
        return s == null ? 0 : s.windowUsed();
    }

    private int inFlight() {
        MessageIntake i = intake;
        return i == null ? 0 : i.inFlight();
    }

    /** A reply's PDU went unanswered: see {@link LinkMonitor#wentSilent()}. */
    void wentSilent() {
        link.wentSilent();
    }

    void failReroutable(RuntimeException why) {
        requests.failReroutable(why);
    }

    /** The silent peer answered again: offer the bind for replies once more. */
    void backInRotation() {
        // not bound() again: a bind we opened would be listed twice, and one copy outlive it
        binds.offerForReplies(this);
    }

    void checkDrained() {
        if (drained != null && inFlight() == 0 && outstanding() == 0) {
            drained.tryComplete();
        }
    }

    private void write(Buffer pdu) {
        if (state != State.CLOSED && state != State.CLOSING) {
            countRejection(pdu);
            socket.write(pdu);
        }
    }

    /** A response (or generic_nack) with an error status, counted by status: SMPP 3.4 §3.2 header. */
    private void countRejection(Buffer pdu) {
        int status = pdu.getInt(8);
        if (status != CommandStatus.ESME_ROK && CommandId.isResponse(pdu.getInt(4))) {
            binds.rejected(status);
        }
    }

    /** Closes, naming why in the one line a bound link's end gets; the first reason given stands. */
    Future<Void> closeBecause(String reason) {
        context.runOnContext(v -> {
            if (closeReason == null) {
                closeReason = reason;
            }
        });
        return close();
    }

    public Future<Void> close() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            closed();
            socket.close().onComplete(x -> done.complete());
        });
        return done.future();
    }

    private void closed() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasBound = isBound();
        state = State.CLOSED;
        if (operator != null) {
            // one line per link that was bound, however it ended: an operator's engineer needs the why
            LogContext.bind(
                    operator.id(),
                    bindId,
                    () -> LOG.info(
                            "operator {} link {} closed: {}",
                            operator.id(),
                            bindId,
                            closeReason == null ? "the peer closed the connection without unbind" : closeReason));
        }
        framer.stop();
        vertx.cancelTimer(bindTimer);
        link.stop();
        if (wasBound) {
            binds.unbound(this);
        }
        requests.failAll("connection closed");
        if (drained != null) {
            drained.tryComplete();
        }
        leftUnbound.tryComplete(false);
        closed.tryComplete();
    }

    BindSnapshot snapshot() {
        OperatorOptions op = operator;
        return new BindSnapshot(
                op == null ? "" : op.id(),
                bindId,
                role.name().toLowerCase(),
                bindCommandId == 0 ? "" : bindName(bindCommandId),
                state.name(),
                intake == null ? 0 : intake.received(),
                intake == null ? 0 : intake.throttled(),
                sender == null ? 0 : sender.delivered(),
                sender == null ? 0 : sender.throttledByPeer(),
                lateResponses.sum(),
                intake == null ? 0 : intake.receipts(),
                outstanding(),
                inFlight());
    }

    private static String bindName(int commandId) {
        return switch (commandId) {
            case CommandId.BIND_TRANSMITTER -> "transmitter";
            case CommandId.BIND_RECEIVER -> "receiver";
            default -> "transceiver";
        };
    }
}
