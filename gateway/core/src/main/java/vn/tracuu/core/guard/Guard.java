package vn.tracuu.core.guard;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.TransientFailure;

/**
 * Keeps the gateway a good citizen of someone else's back-end, without blocking an event loop:
 * circuit breaker, then the quota (resilience4j {@code reservePermission()} and a Vert.x timer,
 * never its parking wait), then the bulkhead, then a per-call timeout; transient failures are
 * retried with jittered backoff (or the back-end's Retry-After) while the request's wait budget
 * lasts. Whatever is refused fails at once with {@link GuardRejected}, which the lookup turns
 * into "busy, try later".
 */
public final class Guard {

    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

    private final Vertx vertx;
    private final String name;
    private final GuardOptions options;
    private final RateLimiter quota;
    private final Bulkhead bulkhead;
    private final CircuitBreaker circuit;
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder rejectedByCircuit = new LongAdder();
    private final LongAdder rejectedByQuota = new LongAdder();
    private final LongAdder rejectedByBulkhead = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final long warmUntil;
    private final LongSupplier nanoTime;
    private final boolean foreign;

    public Guard(Vertx vertx, String name, GuardOptions options) {
        this(vertx, name, options, true);
    }

    /**
     * {@code foreign} false: a back-end that is the gateway's own database, with no circuit, no
     * quota and no bulkhead (its calls are still counted and timed out). When it fails, the
     * requests fail at the door (not stored, the operator sends them again) and those under way are
     * decided again once it is back, so an open circuit protects no one and only answers "busy" for
     * its whole open period after the database has recovered, or while a cold gateway's first calls
     * are slow. A quota and a bulkhead spare someone else's system; the gateway's own database is
     * bounded by its pool's wait queue instead, and there they only turned a node's own lookups
     * "busy": a lookup with its notices reads the registry twice, so 1,000 texts a second made
     * 1,650 registry calls against the 1,000 a second quota, and the 400 texts a closed loop sends
     * at once met a bulkhead of 64.
     */
    public Guard(Vertx vertx, String name, GuardOptions options, boolean foreign) {
        this(vertx, name, options, foreign, System::nanoTime);
    }

    /** {@code nanoTime}: the clock calls are timed by, and the warm-up measured with. */
    Guard(Vertx vertx, String name, GuardOptions options, boolean foreign, LongSupplier nanoTime) {
        this.vertx = vertx;
        this.foreign = foreign;
        this.nanoTime = nanoTime;
        this.warmUntil = nanoTime.getAsLong() + options.warmUp().toNanos();
        this.name = name;
        this.options = options;
        // one permit every 1/N s rather than N at the top of each second: a burst of lookups is
        // spread, not let through at once onto a back-end that allows N a second
        this.quota = RateLimiter.of(
                name,
                RateLimiterConfig.custom()
                        .limitForPeriod(1)
                        .limitRefreshPeriod(Duration.ofNanos(1_000_000_000L / options.permitsPerSecond()))
                        .timeoutDuration(options.maxWait())
                        .build());
        this.bulkhead = Bulkhead.of(
                name,
                BulkheadConfig.custom()
                        .maxConcurrentCalls(options.maxConcurrent())
                        .maxWaitDuration(Duration.ZERO)
                        .build());
        this.circuit = CircuitBreaker.of(
                name,
                CircuitBreakerConfig.custom()
                        .failureRateThreshold(options.failureRatePercent())
                        .slowCallDurationThreshold(options.slowCallThreshold())
                        .slowCallRateThreshold(options.slowCallRatePercent())
                        .minimumNumberOfCalls(options.minimumCalls())
                        .slidingWindowSize(Math.max(options.minimumCalls(), 10))
                        .waitDurationInOpenState(options.openDuration())
                        .permittedNumberOfCallsInHalfOpenState(Math.max(1, options.minimumCalls() / 4))
                        // its own refusals and the gateway's full queues say nothing of the back-end; a timeout does
                        .recordException(e -> e instanceof GuardRejected rejected
                                ? rejected.kind() == GuardRejected.Kind.TIMEOUT
                                : !(e instanceof Overloaded))
                        .build());
        if (!foreign) {
            circuit.transitionToDisabledState();
            LOG.info("guard {}: no circuit breaker, quota or bulkhead (the gateway's own database)", name);
        }
        circuit.getEventPublisher()
                .onStateTransition(e -> LOG.warn("guard {}: circuit {}", name, e.getStateTransition()));
    }

