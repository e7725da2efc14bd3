package vn.tracuu.postgres;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.audit.AuditEntry;
import vn.tracuu.core.audit.Outcome;
import vn.tracuu.core.audit.Pseudonym;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.Topic;
import vn.tracuu.core.port.PolicyStore.Limit;

class PostgresDatabaseTest {

  private static TestDatabase db;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.start();
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO population.citizen VALUES ('001087012345', 'Nguyễn Văn An', '1987-03-12', 'M', 'Hà Nội', "
          + "'Nam Định', 'Kinh', 'Việt Nam', 'O+', false, null)");
      s.execute("INSERT INTO subscribers.subscriber VALUES ('84912345678', '001087012345', 'viettel', 'verified', "
          + "'2024-01-01T00:00:00Z', null)");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @Test
  void aLookupsReadsAnswerWhileThePoolsOnlyConnectionWaitsOnADurableWrite() throws Exception {
    DatabaseOptions o = db.options();
    PostgresDatabase database = PostgresDatabase.open(db.vertx(),
        new DatabaseOptions(o.host(), o.port(), o.database(), o.user(), o.password(), 1, 10, 1, o.role()));
    try (Connection holder = db.jdbc()) {
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.execute("SELECT 1 FROM gateway.audit_head WHERE chain = 'main' FOR UPDATE");
      }
      Future<Void> audited = new PostgresAuditLog(db.vertx(), database.pool()).append(new AuditEntry(1, Instant.now(), "viettel",
          "bind", Channel.SMS, "TC", "", Outcome.ANSWERED, "", 3, new Pseudonym("m1", "number"), new Pseudonym("i1", "record")));
      await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnALock(holder));

      assertTrue(new PostgresSubscriberRegistry(database.reads()).byMsisdn(Msisdn.of("84912345678")).await(5, TimeUnit.SECONDS)
          .isPresent());
      assertTrue(new PostgresPopulationDirectory(database.reads()).find(PersonalId.of("001087012345"), Topic.BASIC)
          .await(5, TimeUnit.SECONDS).isPresent());
      PostgresPolicyStore policy = new PostgresPolicyStore(db.vertx(), database.pool(), database.reads());
      assertFalse(policy.lockedOutUntil("number").await(5, TimeUnit.SECONDS).isPresent());
      assertFalse(policy.isLocked("record").await(5, TimeUnit.SECONDS));
      assertTrue(policy.count(List.of(new Limit("number-hour:number", Instant.now().truncatedTo(ChronoUnit.HOURS), 5)))
          .await(5, TimeUnit.SECONDS));
      assertFalse(audited.isComplete(), "the audit append still waits for the chain head");

      holder.rollback();
      audited.await(5, TimeUnit.SECONDS);
    } finally {
      database.close().await(5, TimeUnit.SECONDS);
    }
  }

  private static boolean waitingOnALock(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            + "AND query LIKE '%gateway.audit_head%'")) {
      return rs.next() && rs.getInt(1) > 0;
    }
  }
}
