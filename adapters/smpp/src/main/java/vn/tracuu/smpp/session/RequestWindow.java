package vn.tracuu.smpp.session;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.Pdu;
import vn.tracuu.smpp.codec.SmppStatusException;

/**
 * The requests one session has written and waits on: each gets the next sequence number
 * (SMPP 3.4 §3.2: 1 to 0x7FFFFFFF, then round again), its response is matched by that number,
 * and one not answered within its timeout fails. A response for a number no longer waited on is
 * late: the caller counts it and acts on nothing. Not thread-safe: the session's context only.
 */
final class RequestWindow {

    private static final int MAX_SEQUENCE = 0x7FFFFFFF;

    private record Pending(Promise<Pdu> promise, long timer, boolean reroutable) {}

    /** No response came within the request's timeout. */
    static final class ResponseTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ResponseTimeout(Duration timeout) {
            super("no response within " + timeout, null, false, false);
        }
    }

    private final Vertx vertx;
    private final Map<Integer, Pending> outstanding = new HashMap<>();
    private int nextSequence = 1;

    RequestWindow(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Numbers a request, hands its bytes to {@code write}, and waits for its response within {@code timeout}. */
    Future<Pdu> send(IntFunction<Buffer> encode, Duration timeout, Consumer<Buffer> write) {
        return send(encode, timeout, write, false);
    }

    /** As {@link #send(IntFunction, Duration, Consumer)}; {@code reroutable}: a reply's PDU, which another bind may carry. */
    Future<Pdu> send(IntFunction<Buffer> encode, Duration timeout, Consumer<Buffer> write, boolean reroutable) {
        int sequence = nextSequence;
        nextSequence = nextSequence == MAX_SEQUENCE ? 1 : nextSequence + 1;
        Promise<Pdu> promise = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            if (outstanding.remove(sequence) != null) {
                promise.tryFail(new ResponseTimeout(timeout));
            }
        });
        outstanding.put(sequence, new Pending(promise, timer, reroutable));
        write.accept(encode.apply(sequence));
        return promise.future();
    }

    /** Completes the request {@code response} answers; false when none waits on its number (late or unknown). */
    boolean answer(Pdu response) {
        Pending pending = outstanding.remove(response.sequence());
        if (pending == null) {
            return false;
        }
        vertx.cancelTimer(pending.timer());
        pending.promise().tryComplete(response);
        return true;
    }

    /** Fails every request still waiting: the link is gone. */
    void failAll(String why) {
        List<Pending> pending = new ArrayList<>(outstanding.values());
        outstanding.clear();
        pending.forEach(p -> {
            vertx.cancelTimer(p.timer());
            p.promise().tryFail(new SmppStatusException(CommandStatus.ESME_RUNKNOWNERR, why));
        });
    }

    /** Fails the reroutable requests still waiting with {@code why}; the others wait on. */
    void failReroutable(RuntimeException why) {
        List<Integer> sequences = outstanding.entrySet().stream()
                .filter(e -> e.getValue().reroutable())
                .map(Map.Entry::getKey)
                .toList();
        for (Integer sequence : sequences) {
            Pending p = outstanding.remove(sequence);
            vertx.cancelTimer(p.timer());
            p.promise().tryFail(why);
        }
    }

    int waiting() {
        return outstanding.size();
    }

    /** For tests: the number the next request gets. */
    void nextSequence(int sequence) {
        nextSequence = sequence;
    }
}
