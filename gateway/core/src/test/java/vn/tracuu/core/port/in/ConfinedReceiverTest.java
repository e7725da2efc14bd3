package vn.tracuu.core.port.in;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;

/** Messages from binds on other event loops reach the core on its own context, one at a time. */
class ConfinedReceiverTest {

    private final Vertx vertx = Vertx.vertx();
    private final List<Context> calledOn = new CopyOnWriteArrayList<>();
    private final MessageReceiver core = new MessageReceiver() {
        @Override
        public Future<AcceptedRequest> receive(InboundMessage message) {
            calledOn.add(Vertx.currentContext());
            return Future.succeededFuture(new AcceptedRequest(7, message));
        }

        @Override
        public Future<Boolean> receipt(DeliveryReceipt receipt) {
            throw new IllegalStateException("the store is down");
        }
    };

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static InboundMessage text() {
        return new InboundMessage("viettel", "b1", Channel.SMS, Msisdn.of("84912345678"), "8088", "TC", Instant.now());
    }

    @Test
    void aMessageFromAnotherLoopIsReceivedOnTheCoresContext() throws Exception {
        Context home = vertx.getOrCreateContext();
        ConfinedReceiver receiver = new ConfinedReceiver(home, core);
        Promise<AcceptedRequest> answer = Promise.promise();
        // a bind on a context of its own
        vertx.deployVerticle(bind -> {
                    receiver.receive(text()).onComplete(answer);
                    return Future.succeededFuture();
                })
                .await(10, TimeUnit.SECONDS);
        assertEquals(7, answer.future().await(10, TimeUnit.SECONDS).id());
        assertSame(home, calledOn.get(0), "the core's state is touched on its context only");
    }

    @Test
    void aCallOnTheCoresContextIsMadeAtOnceAndAThrowingCoreFailsTheFuture() throws Exception {
        Context home = vertx.getOrCreateContext();
        ConfinedReceiver receiver = new ConfinedReceiver(home, core);
        Promise<Boolean> direct = Promise.promise();
        home.runOnContext(v -> {
            receiver.receive(text());
            direct.complete(calledOn.size() == 1);
        });
        assertTrue(direct.future().await(10, TimeUnit.SECONDS), "no hop when already on the core's context");
        Promise<Throwable> failure = Promise.promise();
        vertx.deployVerticle(bind -> {
                    receiver.receipt(null).onComplete(r -> failure.complete(r.cause()));
                    return Future.succeededFuture();
                })
                .await(10, TimeUnit.SECONDS);
        assertEquals(
                "the store is down",
                failure.future().await(10, TimeUnit.SECONDS).getMessage());
    }
}
