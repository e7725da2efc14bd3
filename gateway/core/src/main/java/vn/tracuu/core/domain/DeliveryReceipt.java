package vn.tracuu.core.domain;

import java.util.Objects;

/** An operator's receipt for one sent segment, named by the message id the operator gave it. */
public record DeliveryReceipt(String operatorId, String messageId, DeliveryState state) {

    public DeliveryReceipt {
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(state, "state");
    }
}
