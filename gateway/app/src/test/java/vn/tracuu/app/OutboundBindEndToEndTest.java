package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import vn.tracuu.simulators.PhoneSimulator.Reply;
import vn.tracuu.simulators.SmscSimulator;
import vn.tracuu.smpp.session.BindSnapshot;

/**
 * The gateway configured only to bind out: it binds as an ESME to a jsmpp SMSC simulator on a
 * loopback port, which hands citizens' texts over as deliver_sm and takes the replies as submit_sm.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboundBindEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SUBJECT =
            "SELECT s.msisdn FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
                    + "WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = 'viettel' "
                    + "AND s.sim_changed_at < now() - interval '30 days' ORDER BY s.msisdn OFFSET ? LIMIT 1";

    private static SmscSimulator smsc;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        smsc = SmscSimulator.listen(0, "tracuu", "pw123");
        gateway = new TestGateway(
                2000,
                TestGateway.RELAXED_POLICY,
                String.join("\n", TestGateway.viettelBindingOutTo(smsc.port())) + "\n      binds: 2",
                "10s",
                Map.of("VIETTEL_SMSC_PASSWORD", "pw123"));
        assertTrue(smsc.awaitBinds(2, WAIT), "the gateway binds twice to the SMSC");
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        smsc.close();
    }

    private static String citizen(int n) throws Exception {
        return gateway.row(SUBJECT, n).get(0);
    }

    private static void eventually(String what, Callable<Boolean> condition) {
        await(what).atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(condition);
    }

    private static String replyColumn(String msisdn, String column) {
        try {
            return gateway.replyTo(msisdn, column);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(1)
    void aCitizensTextArrivesAsDeliverSmAndTheReplyLeavesAsSubmitSmWithAReceipt() throws Exception {
        assertEquals(0, gateway.port(), "no operator binds in: no SMPP listener");
        String msisdn = citizen(0);
        smsc.send(msisdn, "8088", "TC");
        Reply reply = smsc.awaitReply(msisdn, WAIT);
        assertNotNull(reply, "a reply arrives as submit_sm");
        assertTrue(reply.text().startsWith("Ho ten:"), reply.text());
        eventually(
                "the SMSC's receipt marks the reply delivered",
                () -> "delivered".equals(replyColumn(msisdn, "delivery")));
        assertEquals("sent", replyColumn(msisdn, "state"));
        assertTrue(
                replyColumn(msisdn, "message_ids").matches("\\{[0-9a-f]+.*\\}"),
                "the SMSC's message ids are kept for receipts");
    }

    @Test
    @Order(2)
    void aRetransmittedMessageIsAnsweredOnTheWireButMakesOneRequestAndOneReply() throws Exception {
        String msisdn = citizen(1);
        smsc.send(msisdn, "8088", "TC CT");
        smsc.send(msisdn, "8088", "TC CT");
        assertNotNull(smsc.awaitReply(msisdn, WAIT));
        assertEquals(1, gateway.requestsFrom(msisdn));
        assertNull(smsc.awaitReply(msisdn, Duration.ofMillis(1500)), "no second reply");
    }

    @Test
    @Order(3)
    void aThrottlingSmscSlowsTheGatewayDownWithoutLosingTheReply() throws Exception {
        String msisdn = citizen(2);
        int before = smsc.submits();
        smsc.throttleNext(2);
        smsc.send(msisdn, "8088", "TC NM");
        Reply reply = smsc.awaitReply(msisdn, WAIT);
        assertNotNull(reply, "the reply gets through after the throttling");
        assertEquals(
                reply.segments().size() + 2, smsc.submits() - before, "the throttled PDU was resent, nothing more");
        assertTrue(gateway.gateway().binds().snapshots().stream()
                        .mapToLong(BindSnapshot::throttledByPeer)
                        .sum()
                >= 2);
        assertNull(smsc.awaitReply(msisdn, Duration.ofMillis(500)), "exactly one reply");
    }

    @Test
    @Order(4)
    void aResponseAfterItsTimeoutIsIgnoredAndTheRetryIsToldFromAFirstSend() throws Exception {
        String msisdn = citizen(3);
        // response-timeout is 2s in tests: the first submit_sm is answered after it
        smsc.delayNext(1, Duration.ofMillis(3000));
        smsc.send(msisdn, "8088", "TC");
        eventually("the retry is sent and acknowledged", () -> "sent".equals(replyColumn(msisdn, "state")));
        assertEquals("2", replyColumn(msisdn, "attempts"), "the reply's state tells the retry from the first send");
        eventually(
                "the late response arrives and is counted",
                () -> gateway.gateway().binds().snapshots().stream()
                                .mapToLong(BindSnapshot::lateResponses)
                                .sum()
                        >= 1);
        assertEquals("sent", replyColumn(msisdn, "state"), "a late response changes nothing");
    }

    @Test
    @Order(5)
    void aReceiptForAnUnknownIdIsAcknowledgedAndCountedNeverFatal() throws Exception {
        smsc.sendReceipt("deadbeef", "DELIVRD");
        smsc.sendReceipt("not-a-receipt-we-know", "UNDELIV");
        assertEquals(2, smsc.boundCount(), "the binds stay up");
        String msisdn = citizen(4);
        smsc.send(msisdn, "8088", "HD");
        assertNotNull(smsc.awaitReply(msisdn, WAIT));
    }

    @Test
    @Order(6)
    void aDroppedLinkIsBoundAgainAndRepliesWaitForIt() throws Exception {
        int attempts = smsc.bindAttempts();
        smsc.dropLinks();
        assertTrue(smsc.awaitBinds(2, WAIT), "bound again after the link dropped");
        assertTrue(smsc.bindAttempts() >= attempts + 2);
        String msisdn = citizen(5);
        smsc.send(msisdn, "8088", "TC");
        assertNotNull(smsc.awaitReply(msisdn, WAIT));
    }

    @Test
    @Order(7)
    void aRefusedBindIsAskedAgainOnlyAfterTheLongerDelay() throws Exception {
        smsc.refuseBinds(true);
        int attempts = smsc.bindAttempts();
        long droppedAt = System.nanoTime();
        smsc.dropLinks();
        eventually("both binds are refused once", () -> smsc.bindAttempts() >= attempts + 2);
        // while refused, the slots are listed as down with why, and the failures counted
        eventually("/binds lists both bind-outs as down", () -> {
            JsonArray binds =
                    new JsonArray(AdminEndToEndTest.get(gateway, "/binds").body());
            return binds.stream()
                            .map(JsonObject.class::cast)
                            .filter(b -> "DOWN".equals(b.getString("state"))
                                    && b.getString("lastError").contains("ESME_RBINDFAIL")
                                    && b.getInteger("failedAttempts") >= 1)
                            .count()
                    == 2;
        });
        String metrics = AdminEndToEndTest.get(gateway, "/metrics").body();
        assertTrue(
                metrics.contains("tracuu_binds{operator=\"viettel\",role=\"esme\"} 0.0"),
                AdminEndToEndTest.get(gateway, "/binds").body());
        assertTrue(
                metrics.lines()
                        .filter(l -> l.startsWith("tracuu_bind_out_failures_total{operator=\"viettel\",role=\"esme\"}"))
                        .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 2),
                "failures counted");
        smsc.refuseBinds(false);
        assertTrue(smsc.awaitBinds(2, WAIT), "bound again once the SMSC accepts");
        long tookMs = (System.nanoTime() - droppedAt) / 1_000_000;
        // bind-refused-delay is 1s in tests, the plain reconnect backoff at most 0.5s
        assertTrue(
                tookMs >= 900, "a refused bind waits the longer delay, not the reconnect backoff: " + tookMs + " ms");
    }

    @Test
    @Order(8)
    void aGracefulStopUnbindsRatherThanDroppingTheLinks() throws Exception {
        int unbinds = smsc.unbindsReceived();
        gateway.stopGateway();
        eventually("each bind ended with unbind", () -> smsc.unbindsReceived() == unbinds + 2);
        eventually("no bind left", () -> smsc.boundCount() == 0);
        gateway.start();
        assertTrue(smsc.awaitBinds(2, WAIT));
    }
}