    /** Runs {@code call} under the guard; {@code call} must be an idempotent read, it may run more than once. */
    public <T> Future<T> call(Supplier<Future<T>> call) {
        return attempt(call, System.nanoTime() + options.maxWait().toNanos(), 0);
    }

    private <T> Future<T> attempt(Supplier<Future<T>> call, long deadline, int retries) {
        if (!circuit.tryAcquirePermission()) {
            rejectedByCircuit.increment();
            return Future.failedFuture(new GuardRejected(GuardRejected.Kind.CIRCUIT_OPEN, "circuit open for " + name));
        }
        long waitNanos = foreign ? quota.reservePermission() : 0;
        long budget = deadline - System.nanoTime();
        if (waitNanos < 0 || waitNanos > budget) {
            circuit.releasePermission();
            rejectedByQuota.increment();
            return Future.failedFuture(
                    new GuardRejected(GuardRejected.Kind.QUOTA, "quota of " + name + " exhausted for the wait budget"));
        }
        Future<Void> waited =
                waitNanos == 0 ? Future.succeededFuture() : timer(TimeUnit.NANOSECONDS.toMillis(waitNanos) + 1);
        return waited.compose(v -> run(call)).recover(err -> {
            if (err instanceof TransientFailure transientFailure && retries < options.maxRetries()) {
                long delay =
                        transientFailure.retryAfter().map(Duration::toMillis).orElse(backoff(retries));
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) < deadline) {
                    retried.increment();
                    return timer(delay).compose(x -> attempt(call, deadline, retries + 1));
                }
            }
            return Future.failedFuture(err);
        });
    }

    private <T> Future<T> run(Supplier<Future<T>> call) {
        if (foreign && !bulkhead.tryAcquirePermission()) {
            circuit.releasePermission();
            rejectedByBulkhead.increment();
            return Future.failedFuture(
                    new GuardRejected(GuardRejected.Kind.BULKHEAD, "too many concurrent calls to " + name));
        }
        long started = nanoTime.getAsLong();
        Promise<T> result = Promise.promise();
        long timer = vertx.setTimer(options.callTimeout().toMillis(), id -> {
            // counted first: failing the promise runs the caller's continuation at once
            timedOut.increment();
            if (!result.tryFail(new GuardRejected(
                    GuardRejected.Kind.TIMEOUT, "timeout after " + options.callTimeout() + " calling " + name))) {
                timedOut.decrement();
            }
        });
        Future<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            future = Future.failedFuture(e);
        }
        future.onComplete(done -> {
            vertx.cancelTimer(timer);
            if (done.succeeded()) {
                result.tryComplete(done.result());
            } else {
                result.tryFail(done.cause());
            }
        });
        return result.future().andThen(done -> {
            if (foreign) {
                bulkhead.onComplete();
            }
            long now = nanoTime.getAsLong();
            long elapsed = now - started;
            if (done.succeeded()) {
                succeeded.increment();
                // while this JVM warms up, a slow answer is an answer: cold code and fresh connections,
                // not the back-end (a failure or a timeout still counts)
                circuit.onSuccess(now - warmUntil < 0 ? 0 : elapsed, TimeUnit.NANOSECONDS);
            } else {
                failed.increment();
                circuit.onError(elapsed, TimeUnit.NANOSECONDS, done.cause());
            }
        });
    }

    private long backoff(int retries) {
        long base = options.retryBackoff().toMillis() << retries;
        return base / 2 + ThreadLocalRandom.current().nextLong(base + 1);
    }

    private Future<Void> timer(long millis) {
        Promise<Void> done = Promise.promise();
        vertx.setTimer(Math.max(1, millis), id -> done.complete());
        return done.future();
    }

    public String name() {
        return name;
    }

    public GuardSnapshot snapshot() {
        return new GuardSnapshot(
                name,
                circuit.getState().name(),
                succeeded.sum(),
                failed.sum(),
                rejectedByCircuit.sum(),
                rejectedByQuota.sum(),
                rejectedByBulkhead.sum(),
                timedOut.sum(),
                retried.sum(),
                options.maxConcurrent() - bulkhead.getMetrics().getAvailableConcurrentCalls());
    }
}
