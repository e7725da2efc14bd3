package vn.tracuu.smpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.port.Unanswered;
import vn.tracuu.core.port.out.OutboundReply;
import vn.tracuu.smpp.RawSmppPeer;
import vn.tracuu.smpp.SmppTestOptions;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.Pdu;
import vn.tracuu.smpp.codec.PduCodec;
import vn.tracuu.smpp.session.OperatorBinds;
import vn.tracuu.smpp.session.OperatorOptions;

/** Two receiver binds of one operator over raw sockets; one stops answering deliver_sm. */
class SilentBindTest {

    private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(500);

    private static Vertx vertx;
    private ServerFixture server;
    private OperatorBinds binds;
    private long nextId = 1;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    @BeforeEach
    void start() throws Exception {
        OperatorOptions viettel = ServerFixture.operator("viettel", 2, "127.0.0.1");
        server = new ServerFixture(vertx, SmppTestOptions.of(10, 10, RESPONSE_TIMEOUT, List.of(viettel)));
        binds = server.binds;
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private RawSmppPeer receiver() throws Exception {
        RawSmppPeer peer = new RawSmppPeer(server.port);
        assertEquals(
                CommandStatus.ESME_ROK,
                peer.bind(CommandId.BIND_RECEIVER, "viettel", "secret").status());
        return peer;
    }

    private Future<List<String>> reply() {
        return binds.deliver(new OutboundReply(
                nextId++,
                "viettel",
                Msisdn.of("84912345678"),
                "8088",
                "x",
                0,
                Instant.now().plusSeconds(60)));
    }

    private static void answer(RawSmppPeer peer, Pdu deliver) throws Exception {
        peer.send(PduCodec.messageResponse(CommandId.DELIVER_SM, CommandStatus.ESME_ROK, deliver.sequence(), "m"));
    }

    @Test
    void aBindThatStopsAnsweringLeavesTheRotationAndItsRepliesFailAtOnceForAnother() throws Exception {
        try (RawSmppPeer silent = receiver();
                RawSmppPeer healthy = receiver()) {
            // round robin: of four replies, two go to each bind; the silent one answers none
            List<Future<List<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sent.add(reply());
            }
            for (int i = 0; i < 2; i++) {
                answer(healthy, healthy.read());
            }
            silent.read();
            silent.read();
            long waited = System.nanoTime();
            List<Throwable> failures = new ArrayList<>();
            for (Future<List<String>> f : sent) {
                f.otherwiseEmpty().await(10, TimeUnit.SECONDS);
                if (f.failed()) {
                    failures.add(f.cause());
                }
            }
            assertEquals(2, failures.size(), "the silent bind's two");
            failures.forEach(f -> assertInstanceOf(Unanswered.class, f, "sent again at once by the outbox"));
            // both within about one response time-out: the second did not wait out its own
            assertTrue(
                    System.nanoTime() - waited < TimeUnit.MILLISECONDS.toNanos(RESPONSE_TIMEOUT.toMillis() * 4),
                    "failed together");

            // out of the rotation: the next replies all go to the healthy bind
            for (int i = 0; i < 4; i++) {
                Future<List<String>> next = reply();
                answer(healthy, healthy.read());
                assertTrue(next.await(5, TimeUnit.SECONDS).contains("m"));
            }

            // the silent peer speaks again (an enquire_link): back in the rotation
            silent.send(PduCodec.emptyResponse(CommandId.ENQUIRE_LINK, 0, 77));
            assertEquals(77, silent.read().sequence());
            Future<List<String>> first = reply();
            Future<List<String>> second = reply();
            Pdu toSilent = silent.read();
            answer(silent, toSilent);
            answer(healthy, healthy.read());
            assertTrue(first.await(5, TimeUnit.SECONDS).contains("m"));
            assertTrue(second.await(5, TimeUnit.SECONDS).contains("m"));
        }
    }
}
