package vn.tracuu.core.domain;

/** Masks identifiers for logs: personal data law forbids them in plain text there. */
public final class Masking {

    private Masking() {}

    /** {@code 84912345678} becomes {@code 849******78}. */
    public static String msisdn(String digits) {
        if (digits == null || digits.length() < 6) {
            return "***";
        }
        return digits.substring(0, 3) + "*".repeat(digits.length() - 5) + digits.substring(digits.length() - 2);
    }

    /** A personal ID keeps only its last 4 digits, the form citizens see on their replies too. */
    public static String personalId(String digits) {
        if (digits == null || digits.length() < 4) {
            return "****";
        }
        return "*".repeat(digits.length() - 4) + digits.substring(digits.length() - 4);
    }
}
