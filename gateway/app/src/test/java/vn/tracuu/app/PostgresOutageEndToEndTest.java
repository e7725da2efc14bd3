package vn.tracuu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.BindType;
import org.jsmpp.extra.NegativeResponseException;
import org.junit.jupiter.api.Test;
import vn.tracuu.app.cli.PhoneSimulator;
import vn.tracuu.app.cli.PhoneSimulator.Reply;
import vn.tracuu.core.command.TextNormalizer;
import vn.tracuu.core.lookup.ReplyText;

/** The PostgreSQL back-end misbehaving under a running gateway: every accepted request is still answered once. */
class PostgresOutageEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String GOOD = "SELECT s.msisdn FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
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
      try (Connection c = DriverManager.getConnection(admin, "postgres", "postgres"); Statement s = c.createStatement()) {
        // what a server restart looks like to the pool: connections dropped, new ones refused
        s.execute("ALTER DATABASE postgres WITH ALLOW_CONNECTIONS false");
        s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'postgres' AND pid <> pg_backend_pid()");
        NegativeResponseException refused = assertThrows(NegativeResponseException.class, () -> phone.send(msisdn, "8088", "TC NM"));
        assertEquals(0x08, refused.getCommandStatus(), "ESME_RSYSERR: not stored, so not accepted; the operator may retry");
        s.execute("ALTER DATABASE postgres WITH ALLOW_CONNECTIONS true");
      }
      phone.send(msisdn, "8088", "TC NM");
      Reply after = phone.awaitReply(msisdn, WAIT);
      assertNotNull(after);
      assertTrue(after.text().startsWith("So DD"), after.text());
      assertEquals(gateway.row("SELECT count(*) FROM gateway.request").get(0), gateway.row("SELECT count(*) FROM gateway.reply").get(0),
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
      NegativeResponseException refused = assertThrows(NegativeResponseException.class, () -> phone.send(msisdn, "8088", "TC CT"));
      assertEquals(0x08, refused.getCommandStatus(), "ESME_RSYSERR: not stored, so not accepted; the operator may retry");
      gateway.database().startEmbeddedAgain();

      phone.send(msisdn, "8088", "TC CT");
      Reply after = phone.awaitReply(msisdn, WAIT);
      assertNotNull(after);
      assertTrue(after.text().startsWith("So DD"), after.text());
      assertEquals(gateway.row("SELECT count(*) FROM gateway.request").get(0), gateway.row("SELECT count(*) FROM gateway.reply").get(0));
    }
  }

  @Test
  void anExhaustedPoolRefusesOrAnswersBusyButNeverLeavesAnAcceptedRequestUnanswered() throws Exception {
    try (TestGateway gateway = new TestGateway(300, "")) {
      gateway.reconfigureDatabasePool(1, 1);
      PhoneSimulator phone = gateway.phone("viettel", BindType.BIND_TRX);
      List<String> numbers = gateway.rows(GOOD, 30);
      List<String> accepted = Collections.synchronizedList(new ArrayList<>());
      List<String> refused = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(30);
      try {
        List<Future<?>> all = new ArrayList<>();
        for (String n : numbers) {
          all.add(pool.submit(() -> {
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
        for (Future<?> f : all) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      int busy = 0;
      for (String n : accepted) {
        Reply r = phone.awaitReply(n, WAIT);
        assertNotNull(r, "an accepted request is answered");
        busy += r.text().equals(TextNormalizer.stripDiacritics(ReplyText.BUSY)) ? 1 : 0;
      }
      assertEquals(30, accepted.size() + refused.size());
      System.out.printf("pool of 1, wait queue of 1: %d refused on the wire, %d accepted (%d answered busy)%n", refused.size(),
          accepted.size(), busy);
      assertTrue(!refused.isEmpty() || busy > 0, "one connection and a wait queue of one: some requests must be turned away");
    }
  }
}
