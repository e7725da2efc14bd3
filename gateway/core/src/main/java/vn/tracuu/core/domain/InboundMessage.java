package vn.tracuu.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A citizen's message as an operator handed it over: who the operator is (authenticated by
 * its bind) and which bind, the normalised sender, the short code it was sent to, the text.
 */
public record InboundMessage(
        String operatorId,
        String bindId,
        Channel channel,
        Msisdn sender,
        String shortCode,
        String text,
        Instant receivedAt) {

    public InboundMessage {
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(bindId, "bindId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(shortCode, "shortCode");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The same message with another text: the form a request row keeps. */
    public InboundMessage withText(String stored) {
        return new InboundMessage(operatorId, bindId, channel, sender, shortCode, stored, receivedAt);
    }
}
