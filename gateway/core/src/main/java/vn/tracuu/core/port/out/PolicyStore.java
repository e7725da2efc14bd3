package vn.tracuu.core.port.out;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Policy state shared by every gateway node: record locks (KHOA), fixed-window counters for
 * the limits, and mismatch lockouts. Keys are pseudonyms, never plain identifiers.
 */
public interface PolicyStore {

    /** A counter to bump: its key, the start of its current window, and the most it may reach. */
    record Limit(String key, Instant windowStart, int max) {}

    /** Counts one use against each limit; true when every counter is still within its maximum. */
    Future<Boolean> count(List<Limit> limits);

    /**
     * Whether every counter is within its maximum, counting nothing: for a request decided again
     * (recovered), whose first decision already counted it. Deciding twice must not count twice.
     */
    Future<Boolean> within(List<Limit> limits);

    Future<Boolean> isLocked(String idPseudonym);

    /** What a lookup of a record learns before reading it: whether its limits hold, and whether the record is locked. */
    record RecordCheck(boolean withinLimits, boolean locked) {}

    /**
     * {@link #count} (nothing to count when {@code limits} is empty) and {@link #isLocked} at once,
     * as every lookup of a record asks both; a store may answer them in one round trip.
     */
    default Future<RecordCheck> countAndCheckLock(List<Limit> limits, String idPseudonym) {
        return recordCheck(limits.isEmpty() ? Future.succeededFuture(true) : count(limits), idPseudonym);
    }

    /** {@link #within} (counting nothing) and {@link #isLocked} at once: a request decided again. */
    default Future<RecordCheck> checkLock(List<Limit> limits, String idPseudonym) {
        return recordCheck(limits.isEmpty() ? Future.succeededFuture(true) : within(limits), idPseudonym);
    }

    private Future<RecordCheck> recordCheck(Future<Boolean> within, String idPseudonym) {
        Future<Boolean> locked = isLocked(idPseudonym);
        return Future.all(within, locked).map(both -> new RecordCheck(within.result(), locked.result()));
    }

    /** Locks the record; true when this call locked it, false when it was locked already. */
    Future<Boolean> lock(String idPseudonym, String byMsisdnPseudonym);

    /** Lifts a lock (the admin command, standing for a visit to a service counter); true if one was there. */
    Future<Boolean> unlock(String idPseudonym);

    /** When the number's mismatch lockout ends, if it is locked out now. */
    Future<Optional<Instant>> lockedOutUntil(String msisdnPseudonym);

    /**
     * Records request {@code requestId}'s ID mismatch from a number; once {@code threshold}
     * mismatches fall within {@code window}, the number is locked out for {@code lockout}. Once per
     * request: recording the same request again changes nothing.
     */
    Future<Void> recordMismatch(
            long requestId, String msisdnPseudonym, int threshold, Duration window, Duration lockout);
}
