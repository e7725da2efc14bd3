package vn.tracuu.smpp.session;

/**
 * An operator's binds in one role (smsc: it binds to us; esme: we bind to it), for the metrics:
 * how many are up and configured, and counts since start, the binds that ended included, so
 * they only grow however often a link drops. No connection's address or port: a series per
 * operator and role, stable across reconnections. {@code bindOutFailures}: failed attempts to
 * connect and bind out (role esme; 0 for smsc).
 */
public record BindTotals(
        String operatorId,
        String role,
        int up,
        int configured,
        long messagesReceived,
        long messagesThrottled,
        long segmentsDelivered,
        long throttledByPeer,
        long lateResponses,
        long bindOutFailures,
        int outstanding) {}
