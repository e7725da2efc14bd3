package vn.tracuu.core.guard;

/** A guard's state and counters since start, for the metrics endpoint; no personal data. */
public record GuardSnapshot(
        String name,
        String circuitState,
        long succeeded,
        long failed,
        long rejectedByCircuit,
        long rejectedByQuota,
        long rejectedByBulkhead,
        long timedOut,
        long retried,
        int inFlight) {}
