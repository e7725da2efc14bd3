package vn.tracuu.app.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the configuration's files live: relative paths in an override file are taken from that
 * file's directory, the bundled defaults' from the data directory; never from the shell's
 * working directory.
 */
final class ConfigFiles {

    static final String ENV_HOME = "TRACUU_HOME";

    private ConfigFiles() {}

    /**
     * The data directory the bundled defaults' relative paths are taken from:
     * {@code TRACUU_HOME}, else {@code $XDG_DATA_HOME/tracuu}, else {@code ~/.local/share/tracuu};
     * never the shell's working directory, so a command run from elsewhere finds the same keys and data.
     */
    static Path home(Map<String, String> env) {
        String home = env.getOrDefault(ENV_HOME, "").trim();
        if (!home.isEmpty()) {
            return Path.of(home).toAbsolutePath();
        }
        String xdg = env.getOrDefault("XDG_DATA_HOME", "").trim();
        return (xdg.isEmpty() ? Path.of(System.getProperty("user.home"), ".local", "share") : Path.of(xdg))
                .resolve("tracuu")
                .toAbsolutePath();
    }

    /** The keys that name files or directories. */
    private static final List<List<String>> PATH_KEYS = List.of(
            List.of("audit", "key-file"),
            List.of("audit", "anchor-file"),
            List.of("database", "embedded-data-dir"),
            List.of("smpp", "tls-key-store"),
            List.of("admin", "tls-key-store"));

    /**
     * The override with its relative paths made absolute against {@code directory}, the file's
     * own: a node started from another working directory finds the same keys, anchors and data.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> relativeTo(Path directory, Map<String, Object> override) {
        Map<String, Object> out = new LinkedHashMap<>(override);
        for (List<String> key : PATH_KEYS) {
            if (out.get(key.get(0)) instanceof Map<?, ?> section
                    && section.get(key.get(1)) instanceof String value
                    && !value.isBlank()
                    && !Path.of(value).isAbsolute()) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) section);
                copy.put(key.get(1), directory.resolve(value).normalize().toString());
                out.put(key.get(0), copy);
            }
        }
        return out;
    }
}
