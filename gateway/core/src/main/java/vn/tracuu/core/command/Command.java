package vn.tracuu.core.command;

import java.util.Optional;
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
     * either all 12 digits (structurally valid) or the last four.
     */
    record IdClaim(String digits) {

        public boolean matches(String boundId) {
            return digits.length() == 12 ? boundId.equals(digits) : boundId.endsWith(digits);
        }
    }
}
