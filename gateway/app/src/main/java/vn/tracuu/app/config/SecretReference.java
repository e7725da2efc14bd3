package vn.tracuu.app.config;

import java.util.Map;

/**
 * A secret the configuration names but never holds: {@code env:VARIABLE}, read from the
 * environment at start-up. The one place such a reference is resolved, so every secret key
 * refuses a literal value and an unset variable alike, naming the key.
 */
final class SecretReference {

    static final String PREFIX = "env:";

    private SecretReference() {}

    static boolean isReference(String value) {
        return value.startsWith(PREFIX);
    }

    /** The secret {@code node.name} refers to; refuses a literal secret and an unset variable. */
    static String resolve(ConfigNode node, String name, Map<String, String> env) {
        String value = node.string(name).trim();
        if (!isReference(value)) {
            throw new ConfigException(node.key(name) + ": must be env:VARIABLE, never the secret itself");
        }
        String variable = value.substring(PREFIX.length());
        String secret = env.get(variable);
        if (secret == null || secret.isEmpty()) {
            throw new ConfigException(node.key(name) + ": environment variable " + variable + " is not set");
        }
        return secret;
    }
}
