package vn.tracuu.core.port;

import io.vertx.core.Future;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.InboundMessage;

/**
 * The core's entry for inbound messages. The future completes once the message is durable,
 * which is when the operator may be acknowledged; the reply follows through the outbox.
 */
public interface MessageReceiver {

  Future<AcceptedRequest> receive(InboundMessage message);
}
