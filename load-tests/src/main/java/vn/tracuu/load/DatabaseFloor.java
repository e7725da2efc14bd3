package vn.tracuu.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.domain.Topic;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.domain.audit.Outcome;
import vn.tracuu.core.domain.audit.Pseudonym;
import vn.tracuu.core.outbox.OutboxOptions;
import vn.tracuu.core.port.out.Answer;
import vn.tracuu.core.port.out.PolicyStore.Limit;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.PostgresDatabase;
import vn.tracuu.postgres.PostgresPolicyStore;
import vn.tracuu.postgres.PostgresPopulationDirectory;
import vn.tracuu.postgres.PostgresRequestStore;
import vn.tracuu.postgres.PostgresSubscriberRegistry;

/**
 * The database floor: for each request of the gateway's mix, the statements the gateway issues
 * for that kind of request — and only those — through the same adapters, group commits and pool
 * size, in a closed loop with no SMPP and no decision logic. A lookup: lockout and registry
 * reads, the limit counters with the record-lock read, population read, then the request with its
 * reply and audit entry in one statement, sent mark. A help request: the request with its reply,
 * sent mark. An unverified number: the two reads, the counters, the request with its reply, sent
 * mark. A mismatched ID (whose request is stored first, as the mismatch is keyed by it): accept,
 * the two reads, the counters, the mismatch, reply with its audit entry, sent mark. Counter keys and audit pseudonyms are HMACs of each number and ID, as
 * the gateway's, so the indexes see as many keys as in its runs. The gateway does all of this and
 * more per request (SMPP, the decision, the reply's segments), so it can come near the floor but
 * not above it, short of noise. Returns completed requests per second. Like a fresh reply in the
 * gateway, the reply is stored already claimed: the outbox's claim statement is only for replies
 * that had to wait.
 */
final class DatabaseFloor {

    private DatabaseFloor() {}

    private static final Duration VALIDITY = Duration.ofMinutes(1);

    /** The numbers and the mix of a run, and the seed of its sequence. */
    record Traffic(List<LoadRun.Number> verified, List<LoadRun.Number> unverified, LoadRun.Mix mix, long seed) {}

    /**
     * Runs for {@code warmup}, like the gateway's runs (a floor measured on cold caches and before
     * the JIT came out below the gateway itself), then counts what completes in {@code duration}.
     */
    static Future<Double> measure(
            Vertx vertx, DatabaseOptions db, Traffic traffic, int concurrency, Duration warmup, Duration duration) {
        PostgresDatabase database = PostgresDatabase.open(vertx, db);
        Floor floor = new Floor(vertx, database, traffic);
        return ClosedLoop.perSecond(vertx, concurrency, warmup, duration, floor::next)
                .eventually(database::close);
    }

    private static final class Floor {

        private final PostgresRequestStore requests;
        private final PostgresSubscriberRegistry registry;
        private final PostgresPopulationDirectory population;
        private final PostgresPolicyStore policy;
        private final Traffic traffic;
        private final Random random;
        private final Pseudonymizer pseudonyms;
        private int nextVerified;
        private int nextUnverified;

        Floor(Vertx vertx, PostgresDatabase database, Traffic traffic) {
            this.requests = new PostgresRequestStore(vertx, database.pool(), OutboxOptions.DEFAULT_SENT_MARK_LINGER);
            this.registry = new PostgresSubscriberRegistry(database.reads());
            this.population = new PostgresPopulationDirectory(database.reads());
            this.policy = new PostgresPolicyStore(vertx, database.pool(), database.reads());
            this.traffic = traffic;
            this.random = new Random(traffic.seed());
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            Pseudonymizer.Key key = new Pseudonymizer.Key("floor", secret);
            this.pseudonyms = new Pseudonymizer(key, key);
        }

        /** The next request of the mix, shared out as LoadRun shares out the gateway's. */
        Future<Integer> next() {
            LoadRun.Mix mix = traffic.mix();
            int roll = random.nextInt(100);
            if (roll < mix.unverified() && !traffic.unverified().isEmpty()) {
                LoadRun.Number n = traffic.unverified()
                        .get(nextUnverified++ % traffic.unverified().size());
                return refused(n, "TC", false);
            }
            LoadRun.Number n =
                    traffic.verified().get(nextVerified++ % traffic.verified().size());
            if (roll < mix.unverified() + mix.help()) {
                return help(n);
            }
            if (roll < mix.unverified() + mix.help() + mix.mismatches()) {
                return refused(n, "TC 0000", true);
            }
            return lookup(n);
        }

        private InboundMessage message(LoadRun.Number n, String text) {
            return new InboundMessage(
                    "viettel", "floor", Channel.SMS, Msisdn.of(n.msisdn()), "8088", text, Instant.now());
        }

