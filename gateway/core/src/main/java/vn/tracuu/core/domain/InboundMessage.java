package vn.tracuu.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A citizen's message as an operator handed it over: who the operator is (authenticated by
 * its bind), the normalised sender, the short code it was sent to, and the decoded text.
 */
public record InboundMessage(
    String operatorId,
    Channel channel,
    Msisdn sender,
    String shortCode,
    String text,
    Instant receivedAt) {

  public InboundMessage {
    Objects.requireNonNull(operatorId, "operatorId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(shortCode, "shortCode");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }
}
