package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.port.out.RequestStore;

/**
 * Finds accepted requests that nobody answered (a crash, a restart, a reply that could not be
 * stored, on any node), claims them for this node with a lease, and hands them to be decided
 * again, one at a time: at start, then every {@code recovery-interval}.
 */
final class RecoveryScan {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryScan.class);

    private final Vertx vertx;
    private final LookupOptions options;
    private final RequestStore requests;
    private final Function<AcceptedRequest, Future<Void>> decideAgain;
    private long timer = -1;

    RecoveryScan(
            Vertx vertx,
            LookupOptions options,
            RequestStore requests,
            Function<AcceptedRequest, Future<Void>> decideAgain) {
        this.vertx = vertx;
        this.options = options;
        this.requests = requests;
        this.decideAgain = decideAgain;
    }

    void start() {
        scan();
        // a random phase, so the scan does not fall on the same instant as the outbox's every time
        long interval = options.recoveryInterval().toMillis();
        timer = vertx.setPeriodic(1 + ThreadLocalRandom.current().nextLong(interval), interval, id -> scan());
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void scan() {
        requests.claimUnanswered(
                        options.nodeId(), options.recoveryGrace(), options.recoveryBatch(), options.recoveryLease())
                .onSuccess(this::decideInTurn)
                .onFailure(err -> LOG.warn("recovery scan failed: {}", err.toString()));
    }

    private void decideInTurn(List<AcceptedRequest> claimed) {
        if (!claimed.isEmpty()) {
            LOG.info("recovering {} accepted request(s) without a reply", claimed.size());
        }
        // one at a time: when the database is short of connections, a backlog retried all at once
        // would fail all at once again
        Future<Void> chain = Future.succeededFuture();
        for (AcceptedRequest r : claimed) {
            chain = chain.eventually(() -> decideAgain.apply(r));
        }
    }
}
