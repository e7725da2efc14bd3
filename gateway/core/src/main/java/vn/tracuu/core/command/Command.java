package vn.tracuu.core.command;

import java.util.Optional;
import vn.tracuu.core.domain.Topic;

/** What a citizen's text asks for, as {@link CommandParser} read it. */
public sealed interface Command {

  /** {@code TC [topic] [ID or last four digits]}. */
  record Lookup(Topic topic, Optional<IdClaim> idClaim) implements Command {
  }

  /** {@code KHOA}: lock SMS/USSD lookups of the record bound to the sender's number. */
  record Lock() implements Command {
  }

  /** {@code LS}: the latest accesses to the sender's own record. */
  record History() implements Command {
  }

  /** {@code HD BM}: what is looked up, why, what is logged and for how long, how to lock. */
  record PrivacyNotice() implements Command {
  }

  /** {@code HD}, {@code HELP} and anything the parser does not know. */
  record Help() implements Command {
  }

  /** A lookup whose ID part is malformed: the citizen gets a distinct syntax-error text. */
  record InvalidId() implements Command {
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
