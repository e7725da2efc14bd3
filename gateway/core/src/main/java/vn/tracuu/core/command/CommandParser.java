package vn.tracuu.core.command;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.TextNormalizer;
import vn.tracuu.core.domain.Topic;

/**
 * Reads a citizen's SMS text (DESIGN §5): TC lookups, KHOA, LS, HD BM, help. Spacing is ignored altogether, so {@code TC CT},
 * {@code tc  ct}, {@code TCCT} and {@code TC CƯ TRÚ} mean the same; digits may come before or
 * after the topic.
 */
public final class CommandParser {

    private static final String LOOKUP_KEYWORD = "TC";

    /**
     * A command as a request row stores it ({@link #stored}): no citizen's text starts with it
     * that means anything else, since a text starting with {@code #} is help.
     */
    private static final Pattern STORED =
            Pattern.compile("#TC (?<topic>[A-Z]*)(?: (?<part>4|12):(?<pseudonym>[A-Za-z0-9_-]+))?|#TC \\?");

    private static final String STORED_INVALID_ID = "#TC ?";

    /**
     * The text a request row keeps for a command: it parses back to the same command, and holds
     * no typed ID, only the pseudonym of one (a lookup's claim must be pseudonymised first).
     */
    public static String stored(Command command) {
        if (command instanceof Command.Lookup lookup) {
            return "#TC " + lookup.topic().code()
                    + lookup.idClaim()
                            .map(c -> {
                                if (!(c instanceof Command.PseudonymousId p)) {
                                    throw new IllegalArgumentException("a typed ID is never stored");
                                }
                                return " " + (p.full() ? "12" : "4") + ":" + p.pseudonym();
                            })
                            .orElse("");
        }
        if (command instanceof Command.InvalidId) {
            return STORED_INVALID_ID;
        }
        if (command instanceof Command.Lock) {
            return "KHOA";
        }
        if (command instanceof Command.History) {
            return "LS";
        }
        return command instanceof Command.PrivacyNotice ? "HD BM" : "HD";
    }

    public Command parse(String text) {
        if (text != null && text.startsWith("#")) {
            return parseStored(text);
        }
        String compact = TextNormalizer.fold(text == null ? "" : text).replace(" ", "");
        switch (compact) {
            case "KHOA" -> {
                return new Command.Lock();
            }
            case "LS", "LICHSU" -> {
                return new Command.History();
            }
            case "HDBM", "BAOMAT", "HELPBM" -> {
                return new Command.PrivacyNotice();
            }
            default -> {}
        }
        if (!compact.startsWith(LOOKUP_KEYWORD)) {
            return new Command.Help();
        }
        String rest = compact.substring(LOOKUP_KEYWORD.length());
        StringBuilder letters = new StringBuilder();
        StringBuilder digits = new StringBuilder();
        int digitRuns = 0;
        boolean inDigits = false;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (Character.isDigit(c)) {
                if (!inDigits) {
                    digitRuns++;
                }
                inDigits = true;
                digits.append(c);
            } else {
                inDigits = false;
                letters.append(c);
            }
        }
        Optional<Topic> topic = topic(letters.toString());
        if (topic.isEmpty()) {
            return new Command.Help();
        }
        if (digits.length() == 0) {
            return new Command.Lookup(topic.get(), Optional.empty());
        }
        if (digitRuns > 1) {
            return new Command.InvalidId();
        }
        String id = digits.toString();
        if (id.length() == 4 || (id.length() == 12 && PersonalId.parse(id).isPresent())) {
            return new Command.Lookup(topic.get(), Optional.of(new Command.TypedId(id)));
        }
        return new Command.InvalidId();
    }

    private static Command parseStored(String text) {
        Matcher m = STORED.matcher(text);
        if (!m.matches()) {
            return new Command.Help();
        }
        if (text.equals(STORED_INVALID_ID)) {
            return new Command.InvalidId();
        }
        Optional<Topic> topic = topic(m.group("topic"));
        if (topic.isEmpty()) {
            return new Command.Help();
        }
        Optional<Command.IdClaim> claim = m.group("part") == null
                ? Optional.empty()
                : Optional.of(new Command.PseudonymousId(m.group("part").equals("12"), m.group("pseudonym")));
        return new Command.Lookup(topic.get(), claim);
    }

    private static Optional<Topic> topic(String letters) {
        for (Topic t : Topic.values()) {
            if (t.code().equals(letters) || t.synonyms().contains(letters)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