        private AuditEntry audit(long requestId, String command, Outcome outcome, Pseudonym msisdn, Pseudonym id) {
            return new AuditEntry(
                    requestId,
                    Instant.now(),
                    "viettel",
                    "floor",
                    Channel.SMS,
                    command,
                    "",
                    outcome,
                    "",
                    1,
                    msisdn,
                    id,
                    "floor");
        }

        /** The reply with its audit entry, then its sent mark, as the outbox sends a fresh reply. */
        private Future<Integer> answer(AcceptedRequest r, AuditEntry entry) {
            return requests.reply(r, "floor", VALIDITY, VALIDITY, entry)
                    // a reply does not wait for its mark, which lingers for company
                    .onSuccess(v -> requests.markSent(r.id(), List.of("floor-" + r.id())))
                    .map(1);
        }

        /** The request stored with its reply and audit entry, then its sent mark, as a quick lookup is. */
        private Future<Integer> answerWithAccept(InboundMessage m, AuditEntry entry) {
            return requests.acceptAnswered(
                            m,
                            null,
                            Duration.ZERO,
                            Future.succeededFuture(new Answer("floor", VALIDITY, VALIDITY, entry)))
                    .onSuccess(a -> requests.markSent(
                            a.request().id(), List.of("floor-" + a.request().id())))
                    .map(1);
        }

        private List<Limit> senderLimits(Pseudonym sender, Instant hour) {
            return List.of(
                    new Limit(sender.value(), hour, Integer.MAX_VALUE),
                    new Limit(sender.value() + ":day", hour, Integer.MAX_VALUE),
                    new Limit("floor-operator", hour, Integer.MAX_VALUE));
        }

        private Future<Integer> help(LoadRun.Number n) {
            return answerWithAccept(message(n, "HD"), audit(0, "HD", Outcome.HELP, Pseudonym.NONE, Pseudonym.NONE));
        }

        private Future<Integer> refused(LoadRun.Number n, String text, boolean mismatch) {
            InboundMessage m = message(n, text);
            Pseudonym sender = pseudonyms.msisdn(m.sender());
            Instant hour = m.receivedAt().truncatedTo(ChronoUnit.HOURS);
            if (!mismatch) {
                return Future.all(policy.lockedOutUntil(sender.value()), registry.byMsisdn(m.sender()))
                        .compose(both -> policy.count(senderLimits(sender, hour)))
                        .compose(
                                within -> answerWithAccept(m, audit(0, "TC", Outcome.REFUSED, sender, Pseudonym.NONE)));
            }
            return requests.accept(m)
                    .compose(r -> Future.all(policy.lockedOutUntil(sender.value()), registry.byMsisdn(m.sender()))
                            .compose(both -> policy.count(senderLimits(sender, hour)))
                            .compose(within -> policy.recordMismatch(
                                    r.id(),
                                    sender.value(),
                                    Integer.MAX_VALUE,
                                    Duration.ofHours(1),
                                    Duration.ofMinutes(15)))
                            .compose(v -> answer(r, audit(r.id(), "TC", Outcome.REFUSED, sender, Pseudonym.NONE))));
        }

        private Future<Integer> lookup(LoadRun.Number n) {
            InboundMessage m = message(n, "TC");
            Pseudonym sender = pseudonyms.msisdn(m.sender());
            Instant hour = m.receivedAt().truncatedTo(ChronoUnit.HOURS);
            return Future.all(policy.lockedOutUntil(sender.value()), registry.byMsisdn(m.sender()))
                    .compose(both -> {
                        SubscriberBinding b =
                                both.<Optional<SubscriberBinding>>resultAt(1).orElseThrow();
                        Pseudonym id = pseudonyms.id(b.personalId());
                        List<Limit> limits = new ArrayList<>(senderLimits(sender, hour));
                        limits.add(new Limit(id.value(), hour, Integer.MAX_VALUE));
                        return policy.countAndCheckLock(limits, id.value())
                                .compose(check -> population.find(b.personalId(), Topic.BASIC))
                                .compose(rec -> answerWithAccept(m, audit(0, "TC", Outcome.ANSWERED, sender, id)));
                    });
        }
    }

    /** Marks the floor's replies sent, so the gateway measured next does not deliver them. */
    static void forgetReplies(DatabaseOptions login) throws java.sql.SQLException {
        JdbcStatements.execute(
                login,
                "UPDATE gateway.reply SET state = 'sent', body = NULL WHERE state = 'pending' "
                        + "AND request_id IN (SELECT id FROM gateway.request WHERE bind_id = 'floor')");
    }
}
