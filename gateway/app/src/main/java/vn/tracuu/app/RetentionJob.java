package vn.tracuu.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.app.admin.GatewayMetrics;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.PostgresRequestRetention;
import vn.tracuu.postgres.audit.AuditAnchors;
import vn.tracuu.postgres.audit.AuditPurge;

/**
 * The gateway's own retention, run hourly: answered requests, and their replies once sent or
 * expired, past {@code policy.request-retention} (lookup notices too), in batches of {@link #BATCH} with a short pause
 * between them so the request path never waits behind a long delete, one node at a time across a
 * cluster (the statement's advisory lock); then audit entries past {@code policy.audit-retention},
 * in batches of {@link AuditPurge#DEFAULT_BATCH}, anchored first so the chain stays verifiable
 * (blocking JDBC, on a worker). Cutoffs come from the injected clock.
 */
final class RetentionJob {

    static final int BATCH = 1_000;
    private static final Duration PAUSE = Duration.ofMillis(50);
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    private final Vertx vertx;
    private final PostgresRequestRetention requests;
    private final Duration retention;
    private final Clock clock;
    private final GatewayMetrics metrics;

    private final DatabaseOptions login;
    private final AuditAnchors anchors;
    private final Duration auditRetention;

    RetentionJob(
            Vertx vertx,
            PostgresRequestRetention requests,
            Duration retention,
            DatabaseOptions login,
            AuditAnchors anchors,
            Duration auditRetention,
            Clock clock,
            GatewayMetrics metrics) {
        this.vertx = vertx;
        this.requests = requests;
        this.retention = retention;
        this.login = login;
        this.anchors = anchors;
        this.auditRetention = auditRetention;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** One pass over requests, lookup notices, then the audit; a part that fails leaves the next to run. */
    Future<Void> run() {
        return requests().transform(r -> notices()).transform(n -> audit()).mapEmpty();
    }

    /** Requests: batches until one removes less than a full batch. */
    Future<Long> requests() {
        return inBatches("request", requests::purgeAnswered);
    }

    /** Lookup notices sent or expired, kept as long as requests. */
    Future<Long> notices() {
        return inBatches("notice", requests::purgeNotices);
    }

    private Future<Long> inBatches(String table, BiFunction<Instant, Integer, Future<Integer>> purge) {
        Instant cutoff = clock.instant().minus(retention);
        return reported(table, cutoff, batches(purge, cutoff, 0));
    }

    /** Audit entries, on a worker: the purge is blocking JDBC as the database login. */
    Future<Long> audit() {
        Instant cutoff = clock.instant().minus(auditRetention);
        return reported(
                "audit",
                cutoff,
                vertx.executeBlocking(() -> AuditPurge.purge(login, anchors, cutoff, AuditPurge.DEFAULT_BATCH), false));
    }

    /** Counts what a part removed and says so; a failure is a warning, the next pass tries again. */
    private Future<Long> reported(String table, Instant cutoff, Future<Long> removed) {
        return removed.onComplete(done -> {
            if (done.succeeded()) {
                metrics.retained(table, done.result(), clock.instant());
                if (done.result() > 0) {
                    LOG.info("retention: removed {} {} row(s) older than {}", done.result(), table, cutoff);
                }
            } else {
                LOG.warn(
                        "retention: {} rows not removed: {}",
                        table,
                        done.cause().toString());
            }
        });
    }

    private Future<Long> batches(BiFunction<Instant, Integer, Future<Integer>> purge, Instant cutoff, long sofar) {
        return purge.apply(cutoff, BATCH)
                .compose(removed -> removed < BATCH
                        ? Future.succeededFuture(sofar + removed)
                        : vertx.timer(PAUSE.toMillis()).compose(v -> batches(purge, cutoff, sofar + removed)));
    }
}
