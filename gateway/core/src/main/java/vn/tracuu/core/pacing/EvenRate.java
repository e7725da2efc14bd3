package vn.tracuu.core.pacing;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;

/**
 * A rate as evenly spaced permits: one every 1/N s rather than N at the top of each second, so no
 * second ever sees more than N. Callers use {@code reservePermission()} and wait on a Vert.x
 * timer, or {@code acquirePermission()} with a zero {@code maxWait} to refuse at once; never the
 * blocking wait.
 */
public final class EvenRate {

    private EvenRate() {}

    public static RateLimiter of(String name, int perSecond, Duration maxWait) {
        return RateLimiter.of(
                name,
                RateLimiterConfig.custom()
                        .limitForPeriod(1)
                        .limitRefreshPeriod(Duration.ofNanos(1_000_000_000L / perSecond))
                        .timeoutDuration(maxWait)
                        .build());
    }
}
