package vn.tracuu.core.port.in;

import io.vertx.core.Future;
import java.util.Optional;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.UssdInput;
import vn.tracuu.core.domain.UssdScreen;

/**
 * The core's entry for what operators hand over. {@link #receive} completes once the message is
 * durable, which is when the operator may be acknowledged; the reply follows through the outbox.
 */
public interface MessageReceiver {

    Future<AcceptedRequest> receive(InboundMessage message);

    /** Records a delivery receipt; true when it named a reply we sent, false for an unknown id. */
    Future<Boolean> receipt(DeliveryReceipt receipt);

    /**
     * A USSD input; completes with the screen to send back on the dialogue, or empty when nothing
     * is to be sent (an abort, or a dialogue that ended meanwhile). A receiver that serves no USSD
     * fails it.
     */
    default Future<Optional<UssdScreen>> ussd(UssdInput input) {
        return Future.failedFuture(new UnsupportedOperationException("USSD is not served"));
    }
}
