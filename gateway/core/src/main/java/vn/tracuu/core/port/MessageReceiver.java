package vn.tracuu.core.port;

import io.vertx.core.Future;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;

/**
 * The core's entry for what operators hand over. {@link #receive} completes once the message is
 * durable, which is when the operator may be acknowledged; the reply follows through the outbox.
 */
public interface MessageReceiver {

  Future<AcceptedRequest> receive(InboundMessage message);

  /** Records a delivery receipt; true when it named a reply we sent, false for an unknown id. */
  Future<Boolean> receipt(DeliveryReceipt receipt);
}
