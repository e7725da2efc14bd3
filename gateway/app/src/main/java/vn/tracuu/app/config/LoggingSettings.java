package vn.tracuu.app.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code logging} section: how events are written and at which levels. Applied by the
 * {@code run} command ({@code LogOutput}); tests and the benchmark keep their own logging.
 */
public record LoggingSettings(Format format, String level, Map<String, String> levels) {

    public static final List<String> LEVELS = List.of("OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    /** How a log event is written. */
    public enum Format {
        TEXT,
        JSON
    }

    public LoggingSettings {
        levels = Map.copyOf(levels);
    }

    static LoggingSettings read(ConfigNode l) {
        Map<String, String> levels = new LinkedHashMap<>();
        for (String entry : l.strings("levels")) {
            int eq = entry.indexOf('=');
            String name = eq < 0 ? "" : entry.substring(0, eq).trim();
            if (name.isEmpty()) {
                throw new ConfigException(l.key("levels") + ": '" + entry + "' is not name=LEVEL");
            }
            levels.put(name, level(l, "levels", entry.substring(eq + 1)));
        }
        return new LoggingSettings(l.choice("format", Format.class), level(l, "level", l.string("level")), levels);
    }

    private static String level(ConfigNode l, String key, String value) {
        String level = value.trim().toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new ConfigException(
                    l.key(key) + ": '" + value.trim() + "' is not one of " + String.join(", ", LEVELS));
        }
        return level;
    }
}
