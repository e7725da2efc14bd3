package vn.tracuu.core.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * A Vietnamese mobile number in international form without '+', e.g. {@code 84912345678}.
 * Operators send it as international (84…, +84…) or national (0…); it is normalised once, here.
 */
public final class Msisdn {

    /** SMPP 3.4 §5.2.5 type of number values that matter for normalisation. */
    public static final int TON_UNKNOWN = 0;

    public static final int TON_INTERNATIONAL = 1;
    public static final int TON_NATIONAL = 2;

    private final String digits;

    private Msisdn(String digits) {
        this.digits = digits;
    }

    /**
     * Normalises an address as an operator sent it. Returns empty when it is not a Vietnamese
     * mobile number (84 followed by nine digits whose first is 3, 5, 7, 8 or 9).
     */
    public static Optional<Msisdn> parse(String address, int ton) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.trim();
        if (a.startsWith("+")) {
            a = a.substring(1);
            ton = TON_INTERNATIONAL;
        }
        if (a.isEmpty() || !a.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        String international;
        if (ton == TON_NATIONAL || (ton != TON_INTERNATIONAL && a.startsWith("0"))) {
            international = a.startsWith("0") ? "84" + a.substring(1) : "84" + a;
        } else {
            international = a;
        }
        return isMobile(international) ? Optional.of(new Msisdn(international)) : Optional.empty();
    }

    /** Parses a number already in international form (84…), as the registry stores it. */
    public static Msisdn of(String international) {
        if (!isMobile(international)) {
            throw new IllegalArgumentException("not a Vietnamese mobile number in international form");
        }
        return new Msisdn(international);
    }

    private static boolean isMobile(String s) {
        if (s.length() != 11 || !s.startsWith("84")) {
            return false;
        }
        char first = s.charAt(2);
        return first == '3' || first == '5' || first == '7' || first == '8' || first == '9';
    }

    /** International digits, e.g. 84912345678. Personal data: never log it, use {@link #masked()}. */
    public String digits() {
        return digits;
    }

    /** The form fit for logs: country code, first digit and last two, e.g. {@code 849******78}. */
    public String masked() {
        return Masking.msisdn(digits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Msisdn other && other.digits.equals(digits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(digits);
    }

    @Override
    public String toString() {
        return masked();
    }
}
