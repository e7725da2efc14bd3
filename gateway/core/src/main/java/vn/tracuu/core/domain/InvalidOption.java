package vn.tracuu.core.domain;

/**
 * An options record's refusal of one of its values: the field as the record names it, and what
 * is wrong. Each options record checks its own values when built; the configuration turns the
 * field into the key it was read from. A problem may name another field of the same record as
 * {@code {fieldName}}.
 */
public final class InvalidOption extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    public InvalidOption(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }

    /** {@code value}, when it is from {@code min} to {@code max}. */
    public static int inRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidOption(
                    field, "must be a whole number from " + min + " to " + max + ", got '" + value + "'");
        }
        return value;
    }

    /** Refuses {@code field} with {@code problem} unless {@code holds}. */
    public static void require(boolean holds, String field, String problem) {
        if (!holds) {
            throw new InvalidOption(field, problem);
        }
    }
}
