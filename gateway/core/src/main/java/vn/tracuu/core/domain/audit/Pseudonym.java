package vn.tracuu.core.domain.audit;

/** A keyed HMAC-SHA-256 of an identifier, with the id of the key that made it (for rotation). */
public record Pseudonym(String keyId, String value) {

    /** Stands for "no identifier", e.g. the ID of a sender the registry does not know. */
    public static final Pseudonym NONE = new Pseudonym("", "");
}
