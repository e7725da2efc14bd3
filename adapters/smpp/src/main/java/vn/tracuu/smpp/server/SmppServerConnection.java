package vn.tracuu.smpp.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.port.MessageReceiver;
import vn.tracuu.core.port.OutboundReply;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.smpp.codec.BindRequest;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.Pdu;
import vn.tracuu.smpp.codec.PduCodec;
import vn.tracuu.smpp.codec.SmppStatusException;
import vn.tracuu.smpp.codec.PduFramer;
import vn.tracuu.smpp.codec.ShortMessage;
import vn.tracuu.smpp.text.InboundText;
import vn.tracuu.smpp.text.ReplySegmenter;
import vn.tracuu.smpp.text.Segment;

/**
 * One operator connection to the gateway acting as SMSC: bind state (SMPP 3.4 §2.2), inbound
 * submit_sm turned into the core's messages, outbound deliver_sm for replies with their
 * responses matched by sequence number. Everything runs on the connection's event-loop context.
 */
final class SmppServerConnection {

  private static final Logger LOG = LoggerFactory.getLogger(SmppServerConnection.class);

  // SMPP 3.4 §5.2.5/§5.2.6: replies go to an international ISDN number, from the short code.
  private static final int TON_INTERNATIONAL = 1;
  private static final int NPI_ISDN = 1;

  private enum State {
    OPEN,
    BINDING,
    BOUND,
    /** A final response is written; the peer should close, and will be closed after a grace period. */
    CLOSING,
    CLOSED
  }

  // SMPP 3.4 §2.3: the ESME closes after unbind_resp. Closing first races some clients' reader
  // against their own response handling (jsmpp then waits out its unbind timeout).
  private static final long CLOSE_GRACE_MS = 1_000;

  private record Outstanding(Promise<Void> promise, long timer) {
  }

  private final Vertx vertx;
  private final Context context;
  private final NetSocket socket;
  private final SmppServerOptions options;
  private final OperatorBinds binds;
  private final MessageReceiver receiver;
  private final PduFramer framer;
  private final String remoteAddress;
  private final Map<Integer, Outstanding> outstanding = new HashMap<>();
  private volatile int outstandingCount;
  private final String bindId;
  private volatile State state = State.OPEN;
  private volatile BindRequest bind;
  private OperatorOptions operator;
  private ReplySegmenter segmenter;
  private int nextSequence = 1;
  private volatile int inboundInFlight;
  private final LongAdder received = new LongAdder();
  private final LongAdder throttled = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private long bindTimer;

