package vn.tracuu.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.audit.Pseudonym;

/**
 * Turns MSISDNs and personal IDs into HMAC-SHA-256 pseudonyms (Decree 13/2023: the audit and the
 * policy state hold no plain identifier). Two keys, so a leak of one table's pseudonyms with
 * one key does not link the other; each key has an id so keys can rotate.
 */
public final class Pseudonymizer {

    /** A secret of at least 32 bytes and the id under which it is published in the audit. */
    public record Key(String id, byte[] secret) {
        public Key {
            Objects.requireNonNull(id, "id");
            if (secret.length < 32) {
                throw new IllegalArgumentException("an HMAC key needs at least 32 bytes");
            }
            secret = secret.clone();
        }
    }

    private final Key msisdnKey;
    private final Key idKey;
    private final ThreadLocal<Mac> msisdnMac;
    private final ThreadLocal<Mac> idMac;

    public Pseudonymizer(Key msisdnKey, Key idKey) {
        this.msisdnKey = msisdnKey;
        this.idKey = idKey;
        this.msisdnMac = ThreadLocal.withInitial(() -> mac(msisdnKey));
        this.idMac = ThreadLocal.withInitial(() -> mac(idKey));
    }

    public Pseudonym msisdn(Msisdn msisdn) {
        return new Pseudonym(msisdnKey.id(), hmac(msisdnMac.get(), msisdn.digits()));
    }

    public Pseudonym id(PersonalId id) {
        return new Pseudonym(idKey.id(), hmac(idMac.get(), id.digits()));
    }

    /**
     * The pseudonym of ID digits a citizen typed (all 12 or the last four), under the ID key: a
     * stored request keeps it instead of the digits, and compares it with the bound ID's.
     */
    public String claim(String digits) {
        return hmac(idMac.get(), "claim\u001F" + digits);
    }

    /**
     * Names these keys without revealing them: each key's id and its HMAC of a constant that is no
     * number and no ID. Equal fingerprints, equal pseudonyms.
     */
    public String fingerprint() {
        String constant = "tracuu audit key fingerprint";
        return msisdnKey.id() + ":" + hmac(msisdnMac.get(), constant) + " " + idKey.id() + ":"
                + hmac(idMac.get(), constant);
    }

    /**
     * Names one message without holding it, for the retransmission filter: its operator, channel,
     * sender, short code and text, hashed under the MSISDN key.
     */
    public String message(String operatorId, String channel, Msisdn sender, String shortCode, String text) {
        return hmac(msisdnMac.get(), String.join("\u001F", operatorId, channel, sender.digits(), shortCode, text));
    }

    public String msisdnKeyId() {
        return msisdnKey.id();
    }

    public String idKeyId() {
        return idKey.id();
    }

    private static String hmac(Mac mac, String value) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static Mac mac(Key key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
