package vn.tracuu.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.domain.Topic;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.domain.audit.Outcome;
import vn.tracuu.core.domain.audit.Pseudonym;
import vn.tracuu.core.outbox.OutboxOptions;
import vn.tracuu.core.port.out.PolicyStore.Limit;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.PostgresDatabase;
import vn.tracuu.postgres.PostgresPolicyStore;
import vn.tracuu.postgres.PostgresPopulationDirectory;
import vn.tracuu.postgres.PostgresRequestStore;
import vn.tracuu.postgres.PostgresSubscriberRegistry;

/**
 * The database floor: the statements the gateway issues for one answered lookup — accept, lockout
 * and registry reads, record-lock read, the limit counters, population read, reply with its audit entry,
 * sent mark — through the same adapters, group commit and pool size, in a closed loop with no
 * SMPP. Returns completed requests per second. Like a fresh reply in the gateway, the reply is
 * stored already claimed: the outbox's claim statement is only for replies that had to wait.
 */
final class DatabaseFloor {

    private DatabaseFloor() {}

    /**
     * Runs for {@code warmup}, like the gateway's runs (a floor measured on cold caches and before
     * the JIT came out below the gateway itself), then counts what completes in {@code duration}.
     */
    static Future<Double> measure(
            Vertx vertx,
            DatabaseOptions db,
            List<LoadRun.Number> numbers,
            int concurrency,
            Duration warmup,
            Duration duration) {
        PostgresDatabase database = PostgresDatabase.open(vertx, db);
        PostgresRequestStore requests =
                new PostgresRequestStore(vertx, database.pool(), OutboxOptions.DEFAULT_SENT_MARK_LINGER);
        PostgresSubscriberRegistry registry = new PostgresSubscriberRegistry(database.reads());
        PostgresPopulationDirectory population = new PostgresPopulationDirectory(database.reads());
        PostgresPolicyStore policy = new PostgresPolicyStore(vertx, database.pool(), database.reads());
        int[] next = {0};
        return ClosedLoop.perSecond(vertx, concurrency, warmup, duration, () -> {
                    LoadRun.Number n = numbers.get(next[0]++ % numbers.size());
                    Msisdn msisdn = Msisdn.of(n.msisdn());
                    InboundMessage m =
                            new InboundMessage("viettel", "floor", Channel.SMS, msisdn, "8088", "TC", Instant.now());
                    String number = "floor-number:" + n.msisdn();
                    String record = "floor-record:" + n.msisdn();
                    Instant hour = m.receivedAt().truncatedTo(ChronoUnit.HOURS);
                    List<Limit> limits = List.of(
                            new Limit(number, hour, Integer.MAX_VALUE),
                            new Limit(number + ":day", hour, Integer.MAX_VALUE),
                            new Limit("floor-operator", hour, Integer.MAX_VALUE),
                            new Limit(record, hour, Integer.MAX_VALUE));
                    return requests.accept(m)
                            .compose(r -> Future.all(policy.lockedOutUntil(number), registry.byMsisdn(msisdn))
                                    .compose(both -> policy.countAndCheckLock(limits, record)
                                            .map(check -> both.<Optional<SubscriberBinding>>resultAt(1)
                                                    .orElseThrow()))
                                    .compose(b -> population.find(b.personalId(), Topic.BASIC))
                                    .compose(rec -> requests.reply(
                                            r,
                                            "floor",
                                            Duration.ofMinutes(1),
                                            Duration.ofMinutes(1),
                                            new AuditEntry(
                                                    r.id(),
                                                    Instant.now(),
                                                    "viettel",
                                                    "floor",
                                                    Channel.SMS,
                                                    "TC",
                                                    "",
                                                    Outcome.ANSWERED,
                                                    "",
                                                    1,
                                                    new Pseudonym("k", "floor"),
                                                    new Pseudonym("k", "floor"),
                                                    "floor")))
                                    // sent as the gateway's outbox sends it: a reply does not wait for its mark, which
                                    // lingers for company
                                    .onSuccess(v -> requests.markSent(r.id(), List.of("floor-" + r.id()))))
                            .map(1);
                })
                .eventually(database::close);
    }

    /** Marks the floor's replies sent, so the gateway measured next does not deliver them. */
    static void forgetReplies(DatabaseOptions login) throws java.sql.SQLException {
        JdbcStatements.execute(
                login,
                "UPDATE gateway.reply SET state = 'sent', body = NULL WHERE state = 'pending' "
                        + "AND request_id IN (SELECT id FROM gateway.request WHERE bind_id = 'floor')");
    }
}
