package vn.tracuu.postgres;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.CitizenRecord;
import vn.tracuu.core.domain.CitizenRecord.RelationKind;
import vn.tracuu.core.domain.CitizenRecord.ResidenceKind;
import vn.tracuu.core.domain.Gender;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.domain.Topic;
import vn.tracuu.core.domain.audit.AccessRecord;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.domain.audit.Outcome;
import vn.tracuu.core.domain.audit.Pseudonym;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.out.PolicyStore.Limit;

class PostgresLookupAdaptersTest {

    private static final PersonalId ID = PersonalId.of("001087012345");
    private static TestDatabase db;
    private static PostgresPopulationDirectory population;
    private static PostgresSubscriberRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.start();
        try (Connection c = db.jdbc();
                Statement s = c.createStatement()) {
            s.execute(
                    "INSERT INTO population.citizen VALUES ('001087012345', 'Nguyễn Văn An', '1987-03-12', 'M', 'Hà Nội', "
                            + "'Nam Định', 'Kinh', 'Việt Nam', 'O+', false, null)");
            s.execute(
                    "INSERT INTO population.residence VALUES ('001087012345', 'permanent', 'Số 1 Lê Lợi, Hà Nội', '2005-03-12')");
            s.execute(
                    "INSERT INTO population.relation VALUES ('001087012345', 'father', '001060000001', 'Nguyễn Văn Bình', 1960), "
                            + "('001087012345', 'mother', '001162000002', 'Trần Thị Cúc', 1962), "
                            + "('001087012345', 'spouse', '001190000003', 'Lê Thị Dung', 1990)");
            s.execute(
                    "INSERT INTO subscribers.subscriber VALUES ('84912345678', '001087012345', 'viettel', 'verified', "
                            + "'2024-01-01T00:00:00Z', '2023-06-01T00:00:00Z'), ('84912345679', '001087012345', 'viettel', 'unverified', "
                            + "'2024-01-01T00:00:00Z', null)");
        }
        population = new PostgresPopulationDirectory(db.database().reads());
        registry = new PostgresSubscriberRegistry(db.database().reads());
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    private static CitizenRecord find(Topic topic) throws Exception {
        return population.find(ID, topic).await(5, TimeUnit.SECONDS).orElseThrow();
    }

    @Test
    void eachTopicReadsOnlyItsOwnFields() throws Exception {
        CitizenRecord basic = find(Topic.BASIC);
        assertEquals("Nguyễn Văn An", basic.identity().fullName());
        assertEquals(LocalDate.of(1987, 3, 12), basic.identity().birthDate());
        assertEquals(Gender.MALE, basic.identity().gender());
        assertNull(basic.bloodType());
        assertTrue(basic.relatives().isEmpty());

        CitizenRecord blood = find(Topic.BLOOD_TYPE);
        assertEquals("O+", blood.bloodType());
        assertNull(blood.identity());

        CitizenRecord residence = find(Topic.RESIDENCE);
        assertEquals(1, residence.residences().size());
        assertEquals(ResidenceKind.PERMANENT, residence.residences().get(0).kind());

        CitizenRecord parents = find(Topic.PARENTS);
        assertEquals(2, parents.relatives().size());
        assertTrue(parents.relatives().stream().noneMatch(r -> r.kind() == RelationKind.SPOUSE));

        CitizenRecord spouse = find(Topic.SPOUSE);
        assertEquals(1, spouse.relatives().size());
        assertEquals("Lê Thị Dung", spouse.relatives().get(0).fullName());

        CitizenRecord representative = find(Topic.LEGAL_REPRESENTATIVE);
        assertTrue(representative.relatives().isEmpty(), "an adult has none, and the record is still found");
        assertFalse(representative.deceased());
    }

    @Test
    void anUnknownIdIsEmpty() throws Exception {
        assertTrue(population
                .find(PersonalId.of("001087099999"), Topic.BASIC)
                .await(5, TimeUnit.SECONDS)
                .isEmpty());
        assertTrue(population
                .find(PersonalId.of("001087099999"), Topic.PARENTS)
                .await(5, TimeUnit.SECONDS)
                .isEmpty());
    }

