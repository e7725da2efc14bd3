package vn.tracuu.smpp.session;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;

/**
 * An operator's throughput cap as evenly spaced permits, one every 1/N s: an SMSC counts its
 * window per second from its own clock, so N at the top of each of our seconds could be N+N in
 * one of its seconds. Callers use {@code reservePermission()} and wait on a Vert.x timer, or
 * {@code acquirePermission()} with a zero {@code maxWait} to refuse at once; never the blocking wait.
 */
final class OperatorRate {

    private OperatorRate() {}

    static RateLimiter of(String name, int perSecond, Duration maxWait) {
        return RateLimiter.of(
                name,
                RateLimiterConfig.custom()
                        .limitForPeriod(1)
                        .limitRefreshPeriod(Duration.ofNanos(1_000_000_000L / perSecond))
                        .timeoutDuration(maxWait)
                        .build());
    }
}
