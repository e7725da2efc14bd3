package vn.tracuu.core.outbox;

import java.time.Duration;
import java.util.Objects;
import vn.tracuu.core.domain.InvalidOption;

/**
 * Options of the outbox, from the {@code outbox} section of the YAML config: the sender's, and
 * {@code sentMarkLinger}, how long the request store lets a sent mark wait to share a commit.
 */
public record OutboxOptions(
        Duration scanInterval,
        Duration lease,
        int batchSize,
        Duration retryInitialDelay,
        Duration retryMaxDelay,
        Duration sentMarkLinger) {

    public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final int DEFAULT_BATCH_SIZE = 50;
    public static final Duration DEFAULT_RETRY_INITIAL_DELAY = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofMinutes(5);
    // no one waits for a sent mark: letting marks gather puts several in one commit, so the commits on
    // a reply's way meet fewer flushes (A/B in load-tests/FINDINGS.md)
    public static final Duration DEFAULT_SENT_MARK_LINGER = Duration.ofMillis(10);

    public OutboxOptions {
        InvalidOption.inRange("batchSize", batchSize, 1, 10_000);
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(sentMarkLinger, "sentMarkLinger");
        InvalidOption.require(
                sentMarkLinger.compareTo(lease) < 0,
                "sentMarkLinger",
                "must be shorter than {lease}, or a reply would be sent again before its sent mark commits");
        Objects.requireNonNull(scanInterval, "scanInterval");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(retryInitialDelay, "retryInitialDelay");
        Objects.requireNonNull(retryMaxDelay, "retryMaxDelay");
        Objects.requireNonNull(sentMarkLinger, "sentMarkLinger");
    }

    public static OutboxOptions defaults() {
        return new OutboxOptions(
                DEFAULT_SCAN_INTERVAL,
                DEFAULT_LEASE,
                DEFAULT_BATCH_SIZE,
                DEFAULT_RETRY_INITIAL_DELAY,
                DEFAULT_RETRY_MAX_DELAY,
                DEFAULT_SENT_MARK_LINGER);
    }

    /** Exponential backoff for a reply that already failed {@code attempts} times, capped. */
    Duration retryDelay(int attempts) {
        long factor = 1L << Math.min(Math.max(attempts, 0), 20);
        Duration delay = retryInitialDelay.multipliedBy(factor);
        return delay.compareTo(retryMaxDelay) > 0 ? retryMaxDelay : delay;
    }
}
