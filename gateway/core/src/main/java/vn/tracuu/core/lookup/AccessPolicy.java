package vn.tracuu.core.lookup;

import java.util.Optional;
import vn.tracuu.core.command.Command;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.RefusalReason;
import vn.tracuu.core.domain.SubscriberBinding;

/**
 * Decides, before the population database is touched, whether the sender may see the record
 * bound to their number. The number's registered operator must be the operator whose bind
 * carried the message: that operator is the one vouching for the sender.
 */
final class AccessPolicy {

  Optional<RefusalReason> check(InboundMessage message, Optional<SubscriberBinding> entry, Optional<Command.IdClaim> claim) {
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
    if (claim.isPresent() && !claim.get().matches(binding.personalId().digits())) {
      return Optional.of(RefusalReason.ID_MISMATCH);
    }
    return Optional.empty();
  }
}
