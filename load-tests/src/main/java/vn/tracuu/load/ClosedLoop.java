package vn.tracuu.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Keeps {@code concurrency} operations in flight, each started as the one before it ends, for a
 * warm-up and then a measured span, with no SMPP: the floors and references measured straight
 * against PostgreSQL. A failed operation counts nothing and the loop goes on.
 */
final class ClosedLoop {

    private ClosedLoop() {}

    /**
     * Units completed per second of the measured span; {@code operation} answers how many units it
     * completed (a lookup, or the rows of one commit).
     */
    static Future<Double> perSecond(
            Vertx vertx, int concurrency, Duration warmup, Duration duration, Supplier<Future<Integer>> operation) {
        long measured = System.nanoTime() + warmup.toNanos();
        long end = measured + duration.toNanos();
        long[] done = {0};
        int[] running = {concurrency};
        Promise<Double> result = Promise.promise();
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> {
            if (System.nanoTime() >= end) {
                if (--running[0] == 0) {
                    result.complete(done[0] / ((System.nanoTime() - measured) / 1e9));
                }
                return;
            }
            operation.get().onComplete(units -> {
                if (units.succeeded() && System.nanoTime() >= measured) {
                    done[0] += units.result();
                }
                loop[0].run();
            });
        };
        vertx.runOnContext(v -> {
            for (int i = 0; i < concurrency; i++) {
                loop[0].run();
            }
        });
        return result.future();
    }
}
