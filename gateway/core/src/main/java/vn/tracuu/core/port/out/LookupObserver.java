package vn.tracuu.core.port.out;

import java.time.Duration;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.DecisionReason;
import vn.tracuu.core.domain.DeliveryState;
import vn.tracuu.core.domain.audit.Outcome;

/** Told of every request's outcome, for metrics; never of who asked. Must return at once. */
public interface LookupObserver {

    LookupObserver NONE = (channel, command, outcome, reason, latency) -> {};

    /** {@code latency}: from the request's arrival to its reply being stored in the outbox. */
    void answered(Channel channel, String command, Outcome outcome, DecisionReason reason, Duration latency);

    /**
     * A request's decision is made: {@code took} from its arrival, before the hold that evens out
     * reply times, so it is the work (registry, policy, population, their queues) alone.
     */
    default void decided(Channel channel, Duration took) {}

    /** An operator retransmitted a message already accepted; it was answered with the first request. */
    default void duplicate() {}

    /** A delivery receipt arrived; {@code known} is false when it named no reply we sent. */
    default void receipt(DeliveryState state, boolean known) {}
}
