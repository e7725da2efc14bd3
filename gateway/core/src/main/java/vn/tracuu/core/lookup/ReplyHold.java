package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Holds an answer until at least {@code minimum} plus a random part of {@code jitter} after its
 * request arrived, so a refusal, which needs no population read, is not told apart by its speed.
 * On a Vert.x timer: nothing waits on a thread.
 */
public record ReplyHold(Duration minimum, Duration jitter) {

    /** Completes once the hold after {@code received} has passed by {@code clock} (at once if it has already). */
    public Future<Void> after(Vertx vertx, Clock clock, Instant received) {
        long jitterMs = jitter.toMillis();
        Instant until = received.plus(minimum)
                .plusMillis(jitterMs > 0 ? ThreadLocalRandom.current().nextLong(jitterMs + 1) : 0);
        long wait = Duration.between(clock.instant(), until).toMillis();
        return wait <= 0 ? Future.succeededFuture() : vertx.timer(wait).mapEmpty();
    }
}