    @Test
    void theRegistryTellsVerifiedFromUnverifiedNumbers() throws Exception {
        SubscriberBinding verified = registry.byMsisdn(Msisdn.of("84912345678"))
                .await(5, TimeUnit.SECONDS)
                .orElseThrow();
        assertEquals(ID, verified.personalId());
        assertEquals("viettel", verified.operatorId());
        assertTrue(verified.verified());
        assertNotNull(verified.simChangedAt());
        assertFalse(registry.byMsisdn(Msisdn.of("84912345679"))
                .await(5, TimeUnit.SECONDS)
                .orElseThrow()
                .verified());
        assertTrue(registry.byMsisdn(Msisdn.of("84987654321"))
                .await(5, TimeUnit.SECONDS)
                .isEmpty());
    }

    @Test
    void aBindingSaysWhetherAnotherVerifiedNumberSharesItsRecord() throws Exception {
        assertFalse(
                registry.byMsisdn(Msisdn.of("84912345678"))
                        .await(5, TimeUnit.SECONDS)
                        .orElseThrow()
                        .sharedRecord(),
                "its record's other number is unverified: no one to tell, no read of them");
        try (Connection c = db.jdbc();
                Statement s = c.createStatement()) {
            s.execute(
                    "INSERT INTO subscribers.subscriber VALUES ('84912000001', '001087054321', 'viettel', 'verified', "
                            + "'2024-01-01T00:00:00Z', null), ('84902000002', '001087054321', 'mobifone', 'verified', "
                            + "'2024-01-01T00:00:00Z', null)");
        }
        SubscriberBinding one = registry.byMsisdn(Msisdn.of("84912000001"))
                .await(5, TimeUnit.SECONDS)
                .orElseThrow();
        assertTrue(one.sharedRecord(), "a second verified number is bound to the same ID");
        assertEquals(
                List.of("84902000002", "84912000001"),
                registry.verifiedNumbersOf(one.personalId()).await(5, TimeUnit.SECONDS).stream()
                        .map(b -> b.msisdn().digits())
                        .sorted()
                        .toList());
    }

    @Test
    void aLookupsReadsAnswerWhileThePoolsOnlyConnectionWaitsOnADurableWrite() throws Exception {
        PostgresDatabase database = db.openOneConnectionEach();
        try (Connection holder = db.jdbc()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SELECT 1 FROM gateway.audit_head WHERE chain = 'main' FOR UPDATE");
            }
            Future<Void> audited = new PostgresAuditLog(db.vertx(), database.pool())
                    .append(new AuditEntry(
                            1,
                            Instant.now(),
                            "viettel",
                            "bind",
                            Channel.SMS,
                            "TC",
                            "",
                            Outcome.ANSWERED,
                            "",
                            3,
                            new Pseudonym("m1", "number"),
                            new Pseudonym("i1", "record"),
                            "node-a"));
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnTheAuditHead(holder));

            assertTrue(new PostgresSubscriberRegistry(database.reads())
                    .byMsisdn(Msisdn.of("84912345678"))
                    .await(5, TimeUnit.SECONDS)
                    .isPresent());
            assertTrue(new PostgresPopulationDirectory(database.reads())
                    .find(ID, Topic.BASIC)
                    .await(5, TimeUnit.SECONDS)
                    .isPresent());
            PostgresPolicyStore policy = new PostgresPolicyStore(db.vertx(), database.pool(), database.reads());
            assertFalse(
                    policy.lockedOutUntil("number").await(5, TimeUnit.SECONDS).isPresent());
            assertFalse(policy.isLocked("record").await(5, TimeUnit.SECONDS));
            assertTrue(policy.count(List.of(
                            new Limit("number-hour:number", Instant.now().truncatedTo(ChronoUnit.HOURS), 5)))
                    .await(5, TimeUnit.SECONDS));
            assertFalse(audited.isComplete(), "the audit append still waits for the chain head");

