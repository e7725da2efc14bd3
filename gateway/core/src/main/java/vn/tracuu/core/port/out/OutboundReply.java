package vn.tracuu.core.port.out;

import java.time.Instant;
import vn.tracuu.core.domain.Msisdn;

/**
 * A reply waiting in the durable outbox: to whom, from which short code, on which operator,
 * until when. {@code attempts} counts earlier sends, so a retry can be told from a first send.
 */
public record OutboundReply(
        long requestId,
        String operatorId,
        Msisdn recipient,
        String shortCode,
        String text,
        int attempts,
        Instant expiresAt) {}
