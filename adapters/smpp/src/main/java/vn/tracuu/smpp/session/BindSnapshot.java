package vn.tracuu.smpp.session;

/**
 * One bind as operations see it: whose, which connection, the gateway's role in it (smsc: the
 * operator bound to us; esme: we bound to the operator), its type and state, and its counters.
 * {@code outstanding} is the occupancy of the outbound window, {@code inFlight} that of the
 * inbound one; {@code throttledByPeer} counts our PDUs the operator answered with
 * ESME_RTHROTTLED or ESME_RMSGQFUL, {@code lateResponses} responses after their timeout.
 */
public record BindSnapshot(
        String operatorId,
        String bindId,
        String role,
        String type,
        String state,
        long messagesReceived,
        long messagesThrottled,
        long segmentsDelivered,
        long throttledByPeer,
        long lateResponses,
        long receipts,
        int outstanding,
        int inFlight) {}
