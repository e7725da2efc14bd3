package vn.tracuu.core.lookup;

import java.util.Optional;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.command.Command;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.RefusalReason;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.policy.PolicyOptions;

/**
 * Decides, before the population database is touched, whether the sender may see the record
 * bound to their number. The number's registered operator must be the operator whose bind
 * carried the message: that operator is the one vouching for the sender. Nor may a SIM changed
 * within the configured window (the number may have been hijacked by a SIM swap).
 */
final class AccessPolicy {

    private final PolicyOptions options;
    private final Pseudonymizer pseudonyms;

    AccessPolicy(PolicyOptions options, Pseudonymizer pseudonyms) {
        this.options = options;
        this.pseudonyms = pseudonyms;
    }

    Optional<RefusalReason> check(
            InboundMessage message, Optional<SubscriberBinding> entry, Optional<Command.IdClaim> claim) {
        if (entry.isEmpty()) {
            return Optional.of(RefusalReason.NOT_REGISTERED);
        }
        SubscriberBinding binding = entry.get();
        if (!binding.verified()) {
            return Optional.of(RefusalReason.NOT_VERIFIED);
        }
        if (!binding.operatorId().equals(message.operatorId())) {
            return Optional.of(RefusalReason.OPERATOR_MISMATCH);
        }
        // a recently swapped SIM may be in someone else's hands; an unknown date fails closed
        if (binding.simChangedAt() == null) {
            if (!options.allowUnknownSimChange()) {
                return Optional.of(RefusalReason.SIM_CHANGE_UNKNOWN);
            }
        } else if (binding.simChangedAt().isAfter(message.receivedAt().minus(options.simChangeWindow()))) {
            return Optional.of(RefusalReason.SIM_RECENTLY_CHANGED);
        }
        if (claim.isPresent() && !claim.get().matches(binding.personalId().digits(), pseudonyms::claim)) {
            return Optional.of(RefusalReason.ID_MISMATCH);
        }
        return Optional.empty();
    }
}
