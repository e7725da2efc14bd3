package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jsmpp.bean.BindType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.TextNormalizer;
import vn.tracuu.core.lookup.ReplyText;
import vn.tracuu.simulators.PhoneSimulator;
import vn.tracuu.simulators.PhoneSimulator.Reply;

/** An accepted request gets exactly one reply across a restart of the gateway, resent or not. */
class GatewayRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        // retransmissions filtered within 10 s, as by default
        gateway = new TestGateway(500, TestGateway.RELAXED_POLICY, "", "10s", Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    @Test
    void repliesWaitingInTheOutboxAndRequestsNotYetLookedUpAreAnsweredOnceAfterARestart() throws Exception {
        String msisdn = gateway.row(
                        "SELECT s.msisdn FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
                                + "WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = 'viettel' "
                                + "AND s.sim_changed_at < now() - interval '30 days' ORDER BY msisdn LIMIT 1")
                .get(0);

        // 1. accepted and answered, but no bind can take the reply: it waits in the outbox
        PhoneSimulator transmitter = gateway.phone("viettel", BindType.BIND_TX);
        String messageId = transmitter.send(msisdn, "8088", "TC NM");
        await().atMost(WAIT).until(() -> "pending".equals(state(messageId)));

        // 2. accepted by a gateway that died before looking it up
        gateway.execute(
                "INSERT INTO gateway.request (operator_id, channel, msisdn, short_code, message_text, received_at) "
                        + "VALUES ('viettel', 'SMS', ?, '8088', 'HD', ?)",
                msisdn,
                OffsetDateTime.now());
        String orphanId = gateway.row("SELECT max(id) FROM gateway.request").get(0);

        gateway.restart();

        PhoneSimulator receiver = gateway.phone("viettel", BindType.BIND_TRX);
        Reply first = receiver.awaitReply(msisdn, WAIT);
        Reply second = receiver.awaitReply(msisdn, WAIT);
        assertNotNull(first, () -> "first reply missing; outbox: " + outbox());
        assertNotNull(second, () -> "second reply missing; outbox: " + outbox());
        List<String> texts = List.of(first.text(), second.text());
        assertTrue(texts.stream().anyMatch(t -> t.contains("Nhom mau")), texts.toString());
        assertTrue(texts.contains(TextNormalizer.stripDiacritics(ReplyText.HELP)), texts.toString());

        // no third, duplicate reply: the next thing this number receives is the answer to a new message
        receiver.send(msisdn, "8088", "TC 12345");
        Reply next = receiver.awaitReply(msisdn, WAIT);
        assertNotNull(next);
        assertEquals(TextNormalizer.stripDiacritics(ReplyText.INVALID_ID), next.text());

        await().atMost(WAIT).until(() -> "sent".equals(state(messageId)) && "sent".equals(state(orphanId)));
        assertEquals(
                "1",
                gateway.row("SELECT count(*) FROM gateway.reply WHERE request_id = ?", Long.parseLong(messageId))
                        .get(0));
        assertEquals(
                "1",
                gateway.row("SELECT count(*) FROM gateway.reply WHERE request_id = ?", Long.parseLong(orphanId))
                        .get(0));
    }

    @Test
    void aMessageSentAgainAfterARestartIsTheSameRequestAndGetsNoSecondReply() throws Exception {
        String msisdn = gateway.row(
                        "SELECT s.msisdn FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
                                + "WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = 'viettel' "
                                + "AND s.sim_changed_at < now() - interval '30 days' ORDER BY msisdn OFFSET 1 LIMIT 1")
                .get(0);
        String messageId;
        try (PhoneSimulator phone = gateway.phone("viettel", BindType.BIND_TRX)) {
            messageId = phone.send(msisdn, "8088", "TC CT");
            assertNotNull(phone.awaitReply(msisdn, WAIT));
            await().atMost(WAIT).until(() -> "sent".equals(state(messageId)));
        }

        // the operator lost our submit_sm_resp and sends the text again, to a gateway restarted since
        // (or to another node): the filter lives in the database, not in a node's memory
        gateway.restart();
        try (PhoneSimulator again = gateway.phone("viettel", BindType.BIND_TRX)) {
            assertEquals(messageId, again.send(msisdn, "8088", "TC CT"), "the resend gets the first message id");
            assertNull(again.awaitReply(msisdn, Duration.ofSeconds(2)), "and no second reply");
        }
        assertEquals(1, gateway.requestsFrom(msisdn), "one request from the number");
    }

    private static String outbox() {
        try {
            return gateway.row(
                                    "SELECT string_agg(request_id || ':' || state || ':' || attempts || ':' || (due_at <= now()), ', ') "
                                            + "FROM gateway.reply")
                            .toString()
                    + " bound=" + gateway.gateway().binds().bindCount("viettel");
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String state(String requestId) throws Exception {
        List<String> row =
                gateway.row("SELECT state FROM gateway.reply WHERE request_id = ?", Long.parseLong(requestId));
        return row.isEmpty() ? null : row.get(0);
    }
}
