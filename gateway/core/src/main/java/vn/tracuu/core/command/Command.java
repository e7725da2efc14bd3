package vn.tracuu.core.command;

import java.util.Optional;
import java.util.function.UnaryOperator;
import vn.tracuu.core.domain.Topic;

/** What a citizen's text asks for, as {@link CommandParser} read it. */
public sealed interface Command {

    /** The command's code in the audit and the metrics: {@code TC}, {@code KHOA}, {@code LS} or {@code HD}. */
    String code();

    /** Whether deciding it reads the sender's binding and record (and counts against the limits but for KHOA). */
    default boolean aboutTheRecord() {
        return false;
    }

    /** {@code TC [topic] [ID or last four digits]}. */
    record Lookup(Topic topic, Optional<IdClaim> idClaim) implements Command {

        /** The same lookup with a typed ID replaced by its pseudonym, as a stored request keeps it. */
        public Lookup pseudonymised(UnaryOperator<String> pseudonymOf) {
            return new Lookup(
                    topic, idClaim.map(c -> c instanceof TypedId typed ? typed.pseudonymised(pseudonymOf) : c));
        }

        @Override
        public String code() {
            return "TC";
        }

        @Override
        public boolean aboutTheRecord() {
            return true;
        }
    }

    /** {@code KHOA}: lock SMS/USSD lookups of the record bound to the sender's number. */
    record Lock() implements Command {

        @Override
        public String code() {
            return "KHOA";
        }

        @Override
        public boolean aboutTheRecord() {
            return true;
        }
    }

    /** {@code LS}: the latest accesses to the sender's own record. */
    record History() implements Command {

        @Override
        public String code() {
            return "LS";
        }

        @Override
        public boolean aboutTheRecord() {
            return true;
        }
    }

    /** {@code HD BM}: what is looked up, why, what is logged and for how long, how to lock. */
    record PrivacyNotice() implements Command {

        @Override
        public String code() {
            return "HD";
        }
    }

    /** {@code HD}, {@code HELP} and anything the parser does not know. */
    record Help() implements Command {

        @Override
        public String code() {
            return "HD";
        }
    }

    /** A lookup whose ID part is malformed: the citizen gets a distinct syntax-error text. */
    record InvalidId() implements Command {

        @Override
        public String code() {
            return "TC";
        }
    }

    /**
     * An ID typed by the citizen, only ever compared with the ID bound to the sender's number:
     * either all 12 digits (structurally valid) or the last four. As typed, or read back from a
     * stored request, which keeps only its pseudonym.
     */
    sealed interface IdClaim {

        /** Whether the claim is the whole ID, not its last four digits. */
        boolean full();

        /** {@code pseudonymOf}: the keyed pseudonym of a claim's digits, for a claim stored as one. */
        boolean matches(String boundId, UnaryOperator<String> pseudonymOf);

        /** The part of a bound ID a claim of this kind is compared with. */
        default String comparedPart(String boundId) {
            return full() ? boundId : boundId.substring(boundId.length() - 4);
        }
    }

    /** The digits as the citizen typed them: held in memory only. */
    record TypedId(String digits) implements IdClaim {

        @Override
        public boolean full() {
            return digits.length() == 12;
        }

        @Override
        public boolean matches(String boundId, UnaryOperator<String> pseudonymOf) {
            return comparedPart(boundId).equals(digits);
        }

        public PseudonymousId pseudonymised(UnaryOperator<String> pseudonymOf) {
            return new PseudonymousId(full(), pseudonymOf.apply(digits));
        }
    }

    /** A claim as a stored request keeps it: which part of an ID, and the pseudonym of its digits. */
    record PseudonymousId(boolean full, String pseudonym) implements IdClaim {

        @Override
        public boolean matches(String boundId, UnaryOperator<String> pseudonymOf) {
            return pseudonymOf.apply(comparedPart(boundId)).equals(pseudonym);
        }
    }
}
