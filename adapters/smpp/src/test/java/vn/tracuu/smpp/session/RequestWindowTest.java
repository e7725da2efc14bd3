package vn.tracuu.smpp.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.Pdu;
import vn.tracuu.smpp.codec.PduCodec;

class RequestWindowTest {

    private final Vertx vertx = Vertx.vertx();
    private final List<Integer> written = new ArrayList<>();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private Future<Pdu> enquireLink(RequestWindow window, Duration timeout) {
        return window.send(
                seq -> {
                    written.add(seq);
                    return PduCodec.emptyResponse(CommandId.ENQUIRE_LINK, CommandStatus.ESME_ROK, seq);
                },
                timeout,
                bytes -> {});
    }

    private static Pdu responseTo(int sequence) {
        return new Pdu(CommandId.responseTo(CommandId.ENQUIRE_LINK), CommandStatus.ESME_ROK, sequence, Buffer.buffer());
    }

    private static Throwable failure(Future<?> f) throws Exception {
        f.otherwiseEmpty().await(5, TimeUnit.SECONDS);
        assertTrue(f.failed(), "failed");
        return f.cause();
    }

    @Test
    void eachResponseCompletesTheRequestOfItsSequenceNumberWhateverTheOrder() throws Exception {
        RequestWindow window = new RequestWindow(vertx);
        Future<Pdu> first = enquireLink(window, Duration.ofSeconds(10));
        Future<Pdu> second = enquireLink(window, Duration.ofSeconds(10));
        assertEquals(List.of(1, 2), written);
        assertTrue(window.answer(responseTo(2)));
        assertTrue(second.succeeded());
        assertFalse(first.isComplete());
        assertTrue(window.answer(responseTo(1)));
        assertEquals(1, first.result().sequence());
        assertEquals(0, window.waiting());
    }

    @Test
    void anUnansweredRequestFailsAtItsTimeoutAndItsLateResponseIsRecognised() throws Exception {
        RequestWindow window = new RequestWindow(vertx);
        Future<Pdu> request = enquireLink(window, Duration.ofMillis(50));
        assertInstanceOf(RequestWindow.ResponseTimeout.class, failure(request));
        assertFalse(window.answer(responseTo(1)), "late: nothing waits on it any more");
    }

    @Test
    void aClosedLinkFailsEveryRequestStillWaiting() throws Exception {
        RequestWindow window = new RequestWindow(vertx);
        Future<Pdu> a = enquireLink(window, Duration.ofSeconds(10));
        Future<Pdu> b = enquireLink(window, Duration.ofSeconds(10));
        window.failAll("connection closed");
        assertEquals("connection closed", failure(a).getMessage());
        assertTrue(b.failed());
        assertEquals(0, window.waiting());
    }

    @Test
    void sequenceNumbersGoRoundFromTheLargestBackToOne() {
        // SMPP 3.4 §3.2: 0x00000001 to 0x7FFFFFFF
        RequestWindow window = new RequestWindow(vertx);
        window.nextSequence(0x7FFFFFFF);
        enquireLink(window, Duration.ofSeconds(10));
        enquireLink(window, Duration.ofSeconds(10));
        assertEquals(List.of(0x7FFFFFFF, 1), written);
    }
}
