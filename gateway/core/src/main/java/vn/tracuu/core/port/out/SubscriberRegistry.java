package vn.tracuu.core.port.out;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.SubscriberBinding;

/** The verified-subscriber registry: which personal ID a phone number is bound to. */
public interface SubscriberRegistry {

    /** Empty when the number is not in the registry at all. */
    Future<Optional<SubscriberBinding>> byMsisdn(Msisdn msisdn);

    /**
     * The numbers bound to a personal ID whose binding is verified, each with its operator: who
     * is told when the record is looked up. The SIM-change date is not read (unknown, null).
     */
    Future<List<SubscriberBinding>> verifiedNumbersOf(PersonalId id);
}