  SmppServerConnection(Vertx vertx, NetSocket socket, SmppServerOptions options, OperatorBinds binds, MessageReceiver receiver) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.socket = socket;
    this.options = options;
    this.binds = binds;
    this.receiver = receiver;
    this.remoteAddress = socket.remoteAddress().hostAddress();
    this.bindId = remoteAddress + ":" + socket.remoteAddress().port();
    this.framer = new PduFramer(options.maxPduLength(), this::handle, this::framingError);
  }

  void start() {
    socket.handler(framer);
    socket.closeHandler(v -> closed());
    socket.exceptionHandler(err -> {
      LOG.debug("connection from {}: {}", remoteAddress, err.toString());
      close();
    });
    bindTimer = vertx.setTimer(options.bindTimeout().toMillis(), id -> {
      if (state == State.OPEN) {
        LOG.info("connection from {} did not bind within {}; closing", remoteAddress, options.bindTimeout());
        close();
      }
    });
  }

  OperatorOptions operator() {
    return operator;
  }

  boolean canReceive() {
    return state == State.BOUND && bind.canReceive();
  }

  private void handle(Pdu pdu) {
    if (state == State.CLOSED || state == State.CLOSING) {
      return;
    }
    int id = pdu.commandId();
    if (CommandId.isResponse(id)) {
      onResponse(pdu);
      return;
    }
    switch (id) {
      case CommandId.BIND_TRANSMITTER, CommandId.BIND_RECEIVER, CommandId.BIND_TRANSCEIVER -> onBind(pdu);
      case CommandId.ENQUIRE_LINK -> write(PduCodec.emptyResponse(CommandId.responseTo(id), CommandStatus.ESME_ROK, pdu.sequence()));
      case CommandId.UNBIND -> onUnbind(pdu);
      case CommandId.SUBMIT_SM -> onSubmit(pdu);
      default -> {
        if (!CommandId.isKnownRequest(id)) {
          // SMPP 3.4 §4.3: an unrecognised command_id gets generic_nack
          write(PduCodec.emptyResponse(CommandId.GENERIC_NACK, CommandStatus.ESME_RINVCMDID, pdu.sequence()));
        } else if (state != State.BOUND) {
          write(PduCodec.emptyResponse(CommandId.responseTo(id), CommandStatus.ESME_RINVBNDSTS, pdu.sequence()));
        } else {
          write(PduCodec.emptyResponse(CommandId.responseTo(id), CommandStatus.ESME_RINVCMDID, pdu.sequence()));
        }
      }
    }
  }

  private void framingError(int claimedLength) {
    LOG.info("connection from {}: command_length {} outside 16..{}; generic_nack and close", remoteAddress, claimedLength,
        options.maxPduLength());
    socket.write(PduCodec.emptyResponse(CommandId.GENERIC_NACK, CommandStatus.ESME_RINVCMDLEN, 0)).onComplete(v -> close());
  }

  private void onBind(Pdu pdu) {
    if (state != State.OPEN) {
      write(PduCodec.bindResponse(pdu.commandId(), CommandStatus.ESME_RALYBND, pdu.sequence(), options.systemId()));
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
    // PBKDF2 takes tens of milliseconds: off the event loop
    vertx.executeBlocking(() -> binds.authenticate(this, request.systemId(), request.password(), remoteAddress), false)
        .onComplete(done -> context.runOnContext(v -> bindDecided(pdu, request, done.succeeded() ? done.result() : null)));
  }

  private void bindDecided(Pdu pdu, BindRequest request, OperatorBinds.Result result) {
    if (state == State.CLOSED) {
      if (result != null && result.operator() != null) {
        operator = result.operator();
        binds.unbound(this);
      }
      return;
    }
    if (result == null || result.operator() == null) {
      LOG.info("bind as '{}' from {} refused: {}", request.systemId(), remoteAddress, result == null ? "error" : result.refusal());
      write(PduCodec.bindResponse(pdu.commandId(), CommandStatus.ESME_RBINDFAIL, pdu.sequence(), options.systemId()));
      closeSoon();
      return;
    }
    vertx.cancelTimer(bindTimer);
    bind = request;
    operator = result.operator();
    segmenter = new ReplySegmenter(operator.alphabet(), operator.concatenation(), operator.maxSegments());
    state = State.BOUND;
    write(PduCodec.bindResponse(pdu.commandId(), CommandStatus.ESME_ROK, pdu.sequence(), options.systemId()));
    LOG.info("operator {} bound from {} ({})", operator.id(), remoteAddress, bindName(request.commandId()));
    binds.bound(this);
  }

  private void onUnbind(Pdu pdu) {
    if (state != State.BOUND) {
      write(PduCodec.emptyResponse(CommandId.responseTo(pdu.commandId()), CommandStatus.ESME_RINVBNDSTS, pdu.sequence()));
      return;
    }
    LOG.info("operator {} unbound from {}", operator.id(), remoteAddress);
    write(PduCodec.emptyResponse(CommandId.responseTo(pdu.commandId()), CommandStatus.ESME_ROK, pdu.sequence()));
    closeSoon();
  }

  /** Stops serving this connection now and closes it after a grace period, unless the peer does first. */
  private void closeSoon() {
    if (state == State.BOUND) {
      binds.unbound(this);
    }
    state = State.CLOSING;
    failOutstanding();
    vertx.setTimer(CLOSE_GRACE_MS, id -> close());
  }

  private void onSubmit(Pdu pdu) {
    if (state != State.BOUND || !bind.canTransmit()) {
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
    if (!operator.shortCodes().contains(sm.destAddr())) {
      respond(pdu, CommandStatus.ESME_RINVDSTADR, null);
      return;
    }
    Optional<Msisdn> sender = Msisdn.parse(sm.sourceAddr(), sm.sourceTon());
    if (sender.isEmpty()) {
      respond(pdu, CommandStatus.ESME_RINVSRCADR, null);
      return;
    }
    received.increment();
    if (inboundInFlight >= options.inboundWindow()) {
      throttled.increment();
      respond(pdu, CommandStatus.ESME_RTHROTTLED, null);
      return;
    }
    String text = InboundText.decode(sm.dataCoding(), sm.userData(), sm.hasUdh());
    inboundInFlight++;
    receiver.receive(new InboundMessage(operator.id(), bindId, Channel.SMS, sender.get(), sm.destAddr(), text, Instant.now()))
        .onComplete(done -> context.runOnContext(v -> {
          inboundInFlight--;
          if (done.succeeded()) {
            respond(pdu, CommandStatus.ESME_ROK, Long.toString(done.result().id()));
          } else if (done.cause() instanceof Overloaded) {
            throttled.increment();
            respond(pdu, CommandStatus.ESME_RTHROTTLED, null);
          } else {
            LOG.warn("operator {}: message from {} not stored: {}", operator.id(), sender.get().masked(), done.cause().toString());
            respond(pdu, CommandStatus.ESME_RSYSERR, null);
          }
        }));
  }

  private void respond(Pdu request, int status, String messageId) {
    write(PduCodec.messageResponse(request.commandId(), status, request.sequence(), messageId));
  }

  /** Sends a reply's segments as deliver_sm; completes when every one is acknowledged. */
  Future<Void> deliver(OutboundReply reply) {
    Promise<Void> result = Promise.promise();
    context.runOnContext(v -> {
      if (!canReceive()) {
        result.fail(new SmppStatusException(CommandStatus.ESME_RINVBNDSTS, "bind is not receiving"));
        return;
      }
      List<Segment> segments = segmenter.segment(reply.text(), (int) reply.requestId());
      if (outstanding.size() + segments.size() > options.outboundWindow()) {
        result.fail(new Overloaded("outbound window of a bind of " + operator.id()));
        return;
      }
      List<Future<Void>> acks = new ArrayList<>(segments.size());
      for (Segment s : segments) {
        ShortMessage sm = new ShortMessage("", 0, 0, reply.shortCode(), TON_INTERNATIONAL, NPI_ISDN, reply.recipient().digits(),
            s.esmClass(), 0, 0, "", "", 0, 0, s.dataCoding(), 0, s.payload(), s.tlvs());
        acks.add(send(CommandId.DELIVER_SM, sm));
      }
      Future.all(acks).<Void>mapEmpty().onComplete(result);
    });
    return result.future();
  }

  private Future<Void> send(int commandId, ShortMessage sm) {
    int sequence = nextSequence;
    nextSequence = nextSequence == 0x7FFFFFFF ? 1 : nextSequence + 1;
    Promise<Void> promise = Promise.promise();
    long timer = vertx.setTimer(options.responseTimeout().toMillis(), id -> {
      Outstanding o = outstanding.remove(sequence);
      outstandingCount = outstanding.size();
      if (o != null) {
        o.promise().fail(new SmppStatusException(CommandStatus.ESME_RUNKNOWNERR, "no response within " + options.responseTimeout()));
      }
    });
    outstanding.put(sequence, new Outstanding(promise, timer));
    outstandingCount = outstanding.size();
    write(PduCodec.shortMessage(commandId, sequence, sm));
    return promise.future();
  }

  private void onResponse(Pdu pdu) {
    Outstanding o = outstanding.remove(pdu.sequence());
    outstandingCount = outstanding.size();
    if (o == null) {
      LOG.debug("operator {}: response 0x{} for unknown sequence {}", operator == null ? "-" : operator.id(),
          Integer.toHexString(pdu.commandId()), pdu.sequence());
      return;
    }
    vertx.cancelTimer(o.timer());
    if (pdu.status() == CommandStatus.ESME_ROK && pdu.commandId() != CommandId.GENERIC_NACK) {
      delivered.increment();
      o.promise().complete();
    } else {
      o.promise().fail(new SmppStatusException(pdu.status(), "peer answered status 0x" + Integer.toHexString(pdu.status())));
    }
  }

  private void write(Buffer pdu) {
    if (state != State.CLOSED && state != State.CLOSING) {
      socket.write(pdu);
    }
  }

  Future<Void> close() {
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
    boolean wasBound = state == State.BOUND;
    state = State.CLOSED;
    framer.stop();
    vertx.cancelTimer(bindTimer);
    if (wasBound) {
      binds.unbound(this);
    }
    failOutstanding();
  }

  private void failOutstanding() {
    outstanding.values().forEach(o -> {
      vertx.cancelTimer(o.timer());
      o.promise().tryFail(new SmppStatusException(CommandStatus.ESME_RUNKNOWNERR, "connection closed"));
    });
    outstanding.clear();
    outstandingCount = 0;
  }

  BindSnapshot snapshot() {
    BindRequest b = bind;
    return new BindSnapshot(operator == null ? "" : operator.id(), bindId, b == null ? "" : bindName(b.commandId()),
        state.name(), received.sum(), throttled.sum(), delivered.sum(), outstandingCount, inboundInFlight);
  }

  private static String bindName(int commandId) {
    return switch (commandId) {
      case CommandId.BIND_TRANSMITTER -> "transmitter";
      case CommandId.BIND_RECEIVER -> "receiver";
      default -> "transceiver";
    };
  }
}
