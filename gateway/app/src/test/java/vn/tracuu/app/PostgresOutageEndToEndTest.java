package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.jsmpp.bean.BindType;
import org.jsmpp.extra.NegativeResponseException;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.TextNormalizer;
import vn.tracuu.core.lookup.ReplyText;
import vn.tracuu.simulators.PhoneSimulator;
import vn.tracuu.simulators.PhoneSimulator.Reply;

/** The PostgreSQL back-end misbehaving under a running gateway: every accepted request is still answered once. */
class PostgresOutageEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String GOOD =
            "SELECT s.msisdn FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
                    + "WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = 'viettel' "
                    + "AND s.sim_changed_at < now() - interval '30 days' ORDER BY s.msisdn";

    @Test
    void whileTheServerRefusesAndDropsConnectionsMessagesAreRefusedOnTheWireThenServedAgain() throws Exception {
        try (TestGateway gateway = new TestGateway(300, "")) {
            PhoneSimulator phone = gateway.phone("viettel", BindType.BIND_TRX);
            String msisdn = gateway.row(GOOD).get(0);
            phone.send(msisdn, "8088", "TC NM");
            assertTrue(phone.awaitReply(msisdn, WAIT).text().startsWith("So DD"));

            String admin = gateway.database().options().jdbcUrl().replace("/postgres", "/template1");
            try (Connection c = DriverManager.getConnection(admin, "postgres", "postgres");
                    Statement s = c.createStatement()) {
                // what a server restart looks like to the pool: connections dropped, new ones refused
                s.execute("ALTER DATABASE postgres WITH ALLOW_CONNECTIONS false");
                s.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'postgres' AND pid <> pg_backend_pid()");
                NegativeResponseException refused =
                        assertThrows(NegativeResponseException.class, () -> phone.send(msisdn, "8088", "TC NM"));
                assertEquals(
                        0x58,
                        refused.getCommandStatus(),
                        "ESME_RTHROTTLED: not stored, so not accepted; the operator sends it again later");
                s.execute("ALTER DATABASE postgres WITH ALLOW_CONNECTIONS true");
            }
            phone.send(msisdn, "8088", "TC NM");
            Reply after = phone.awaitReply(msisdn, WAIT);
            assertNotNull(after);
            assertTrue(after.text().startsWith("So DD"), after.text());
            assertEquals(
                    gateway.row("SELECT count(*) FROM gateway.request").get(0),
                    gateway.row("SELECT count(*) FROM gateway.reply").get(0),
                    "every accepted request has its one reply");
        }
    }

    @Test
    void whenTheServerStopsMessagesAreRefusedOnTheWireAndWhenItIsBackTheyAreServed() throws Exception {
        try (TestGateway gateway = new TestGateway(300, "")) {
            PhoneSimulator phone = gateway.phone("viettel", BindType.BIND_TRX);
            String msisdn = gateway.row(GOOD).get(0);
            phone.send(msisdn, "8088", "TC CT");
            assertTrue(phone.awaitReply(msisdn, WAIT).text().startsWith("So DD"));

            gateway.database().stopEmbedded();
            NegativeResponseException refused =
                    assertThrows(NegativeResponseException.class, () -> phone.send(msisdn, "8088", "TC CT"));
            assertEquals(
                    0x58,
                    refused.getCommandStatus(),
                    "ESME_RTHROTTLED: not stored, so not accepted; the operator sends it again later");
            gateway.database().startEmbeddedAgain();

            phone.send(msisdn, "8088", "TC CT");
            Reply after = phone.awaitReply(msisdn, WAIT);
            assertNotNull(after);
            assertTrue(after.text().startsWith("So DD"), after.text());
            assertEquals(
                    gateway.row("SELECT count(*) FROM gateway.request").get(0),
                    gateway.row("SELECT count(*) FROM gateway.reply").get(0));
        }
    }

    @Test
    void afterAFiveSecondOutageUnderTrafficNoAcceptedRequestIsAnsweredBusy() throws Exception {
        // generous call time-outs: this is about the circuit, and a loaded machine's first calls on
        // fresh connections must not pass for it
        try (TestGateway gateway = new TestGateway(
                300,
                String.join(
                        "\n",
                        "population:",
                        "  guard:",
                        "    call-timeout: 10s",
                        "subscribers:",
                        "  guard:",
                        "    call-timeout: 10s"))) {
            PhoneSimulator phone = gateway.phone("viettel", BindType.BIND_TRX);
            List<String> numbers = gateway.rows(GOOD, 20);
            List<String> accepted = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicInteger refused = new AtomicInteger();
            ExecutorService sender = Executors.newSingleThreadExecutor();
            // 20 texts a second throughout: every text refused during the outage still had its sender's
            // reads tried, which is what opened the circuit and answered "busy" for 10 s after it
            Future<?> stream = sender.submit(() -> {
                for (int i = 0; sending.get(); i++) {
                    String n = numbers.get(i % numbers.size());
                    try {
                        phone.send(n, "8088", "TC NM");
                        accepted.add(n);
                    } catch (NegativeResponseException e) {
                        refused.incrementAndGet();
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
                return null;
            });
            try {
                await().atMost(WAIT).until(() -> accepted.size() >= 20);
                gateway.database().stopEmbedded();
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
                gateway.database().startEmbeddedAgain();
                int before = accepted.size();
                // five seconds of texts after it is back: the ones a circuit left open would answer busy
                await().atMost(WAIT).until(() -> accepted.size() >= before + 80);
            } finally {
                sending.set(false);
                stream.get(30, TimeUnit.SECONDS);
                sender.shutdown();
            }
            assertTrue(refused.get() > 0, "texts were refused on the wire during the outage");
            Map<String, Long> expected =
                    accepted.stream().collect(Collectors.groupingBy(n -> n, Collectors.counting()));
            int busy = 0;
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                for (long i = 0; i < e.getValue(); i++) {
                    Reply reply = phone.awaitReply(e.getKey(), WAIT);
                    assertNotNull(reply, "every accepted text is answered");
                    busy += reply.text().equals(TextNormalizer.stripDiacritics(ReplyText.BUSY)) ? 1 : 0;
                }
            }
            assertEquals(0, busy, "accepted texts answered busy after the outage, of " + accepted.size());
        }
    }

    @Test
    void anExhaustedPoolRefusesOnTheWireButNeverLeavesAnAcceptedRequestUnanswered() throws Exception {
        // the request stored first (its reply later): with the answer stored with it, a held chain
        // head holds the acknowledgement instead, as any stalled commit does
        try (TestGateway gateway = new TestGateway(300, "lookup:\n  answer-with-accept-within: 0s")) {
            gateway.reconfigureDatabasePool(1, 1);
            PhoneSimulator phone = gateway.phone("viettel", BindType.BIND_TRX);
            List<String> numbers = gateway.rows(GOOD, 30);
            List<String> accepted = Collections.synchronizedList(new ArrayList<>());
            List<String> refused = Collections.synchronizedList(new ArrayList<>());
            ExecutorService senders = Executors.newFixedThreadPool(numbers.size());
            List<Future<?>> all = new ArrayList<>();
            try (Connection holder = gateway.jdbc()) {
                // the first request's audit entry then waits for the chain head on the pool's only
                // connection, as a slow disk or a long lock would hold it; reads do not use that pool
                holder.setAutoCommit(false);
                String holderPid;
                try (Statement s = holder.createStatement()) {
                    s.execute("SELECT 1 FROM gateway.audit_head WHERE chain = 'main' FOR UPDATE");
                    try (ResultSet pid = s.executeQuery("SELECT pg_backend_pid()")) {
                        pid.next();
                        holderPid = pid.getString(1);
                    }
                }
                phone.send(numbers.get(0), "8088", "TC NM");
                accepted.add(numbers.get(0));
                await().atMost(WAIT)
                        .until(() -> !gateway.rows(
                                        "SELECT pid FROM pg_stat_activity WHERE " + holderPid
                                                + " = ANY(pg_blocking_pids(pid))",
                                        1)
                                .isEmpty());
                for (String n : numbers.subList(1, numbers.size())) {
                    all.add(senders.submit(() -> {
                        try {
                            phone.send(n, "8088", "TC NM");
                            accepted.add(n);
                        } catch (NegativeResponseException e) {
                            assertEquals(0x58, e.getCommandStatus(), "ESME_RTHROTTLED: the pool is full, try later");
                            refused.add(n);
                        }
                        return null;
                    }));
                }
                await().atMost(WAIT).until(() -> !refused.isEmpty());
                holder.rollback();
            }
            try {
                for (Future<?> f : all) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                senders.shutdownNow();
            }
            for (String n : accepted) {
                assertNotNull(phone.awaitReply(n, WAIT), "an accepted request is answered");
            }
            assertEquals(numbers.size(), accepted.size() + refused.size());
            assertEquals(
                    gateway.row("SELECT count(*) FROM gateway.request").get(0),
                    gateway.row("SELECT count(*) FROM gateway.reply").get(0),
                    "every accepted request has its one reply");
        }
    }
}
