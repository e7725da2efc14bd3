package vn.tracuu.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.app.admin.GatewayMetrics;
import vn.tracuu.postgres.PostgresRequestStore;

/**
 * Removes answered requests, and their replies once sent or expired, past
 * {@code policy.request-retention}: in batches of {@link #BATCH}, a short pause between them so
 * the request path never waits behind a long delete, one node at a time across a cluster (the
 * statement's advisory lock). The cutoff is read from the injected clock.
 */
final class RequestRetention {

    static final int BATCH = 1_000;
    private static final Duration PAUSE = Duration.ofMillis(50);
    private static final Logger LOG = LoggerFactory.getLogger(RequestRetention.class);

    private final Vertx vertx;
    private final PostgresRequestStore requests;
    private final Duration retention;
    private final Clock clock;
    private final GatewayMetrics metrics;

    RequestRetention(
            Vertx vertx, PostgresRequestStore requests, Duration retention, Clock clock, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.requests = requests;
        this.retention = retention;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** One pass: batches until one removes less than a full batch; completes with the rows removed. */
    Future<Long> run() {
        Instant cutoff = clock.instant().minus(retention);
        return batches(cutoff, 0).onComplete(done -> {
            if (done.succeeded()) {
                metrics.retained("request", done.result(), clock.instant());
                if (done.result() > 0) {
                    LOG.info("retention: removed {} request(s) received before {}", done.result(), cutoff);
                }
            } else {
                LOG.warn("retention: requests not removed: {}", done.cause().toString());
            }
        });
    }

    private Future<Long> batches(Instant cutoff, long sofar) {
        return requests.purgeAnswered(cutoff, BATCH)
                .compose(removed -> removed < BATCH
                        ? Future.succeededFuture(sofar + removed)
                        : vertx.timer(PAUSE.toMillis()).compose(v -> batches(cutoff, sofar + removed)));
    }
}