            holder.rollback();
            audited.await(5, TimeUnit.SECONDS);
        } finally {
            database.close().await(5, TimeUnit.SECONDS);
        }
    }

    // blocked by the holder of the chain head (pg_stat_activity's query text is cut at 1,024 bytes,
    // before the append's statement names the head)
    private static boolean waitingOnTheAuditHead(Connection holder) throws Exception {
        try (Statement s = holder.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))")) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }

    @Test
    void aReadWhoseConnectionIsLostUnderItIsReadAgainOnAFreshOne() throws Exception {
        Optional<SubscriberBinding> binding = readAfterItsConnectionEnds(
                PostgresDatabase::reads,
                one -> new PostgresSubscriberRegistry(one.reads()).byMsisdn(Msisdn.of("84912345678")));
        assertTrue(binding.isPresent());
    }

    @Test
    void anLsReadWhosePoolConnectionIsLostUnderItIsReadAgainOnAFreshOne() throws Exception {
        List<AccessRecord> accesses = readAfterItsConnectionEnds(
                PostgresDatabase::pool,
                one -> new PostgresAuditLog(db.vertx(), one.pool()).recentAccesses("no-such-record", 5));
        assertTrue(accesses.isEmpty());
    }

    /**
     * Runs {@code read} on a database of one connection each, right after the backend of the
     * {@code connection} it goes through was ended, as a server restart ends it: the read is sent
     * before the gateway has seen its connection go. Fails unless the read succeeds.
     */
    private static <T> T readAfterItsConnectionEnds(
            Function<PostgresDatabase, SqlClient> connection, Function<PostgresDatabase, Future<T>> read)
            throws Exception {
        DatabaseOptions o = db.options();
        PostgresDatabase one = PostgresDatabase.open(
                db.vertx(),
                new DatabaseOptions(o.host(), o.port(), o.database(), o.user(), o.password(), 1, 10, 1, o.role()));
        try {
            int pid = connection
                    .apply(one)
                    .preparedQuery("SELECT pg_backend_pid()")
                    .execute()
                    .await(5, TimeUnit.SECONDS)
                    .iterator()
                    .next()
                    .getInteger(0);
            try (Connection admin = db.jdbc();
                    Statement s = admin.createStatement()) {
                s.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            Future<T> result = read.apply(one);
            Future.join(List.of(result)).otherwiseEmpty().await(10, TimeUnit.SECONDS);
            assertTrue(result.succeeded(), () -> result.cause().toString());
            return result.result();
        } finally {
            one.close().await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void readsBeyondTheirWaitQueueAreTheGatewaysOverloadNotADatabaseFailure() throws Exception {
        DatabaseOptions o = db.options();
        // one read connection with room for one waiting read
        PostgresDatabase small = PostgresDatabase.open(
                db.vertx(),
                new DatabaseOptions(o.host(), o.port(), o.database(), o.user(), o.password(), 1, 1, 1, o.role()));
        try {
            PostgresSubscriberRegistry tight = new PostgresSubscriberRegistry(small.reads());
            PostgresPolicyStore policy = new PostgresPolicyStore(db.vertx(), small.pool(), small.reads());
            // the one connection open first: while it connects, every read but one waits in the queue
            // or is refused, and a slow connect (a busy machine) left the rest room in the pipeline
            small.reads().query("SELECT 1").execute().await(10, TimeUnit.SECONDS);
            // then a slow read: the pipelined reads sent after it wait behind it, so the burst fills the
            // pipeline (256) and the queue, and the policy reads at its end are refused, whatever the pace
            Future<?> slow = small.reads().query("SELECT pg_sleep(2)").execute();
            List<Future<?>> reads = new ArrayList<>();
            List<Future<?>> policyReads = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                reads.add(tight.byMsisdn(Msisdn.of("84912345678")));
                reads.add(new PostgresPopulationDirectory(small.reads()).find(ID, Topic.BASIC));
            }
            for (int i = 0; i < 50; i++) {
                policyReads.add(policy.lockedOutUntil("number-queued"));
                policyReads.add(policy.isLocked("record-queued"));
            }
            reads.addAll(policyReads);
            reads.add(slow);
            Future.join(reads).otherwiseEmpty().await(20, TimeUnit.SECONDS);
            List<Throwable> refused =
                    reads.stream().filter(Future::failed).map(Future::cause).toList();
            assertFalse(refused.isEmpty(), "four hundred reads at once past a pipeline of 256 and a queue of one");
            assertTrue(policyReads.stream().anyMatch(Future::failed), "the lockout and lock reads queue there too");
            assertTrue(
                    refused.stream().allMatch(e -> e instanceof Overloaded),
                    refused.get(0).toString());
        } finally {
            small.close().await(5, TimeUnit.SECONDS);
        }
    }
}
