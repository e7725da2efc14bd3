package vn.tracuu.core.command;

import java.util.Optional;
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

    public Command parse(String text) {
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
            return new Command.Lookup(topic.get(), Optional.of(new Command.IdClaim(id)));
        }
        return new Command.InvalidId();
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
