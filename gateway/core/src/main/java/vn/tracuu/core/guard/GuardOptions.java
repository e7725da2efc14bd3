package vn.tracuu.core.guard;

import java.time.Duration;
import vn.tracuu.core.domain.InvalidOption;

/**
 * The limits of one guarded back-end, from {@code population.guard} or {@code subscribers.guard}:
 * its quota, how long a request may wait for it, how many calls may run at once, how long one
 * may take, when the circuit opens and for how long, how transient failures are retried, and how
 * long after start slow calls do not count against the circuit (a cold JVM's first calls are slow).
 */
public record GuardOptions(
        int permitsPerSecond,
        Duration maxWait,
        int maxConcurrent,
        Duration callTimeout,
        int failureRatePercent,
        Duration slowCallThreshold,
        int slowCallRatePercent,
        int minimumCalls,
        Duration openDuration,
        int maxRetries,
        Duration retryBackoff,
        Duration warmUp) {

    public static final int DEFAULT_PERMITS_PER_SECOND = 1000;
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_CONCURRENT = 64;
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_FAILURE_RATE_PERCENT = 50;
    public static final Duration DEFAULT_SLOW_CALL_THRESHOLD = Duration.ofMillis(800);
    public static final int DEFAULT_SLOW_CALL_RATE_PERCENT = 80;
    public static final int DEFAULT_MINIMUM_CALLS = 20;
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_RETRIES = 2;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(30);

    public GuardOptions {
        InvalidOption.inRange("permitsPerSecond", permitsPerSecond, 1, 1_000_000);
        InvalidOption.inRange("maxConcurrent", maxConcurrent, 1, 100_000);
        InvalidOption.inRange("failureRatePercent", failureRatePercent, 1, 100);
        InvalidOption.inRange("slowCallRatePercent", slowCallRatePercent, 1, 100);
        InvalidOption.inRange("minimumCalls", minimumCalls, 1, 100_000);
        InvalidOption.inRange("maxRetries", maxRetries, 0, 10);
    }

    public static GuardOptions defaults() {
        return new GuardOptions(
                DEFAULT_PERMITS_PER_SECOND,
                DEFAULT_MAX_WAIT,
                DEFAULT_MAX_CONCURRENT,
                DEFAULT_CALL_TIMEOUT,
                DEFAULT_FAILURE_RATE_PERCENT,
                DEFAULT_SLOW_CALL_THRESHOLD,
                DEFAULT_SLOW_CALL_RATE_PERCENT,
                DEFAULT_MINIMUM_CALLS,
                DEFAULT_OPEN_DURATION,
                DEFAULT_MAX_RETRIES,
                DEFAULT_RETRY_BACKOFF,
                DEFAULT_WARM_UP);
    }
}
