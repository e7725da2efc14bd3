package vn.tracuu.core.domain;

/** An inbound message once it is durable; {@code id} is what the operator gets as message id. */
public record AcceptedRequest(long id, InboundMessage message) {
}
