package vn.tracuu.core.port.out;

import java.util.Optional;
import vn.tracuu.core.domain.AcceptedRequest;

/**
 * A request stored with its answer ({@link RequestStore#acceptAnswered}), and the reply to send,
 * stored claimed by the caller; none for a retransmission, which is the first request again.
 */
public record AnsweredRequest(AcceptedRequest request, Optional<OutboundReply> reply) {}
