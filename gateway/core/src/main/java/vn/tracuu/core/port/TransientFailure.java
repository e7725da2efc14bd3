package vn.tracuu.core.port;

import java.time.Duration;
import java.util.Optional;

/**
 * A back-end failure worth one more try of an idempotent read: connection refused, 503, 429.
 * {@code retryAfter} is the back-end's own hint (HTTP Retry-After), when it gave one.
 */
public final class TransientFailure extends RuntimeException {

    private final Duration retryAfter;

    public TransientFailure(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
