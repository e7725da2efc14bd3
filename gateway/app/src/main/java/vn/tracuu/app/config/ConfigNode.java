package vn.tracuu.app.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.tracuu.core.domain.InvalidOption;

/**
 * A YAML mapping read with its defaults beside it: the bundled gateway.yaml is the schema, so a
 * key it does not have is an error, and every value is checked as it is read. Error messages
 * name the full key path.
 */
final class ConfigNode {

    private static final Pattern FIELD_REFERENCE = Pattern.compile("\\{(\\w+)}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final String path;
    private final Map<String, Object> values;

    ConfigNode(String path, Map<String, Object> values) {
        this.path = path;
        this.values = values;
    }

    /** Overlays {@code override} on {@code defaults}: mappings merge, everything else replaces. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(String path, Map<String, Object> defaults, Map<String, Object> override) {
        Map<String, Object> out = new LinkedHashMap<>(defaults);
        for (Map.Entry<String, Object> e : override.entrySet()) {
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (!defaults.containsKey(e.getKey())) {
                throw new ConfigException("unknown key '" + key + "'");
            }
            Object base = defaults.get(e.getKey());
            if (base instanceof Map && e.getValue() instanceof Map) {
                out.put(e.getKey(), merge(key, (Map<String, Object>) base, (Map<String, Object>) e.getValue()));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    @SuppressWarnings("unchecked")
    ConfigNode child(String name) {
        Object v = values.get(name);
        if (!(v instanceof Map)) {
            throw new ConfigException(key(name) + ": must be a mapping");
        }
        return new ConfigNode(key(name), (Map<String, Object>) v);
    }

    String string(String name) {
        Object v = values.get(name);
        if (v == null) {
            return "";
        }
        if (v instanceof Map || v instanceof List) {
            throw new ConfigException(key(name) + ": must be a single value");
        }
        return v.toString();
    }

    String nonEmpty(String name) {
        String s = string(name);
        if (s.isBlank()) {
            throw new ConfigException(key(name) + ": must not be empty");
        }
        return s;
    }

    /** A whole number; its range is the options record's to check. */
    int integer(String name) {
        String s = string(name);
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key(name) + ": must be a whole number, got '" + s + "'");
        }
    }

    /**
     * Builds an options record from this section; a value the record refuses is reported under
     * its key here ({@code sentMarkLinger} is {@code <section>.sent-mark-linger}).
     */
    <T> T build(Supplier<T> options) {
        try {
            return options.get();
        } catch (InvalidOption e) {
            Matcher other = FIELD_REFERENCE.matcher(e.problem());
            StringBuilder problem = new StringBuilder();
            while (other.find()) {
                other.appendReplacement(problem, Matcher.quoteReplacement(key(kebab(other.group(1)))));
            }
            other.appendTail(problem);
            throw new ConfigException(key(kebab(e.field())) + ": " + problem);
        }
    }

    /** {@code sentMarkLinger} as the YAML writes it: {@code sent-mark-linger}. */
    static String kebab(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** A positive duration. */
    Duration duration(String name) {
        Duration d = durationOrZero(name);
        if (d.isZero()) {
            throw new ConfigException(key(name) + ": must be longer than zero");
        }
        return d;
    }

    Duration durationOrZero(String name) {
        String s = string(name);
        Matcher m = DURATION.matcher(s.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(
                    key(name) + ": must be a duration such as 500ms, 10s, 5m, 24h or 7d, got '" + s + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    <E extends Enum<E>> E choice(String name, Class<E> type) {
        String s = string(name);
        try {
            return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                allowed.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigException(
                    key(name) + ": must be one of " + String.join(", ", allowed) + ", got '" + s + "'");
        }
    }

    List<String> strings(String name) {
        Object v = values.get(name);
        if (!(v instanceof List<?> list)) {
            throw new ConfigException(key(name) + ": must be a list");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (o == null || o instanceof Map || o instanceof List) {
                throw new ConfigException(key(name) + ": must be a list of single values");
            }
            out.add(o.toString());
        }
        return out;
    }

    /**
     * A list of mappings whose entries take their missing keys from {@code template}, except
     * the {@code required} ones, which each entry must name itself.
     */
    @SuppressWarnings("unchecked")
    List<ConfigNode> entries(String name, Map<String, Object> template, List<String> required) {
        Object v = values.get(name);
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw new ConfigException(key(name) + ": must be a non-empty list");
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String entryPath = key(name) + "[" + i + "]";
            if (!(list.get(i) instanceof Map)) {
                throw new ConfigException(entryPath + ": must be a mapping");
            }
            Map<String, Object> entry = (Map<String, Object>) list.get(i);
            for (String r : required) {
                if (entry.get(r) == null) {
                    throw new ConfigException(entryPath + "." + r + ": must be given");
                }
            }
            out.add(new ConfigNode(entryPath, merge(entryPath, template, entry)));
        }
        return out;
    }
}
