package vn.tracuu.core.port.out;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.port.Overloaded;

/**
 * Durable requests and their replies (the outbox). Every method completes only once what it
 * wrote is committed: a request is acknowledged on the wire only after {@link #accept}.
 */
public interface RequestStore {

    /**
     * Stores an inbound message; the returned id is the message id the operator is given. A store
     * that cannot take it now ({@link Overloaded}) fails at once, with a future already failed
     * when this returns: the lookup decides a message while its accept commits, counting the
     * sender's limits, and must know first whether the operator will have to send it again.
     */
    Future<AcceptedRequest> accept(InboundMessage message);

    /**
     * As {@link #accept(InboundMessage)}, and a message with the same {@code retransmissionKey}
     * accepted within {@code window} before, through any node or before a restart, is that
     * request again ({@link AcceptedRequest#retransmission()}), not a new one. The key names the
     * message without holding it (a keyed hash of operator, sender, short code and text).
     */
    default Future<AcceptedRequest> accept(InboundMessage message, String retransmissionKey, Duration window) {
        return accept(message);
    }

    /**
     * Stores a message whose answer is decided before it is acknowledged: the request, already
     * answered, its reply (claimed by the caller for the answer's lease, as {@link #reply} stores
     * it) and its audit entry, in one commit, so a quick lookup waits for one disk flush, not two.
     * {@code answer} is decided while this is called: a store that cannot take the message now
     * fails at once ({@link Overloaded}), with a future already failed when this returns, as
     * {@link #accept} does, so that nothing is read or counted for it; an answer that fails (the
     * caller stores the request on its own after all) stores nothing. A retransmission (as in
     * {@link #accept(InboundMessage, String, Duration)}; a {@code retransmissionKey} null or a zero
     * {@code window}: none) stores nothing and gives the first request back, with no reply.
     */
    default Future<AnsweredRequest> acceptAnswered(
            InboundMessage message, String retransmissionKey, Duration window, Future<Answer> answer) {
        return answer.compose(a -> accept(message, retransmissionKey, window)
                .compose(request -> request.retransmission()
                        ? Future.succeededFuture(new AnsweredRequest(request, Optional.empty()))
                        : reply(
                                        request,
                                        a.text(),
                                        a.validity(),
                                        a.lease(),
                                        a.entry().withRequestId(request.id()))
                                .map(reply -> new AnsweredRequest(request, reply))));
    }

    /**
     * Stores a request answered on the citizen's open session (USSD): written already answered,
     * so it has no reply in the outbox and is never recovered; the id names its audit entry.
     */
    Future<AcceptedRequest> acceptInSession(InboundMessage message);

    /**
     * Stores the reply to a request in the outbox, claimed for {@code lease} by the caller, who
     * sends it at once (as {@link #claimDue} would have given it back, without a statement of its
     * own), and marks the request answered. The request's audit {@code entry} is appended in the
     * same transaction (as {@link AuditLog#append} would): nothing is sent that the audit does not
     * hold. A request has at most one reply and one entry: a second call for the same request
     * changes nothing and gives back nothing to send. A request never accepted fails, with neither
     * reply nor entry stored.
     */
    Future<Optional<OutboundReply>> reply(
            AcceptedRequest request, String text, Duration validity, Duration lease, AuditEntry entry);

    /**
     * Claims requests accepted at least {@code olderThan} ago and not answered, oldest first: the
     * work a crash, a restart or a failed lookup left behind, on any node. Each is claimed by
     * {@code claimant} for {@code lease}: no other claimant takes it until the lease ends, and one
     * answered meanwhile is not taken. A claim does not make the decision exclusive (the node that
     * accepted it may still be deciding it): {@link #reply} and the policy's writes are once per
     * request, whoever decides.
     */
    Future<List<AcceptedRequest>> claimUnanswered(String claimant, Duration olderThan, int limit, Duration lease);

    /**
     * Claims replies of one operator that are due, for {@code lease}: another sender (or this
     * one after a crash) may take them again only once the lease has run out.
     */
    Future<List<OutboundReply>> claimDue(String operatorId, int limit, Duration lease);

    /**
     * The operator acknowledged every segment: the reply is handed to the network. {@code messageIds}
     * are the ids the operator gave the segments (empty when it gives none), for its receipts.
     */
    Future<Void> markSent(long requestId, List<String> messageIds);

    /** Records what a receipt says of a sent reply; false when no reply of that operator has the id. */
    Future<Boolean> receipt(DeliveryReceipt receipt);

    /** Sending failed; the reply becomes due again after {@code delay}. */
    Future<Void> retryLater(long requestId, Duration delay);

    /**
     * Stores a notice to {@code to} in the outbox, due at once and valid for {@code validity}, sent
     * like a reply; it answers no request, so it has neither request nor audit entry of its own.
     */
    Future<Void> notice(String operatorId, Msisdn to, String shortCode, String text, Duration validity);

    /** Marks replies whose validity has ended as expired; returns how many. */
    Future<Integer> expireOverdue();
}
