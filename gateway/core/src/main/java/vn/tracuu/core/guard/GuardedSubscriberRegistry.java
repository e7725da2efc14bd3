package vn.tracuu.core.guard;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.port.out.SubscriberRegistry;

/**
 * The subscriber registry behind its own guard. No cache: the binding carries the SIM-change
 * date, and a cached one could hide a swap that happened a minute ago.
 */
public final class GuardedSubscriberRegistry implements SubscriberRegistry {

    private final SubscriberRegistry backEnd;
    private final Guard guard;

    public GuardedSubscriberRegistry(SubscriberRegistry backEnd, Guard guard) {
        this.backEnd = backEnd;
        this.guard = guard;
    }

    @Override
    public Future<Optional<SubscriberBinding>> byMsisdn(Msisdn msisdn) {
        return guard.call(() -> backEnd.byMsisdn(msisdn));
    }

    @Override
    public Future<List<SubscriberBinding>> verifiedNumbersOf(PersonalId id) {
        return guard.call(() -> backEnd.verifiedNumbersOf(id));
    }
}
