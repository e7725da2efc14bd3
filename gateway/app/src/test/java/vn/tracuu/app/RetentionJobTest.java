package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.BindType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.tracuu.app.admin.GatewayMetrics;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.PostgresDatabase;
import vn.tracuu.postgres.PostgresRequestRetention;
import vn.tracuu.postgres.audit.AuditAnchors;
import vn.tracuu.postgres.audit.AuditVerifier;
import vn.tracuu.simulators.PhoneSimulator;

/**
 * The hourly retention job against a gateway's real tables: what is younger than its retention
 * stays, what is older goes (request, reply and audit entry), and the audit chain still verifies.
 * The job's clock is moved forward instead of waiting months.
 */
class RetentionJobTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestGateway gateway;
    private static Vertx vertx;
    private static PostgresDatabase database;
    private static int next;

    @BeforeAll
    static void start() throws Exception {
        gateway = new TestGateway(200, TestGateway.RELAXED_POLICY, "");
        vertx = Vertx.vertx();
        database = PostgresDatabase.open(vertx, login());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            vertx.close().await(30, TimeUnit.SECONDS);
        } finally {
            gateway.close();
        }
    }

    private static DatabaseOptions login() {
        return gateway.database().options();
    }

    /** Texts one more citizen and waits until the reply is sent; returns the number. */
    private static String textAndAwaitTheSentReply() throws Exception {
        String msisdn = gateway.row(
                        "SELECT s.msisdn FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
                                + "WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = 'viettel' "
                                + "AND s.sim_changed_at < now() - interval '30 days' ORDER BY msisdn OFFSET ? LIMIT 1",
                        next++)
                .get(0);
        PhoneSimulator phone = gateway.phone("viettel", BindType.BIND_TRX);
        phone.send(msisdn, "8088", "TC NM");
        assertNotNull(phone.awaitReply(msisdn, WAIT), "the reply");
        await().atMost(WAIT).until(() -> "sent".equals(gateway.replyTo(msisdn, "state")));
        return msisdn;
    }

    private static RetentionJob jobAt(Instant now, GatewayMetrics metrics) {
        return new RetentionJob(
                vertx,
                new PostgresRequestRetention(database.pool()),
                gateway.config().retention().requests(),
                login(),
                new AuditAnchors(gateway.config().audit().anchorFile()),
                gateway.config().policy().auditRetention(),
                Clock.fixed(now, ZoneOffset.UTC),
                metrics);
    }

    private static long count(String table) throws Exception {
        return Long.parseLong(
                gateway.row("SELECT count(*) FROM gateway." + table).get(0));
    }

    @Test
    void aDayLaterNothingIsRemoved() throws Exception {
        String msisdn = textAndAwaitTheSentReply();
        long requests = count("request");
        long audit = count("audit");
        GatewayMetrics metrics = new GatewayMetrics("test", List::of, List::of);

        jobAt(Instant.now().plus(Duration.ofDays(1)), metrics).run().await(60, TimeUnit.SECONDS);

        assertEquals(1, gateway.requestsFrom(msisdn), "the request and its audit entry stay");
        assertEquals("sent", gateway.replyTo(msisdn, "state"), "and its reply");
        assertEquals(requests, count("request"));
        assertEquals(audit, count("audit"));
    }

    @Test
    void pastBothRetentionsTheRequestItsReplyAndItsAuditEntryAreGoneAndTheChainStillVerifies() throws Exception {
        textAndAwaitTheSentReply();
        textAndAwaitTheSentReply();
        // a lookup notice, sent: it goes with the requests' retention
        gateway.execute("INSERT INTO gateway.reply (request_id, operator_id, msisdn, short_code, body, state, "
                + "due_at, expires_at, notice) VALUES (nextval('gateway.request_id_seq'), 'viettel', '', '8088', NULL, "
                + "'sent', now(), now(), true)");
        long requests = count("request");
        long audit = count("audit");
        assertTrue(requests >= 2 && audit >= 2);
        GatewayMetrics metrics = new GatewayMetrics("test", List::of, List::of);
        // past request-retention (30 days) and audit-retention (180 days) by default
        Instant later =
                Instant.now().plus(gateway.config().policy().auditRetention()).plus(Duration.ofDays(1));

        jobAt(later, metrics).run().await(60, TimeUnit.SECONDS);

        assertEquals(0, count("request"), "answered requests past their retention are removed");
        assertEquals(0, count("reply"), "with their sent replies, and sent notices");
        assertEquals(0, count("audit"), "audit entries past their retention are removed");
        AuditVerifier.Result verified = AuditVerifier.verify(
                login(), List.of(new AuditAnchors(gateway.config().audit().anchorFile())));
        assertTrue(verified.intact(), verified.problem().orElse(""));
        String scrape = metrics.scrape();
        assertTrue(
                scrape.contains("tracuu_retention_removed_total{table=\"request\"} " + (double) requests)
                        || scrape.contains(
                                "tracuu_retention_removed_total{node=\"test\",table=\"request\"} " + (double) requests),
                scrape);

        textAndAwaitTheSentReply();
        assertEquals(1, count("audit"), "the gateway appends to the purged chain as before");
        AuditVerifier.Result after = AuditVerifier.verify(
                login(), List.of(new AuditAnchors(gateway.config().audit().anchorFile())));
        assertTrue(after.intact(), after.problem().orElse(""));
        assertEquals(1, after.checked());
    }
}
