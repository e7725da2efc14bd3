package vn.tracuu.core.domain;

import java.time.Year;
import java.util.Objects;
import java.util.Optional;

/**
 * The 12-digit personal ID number, Decree 137/2015 Art. 13 with Circular 07/2016 (as amended):
 * {@code PPP G YY RRRRRR} — province code of birth registration, century and gender digit, last
 * two digits of the birth year, six random digits.
 */
public final class PersonalId {

    private final String digits;

    private PersonalId(String digits) {
        this.digits = digits;
    }

    /** Empty unless the text is a structurally valid ID whose birth year is not in the future. */
    public static Optional<PersonalId> parse(String text) {
        return isValid(text, Year.now().getValue()) ? Optional.of(new PersonalId(text)) : Optional.empty();
    }

    /** For identifiers read from a trusted store, which are valid by construction. */
    public static PersonalId of(String digits) {
        if (digits == null || digits.length() != 12 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("personal ID must be 12 digits");
        }
        return new PersonalId(digits);
    }

    static boolean isValid(String text, int currentYear) {
        if (text == null || text.length() != 12 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        if (!Province.isCode(text.substring(0, 3))) {
            return false;
        }
        int year = birthYear(text.charAt(3) - '0', Integer.parseInt(text.substring(4, 6)));
        return year <= currentYear;
    }

    /** Century digit: 0/1 1900s, 2/3 2000s, 4/5 2100s, 6/7 2200s, 8/9 1800s; even male, odd female. */
    public static int birthYear(int centuryDigit, int yearOfCentury) {
        int century = switch (centuryDigit / 2) {
            case 0 -> 1900;
            case 1 -> 2000;
            case 2 -> 2100;
            case 3 -> 2200;
            default -> 1800;
        };
        return century + yearOfCentury;
    }

    /** The century digit for a birth year and gender; the inverse of {@link #birthYear}. */
    public static int centuryDigit(int birthYear, Gender gender) {
        int base = switch (birthYear / 100) {
            case 18 -> 8;
            case 19 -> 0;
            case 20 -> 2;
            case 21 -> 4;
            case 22 -> 6;
            default -> throw new IllegalArgumentException("birth year out of range");
        };
        return base + (gender == Gender.FEMALE ? 1 : 0);
    }

    public Gender gender() {
        return (digits.charAt(3) - '0') % 2 == 0 ? Gender.MALE : Gender.FEMALE;
    }

    public int birthYear() {
        return birthYear(digits.charAt(3) - '0', Integer.parseInt(digits.substring(4, 6)));
    }

    public String lastFour() {
        return digits.substring(8);
    }

    /** The 12 digits. Personal data: never log them, use {@link #masked()}. */
    public String digits() {
        return digits;
    }

    public String masked() {
        return Masking.personalId(digits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PersonalId other && other.digits.equals(digits);
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
