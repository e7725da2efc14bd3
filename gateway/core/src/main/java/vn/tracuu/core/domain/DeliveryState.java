package vn.tracuu.core.domain;

import java.util.Optional;

/** What the network finally made of a sent reply, from the operator's delivery receipt. */
public enum DeliveryState {
    DELIVERED,
    UNDELIVERABLE,
    EXPIRED;

    /**
     * The final state for an SMPP 3.4 §5.2.28 message_state value; empty for states that are not
     * final (enroute, accepted, unknown), which change nothing.
     */
    public static Optional<DeliveryState> ofMessageState(int messageState) {
        return switch (messageState) {
            case 2 -> Optional.of(DELIVERED);
            case 3 -> Optional.of(EXPIRED);
            case 4, 5, 8 -> Optional.of(UNDELIVERABLE);
            default -> Optional.empty();
        };
    }
}
