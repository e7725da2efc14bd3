package vn.tracuu.smpp.server;

/**
 * One bind as operations see it: whose, which connection, its type and state, and its counters.
 * {@code outstanding} is the occupancy of the outbound window, {@code inFlight} that of the
 * inbound one.
 */
public record BindSnapshot(
    String operatorId,
    String bindId,
    String type,
    String state,
    long messagesReceived,
    long messagesThrottled,
    long segmentsDelivered,
    int outstanding,
    int inFlight) {
}
