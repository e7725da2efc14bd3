package vn.tracuu.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * What a USSD centre handed over for one handset, whichever SMPP role carried it.
 * {@code sessionId} is the centre's dialogue identifier, empty when it sends none (then one
 * dialogue per handset and operator at a time); {@code text} is the dialled string for
 * {@link Kind#DIAL} and the citizen's answer for {@link Kind#ANSWER}.
 */
public record UssdInput(
        String operatorId, String bindId, Msisdn sender, String sessionId, Kind kind, String text, Instant receivedAt) {

    /** What the citizen did. */
    public enum Kind {
        /** Dialled the service code (PSSR indication). */
        DIAL,
        /** Answered a screen that waited for input (USSR confirm). */
        ANSWER,
        /** Hung up, or the network ended the dialogue. */
        ABORT
    }

    public UssdInput {
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(bindId, "bindId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
