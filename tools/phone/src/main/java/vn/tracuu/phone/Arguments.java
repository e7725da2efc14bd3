package vn.tracuu.phone;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code --name value} options and the remaining words, checked against what a command takes. */
final class Arguments {

    private final Map<String, String> options = new HashMap<>();
    private final List<String> words = new ArrayList<>();

    public Arguments(List<String> args, Set<String> allowed) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                String name = a.substring(2);
                if (!allowed.contains(name)) {
                    throw new IllegalArgumentException(
                            "unknown option --" + name + " (takes: --" + String.join(", --", allowed) + ")");
                }
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
                options.put(name, args.get(++i));
            } else {
                words.add(a);
            }
        }
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    public int integer(String name, int fallback) {
        String v = options.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + " must be a whole number, got '" + v + "'");
        }
    }

    public List<String> words() {
        return words;
    }
}
