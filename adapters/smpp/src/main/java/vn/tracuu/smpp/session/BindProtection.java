package vn.tracuu.smpp.session;

import java.time.Duration;
import java.util.Objects;
import vn.tracuu.core.domain.InvalidOption;

/**
 * The {@code smpp.bind-protection} section: every refused bind is answered no sooner than
 * {@code refusalDelay} after it arrived; an address or system_id whose password check failed
 * twice or more is refused without a check for {@code failureBackoff}, doubled at each further
 * failure up to {@code maxFailureBackoff}; at most {@code maxUnbound} connections may wait to
 * bind at once, {@code maxUnboundPerAddress} from one address.
 */
public record BindProtection(
        Duration refusalDelay,
        Duration failureBackoff,
        Duration maxFailureBackoff,
        int maxUnbound,
        int maxUnboundPerAddress) {

    public static final Duration DEFAULT_REFUSAL_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_FAILURE_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_FAILURE_BACKOFF = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_UNBOUND = 200;
    public static final int DEFAULT_MAX_UNBOUND_PER_ADDRESS = 20;

    public BindProtection {
        Objects.requireNonNull(refusalDelay, "refusalDelay");
        Objects.requireNonNull(failureBackoff, "failureBackoff");
        Objects.requireNonNull(maxFailureBackoff, "maxFailureBackoff");
        InvalidOption.require(
                maxFailureBackoff.compareTo(failureBackoff) >= 0,
                "maxFailureBackoff",
                "must be at least {failureBackoff}");
        InvalidOption.inRange("maxUnbound", maxUnbound, 1, 1_000_000);
        InvalidOption.inRange("maxUnboundPerAddress", maxUnboundPerAddress, 1, maxUnbound);
    }

    public static BindProtection defaults() {
        return new BindProtection(
                DEFAULT_REFUSAL_DELAY,
                DEFAULT_FAILURE_BACKOFF,
                DEFAULT_MAX_FAILURE_BACKOFF,
                DEFAULT_MAX_UNBOUND,
                DEFAULT_MAX_UNBOUND_PER_ADDRESS);
    }
}
