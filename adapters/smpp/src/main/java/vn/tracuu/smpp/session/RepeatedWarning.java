package vn.tracuu.smpp.session;

import java.util.function.LongSupplier;

/**
 * A failure that repeats for every message while it lasts (the store down, the receipts' queue
 * full) gets one log line a second at most, saying how many it covers, not a line each: a line
 * per message would flood the log just when it is read. Not thread-safe: one bind's context.
 */
final class RepeatedWarning {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final LongSupplier nanoTime;
    private long count;
    private long lastLine;

    RepeatedWarning() {
        this(System::nanoTime);
    }

    /** {@code nanoTime}: the clock the second between lines is measured by. */
    RepeatedWarning(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.lastLine = nanoTime.getAsLong() - INTERVAL_NANOS;
    }

    /** Counts one failure; returns how many the line due now covers, or 0 when no line is due. */
    long count() {
        count++;
        long now = nanoTime.getAsLong();
        if (now - lastLine < INTERVAL_NANOS) {
            return 0;
        }
        lastLine = now;
        long covered = count;
        count = 0;
        return covered;
    }
}
