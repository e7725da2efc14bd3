package vn.tracuu.smpp.session;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.smpp.codec.ShortMessage;

/**
 * A citizen's long text that the handset sent in parts, put back together into one request:
 * parts marked by a user data header (3GPP TS 23.040 §9.2.3.24.1, 8-bit reference, and
 * §9.2.3.24.8, 16-bit) or by SMPP 3.4's SAR TLVs (§5.3.2.22-24). The parts of one message may come
 * on different binds of its operator. No part is acknowledged before the whole is stored: each
 * part's response waits, then all get the one request's id (or the one failure). A message whose
 * parts do not all come within {@code timeout} is taken as the parts that came, in order, so an
 * acknowledged part is never lost. At most {@code maxPending} messages wait for parts at once;
 * past that a new one's part is refused, to be sent again. Thread-safe.
 */
public final class ConcatenatedParts {

    /** Where one part sits in its message. */
    public record Position(int reference, int total, int sequence) {}

    private record Key(String operatorId, String sender, int reference, int total) {}

    private static final class Pending {
        final InboundMessage first;
        final Map<Integer, String> texts = new TreeMap<>();
        final List<Consumer<Future<AcceptedRequest>>> answers = new ArrayList<>();
        final long timer;

        Pending(InboundMessage first, long timer) {
            this.first = first;
            this.timer = timer;
        }
    }

    private final Vertx vertx;
    private final Duration timeout;
    private final int maxPending;
    private final Map<Key, Pending> pending = new HashMap<>();

    public ConcatenatedParts(Vertx vertx, Duration timeout, int maxPending) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.maxPending = maxPending;
    }

    /** The part's place in a concatenated message; empty for a message in one part. */
    public static Optional<Position> position(ShortMessage sm) {
        Map<Integer, byte[]> tlvs = sm.tlvs();
        byte[] ref = tlvs.get(ShortMessage.TAG_SAR_MSG_REF_NUM);
        byte[] total = tlvs.get(ShortMessage.TAG_SAR_TOTAL_SEGMENTS);
        byte[] seq = tlvs.get(ShortMessage.TAG_SAR_SEGMENT_SEQNUM);
        if (ref != null && total != null && seq != null) {
            return valid(((ref[0] & 0xFF) << 8) | (ref[1] & 0xFF), total[0] & 0xFF, seq[0] & 0xFF);
        }
        if (!sm.hasUdh()) {
            return Optional.empty();
        }
        byte[] ud = sm.userData();
        int headerEnd = ud.length == 0 ? 0 : Math.min(ud.length, 1 + (ud[0] & 0xFF));
        for (int i = 1; i + 1 < headerEnd; ) {
            int iei = ud[i] & 0xFF;
            int length = ud[i + 1] & 0xFF;
            int value = i + 2;
            if (value + length > headerEnd) {
                return Optional.empty();
            }
            if (iei == 0x00 && length == 3) {
                return valid(ud[value] & 0xFF, ud[value + 1] & 0xFF, ud[value + 2] & 0xFF);
            }
            if (iei == 0x08 && length == 4) {
                return valid(
                        ((ud[value] & 0xFF) << 8) | (ud[value + 1] & 0xFF), ud[value + 2] & 0xFF, ud[value + 3] & 0xFF);
            }
            i = value + length;
        }
        return Optional.empty();
    }

    /** 3GPP TS 23.040 §9.2.3.24.1: a part numbered outside 1..total is ignored, read as a whole message. */
    private static Optional<Position> valid(int reference, int total, int sequence) {
        return total > 1 && sequence >= 1 && sequence <= total
                ? Optional.of(new Position(reference, total, sequence))
                : Optional.empty();
    }

    /**
     * Adds a part of {@code message} (its text is this part's). When the last part comes, or the
     * time-out ends the wait, {@code store} gets the whole text once and every part's
     * {@code answer} gets what it returned. False when too many messages wait already: the part is
     * not taken and the caller refuses it.
     */
    public synchronized boolean add(
            InboundMessage message,
            Position at,
            Function<InboundMessage, Future<AcceptedRequest>> store,
            Consumer<Future<AcceptedRequest>> answer) {
        Key key = new Key(message.operatorId(), message.sender().digits(), at.reference(), at.total());
        Pending p = pending.get(key);
        if (p == null) {
            if (pending.size() >= maxPending) {
                return false;
            }
            long timer = vertx.setTimer(timeout.toMillis(), id -> complete(key, store));
            p = new Pending(message, timer);
            pending.put(key, p);
        }
        p.texts.put(at.sequence(), message.text());
        p.answers.add(answer);
        if (p.texts.size() == at.total()) {
            vertx.cancelTimer(p.timer);
            complete(key, store);
        }
        return true;
    }

    synchronized int waiting() {
        return pending.size();
    }

    private void complete(Key key, Function<InboundMessage, Future<AcceptedRequest>> store) {
        Pending p;
        synchronized (this) {
            p = pending.remove(key);
        }
        if (p == null) {
            return;
        }
        String text = String.join("", p.texts.values());
        InboundMessage first = p.first;
        Future<AcceptedRequest> stored = store.apply(new InboundMessage(
                first.operatorId(),
                first.bindId(),
                first.channel(),
                first.sender(),
                first.shortCode(),
                text,
                first.receivedAt()));
        p.answers.forEach(a -> a.accept(stored));
    }
}
