package vn.tracuu.app.config;

/** A configuration problem, worded as the one line start-up prints: the key, what is wrong. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
