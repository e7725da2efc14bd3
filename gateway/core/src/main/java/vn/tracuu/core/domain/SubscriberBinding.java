package vn.tracuu.core.domain;

import java.time.Instant;

/**
 * An MSISDN's entry in the verified-subscriber registry: the personal ID it is bound to and
 * what the operator vouched for. {@code verifiedAt} is null for a number never verified.
 */
public record SubscriberBinding(
        Msisdn msisdn, PersonalId personalId, String operatorId, Instant verifiedAt, Instant simChangedAt) {

    public boolean verified() {
        return verifiedAt != null;
    }
}
