package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.List;
import org.jsmpp.bean.BindType;
import org.junit.jupiter.api.Test;
import vn.tracuu.simulators.PhoneSimulator;

/** A graceful stop loses none of the gateway's work, so the next start repeats none of it. */
class GatewayStopTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aReplyTheOperatorAcknowledgedIsMarkedSentByTheStopAndNotSentAgain() throws Exception {
        // sent marks wait far longer for company than the stop takes: only the stop's own drain can
        // commit this one
        try (TestGateway gateway = new TestGateway(300, "outbox:\n  sent-mark-linger: 20s\n")) {
            String msisdn = gateway.row(
                            "SELECT s.msisdn FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
                                    + "WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = 'viettel' "
                                    + "AND s.sim_changed_at < now() - interval '30 days' ORDER BY msisdn LIMIT 1")
                    .get(0);
            PhoneSimulator phone = gateway.phone("viettel", BindType.BIND_TRX);
            String requestId = phone.send(msisdn, "8088", "TC NM");
            assertNotNull(phone.awaitReply(msisdn, WAIT), "the reply");
            // the operator's response has reached the gateway: the window is free again
            await().atMost(WAIT)
                    .until(() -> gateway.gateway().binds().snapshots().stream()
                            .allMatch(b -> b.outstanding() == 0 && b.segmentsDelivered() > 0));
            assertEquals(List.of("pending"), state(gateway, requestId), "the sent mark still waits for company");

            gateway.stopGateway();

            assertEquals(
                    List.of("sent"),
                    state(gateway, requestId),
                    "committed by the stop: the next start does not send it again");
        }
    }

    private static List<String> state(TestGateway gateway, String requestId) throws Exception {
        return gateway.row("SELECT state FROM gateway.reply WHERE request_id = ?", Long.parseLong(requestId));
    }
}
