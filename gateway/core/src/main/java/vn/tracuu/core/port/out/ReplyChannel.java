package vn.tracuu.core.port.out;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.Consumer;

/** The way replies leave: binds of operators that can take messages toward a handset. */
public interface ReplyChannel {

    /** Whether a bind of this operator is up and can carry a reply now. */
    boolean canDeliver(String operatorId);

    /**
     * Sends one reply, all its segments; succeeds once the operator acknowledged every one, with
     * the message ids it gave them (none when it gives none).
     */
    Future<List<String>> deliver(OutboundReply reply);

    /** The operators replies may be waiting for, as configured now (a reload may change them). */
    List<String> operatorIds();

    /** Called with the operator id whenever a bind that can carry replies comes up. */
    void onDeliveryAvailable(Consumer<String> listener);
}
