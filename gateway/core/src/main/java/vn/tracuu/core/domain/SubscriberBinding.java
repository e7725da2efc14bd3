package vn.tracuu.core.domain;

import java.time.Instant;

/**
 * An MSISDN's entry in the verified-subscriber registry: the personal ID it is bound to and
 * what the operator vouched for. {@code verifiedAt} is null for a number never verified.
 * {@code sharedRecord}: whether another verified number may be bound to the same ID (its owners
 * are told of a lookup); true when the registry cannot say, false only when it read none.
 */
public record SubscriberBinding(
        Msisdn msisdn,
        PersonalId personalId,
        String operatorId,
        Instant verifiedAt,
        Instant simChangedAt,
        boolean sharedRecord) {

    /** A binding from a registry that does not say whether its record is shared: taken as shared. */
    public SubscriberBinding(
            Msisdn msisdn, PersonalId personalId, String operatorId, Instant verifiedAt, Instant simChangedAt) {
        this(msisdn, personalId, operatorId, verifiedAt, simChangedAt, true);
    }

    public boolean verified() {
        return verifiedAt != null;
    }
}
