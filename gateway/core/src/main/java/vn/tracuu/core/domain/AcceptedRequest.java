package vn.tracuu.core.domain;

/**
 * An inbound message once it is durable; {@code id} is what the operator gets as message id.
 * {@code retransmission}: the message was a resend of one accepted before, and {@code id} is that
 * request's: it gets no reply of its own.
 */
public record AcceptedRequest(long id, InboundMessage message, boolean retransmission) {

    public AcceptedRequest(long id, InboundMessage message) {
        this(id, message, false);
    }
}
