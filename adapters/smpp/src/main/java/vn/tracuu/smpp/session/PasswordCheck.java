package vn.tracuu.smpp.session;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * How a bind password is checked: against its config form {@code pbkdf2-sha256:<iterations>:<salt>:<hash>}
 * (Base64), or against a password the configuration read from the environment. The committed
 * config never holds a password in plain text.
 */
public final class PasswordCheck {

    private static final String PBKDF2 = "pbkdf2-sha256:";
    private static final int DEFAULT_ITERATIONS = 100_000;

    private final byte[] salt;
    private final int iterations;
    private final byte[] expected;
    // what tells two checks apart when a reload compares configurations: the configured hash, or
    // a digest of the secret (whose own salt is new at each reading)
    private final String identity;

    /** For an operator that never binds in (the gateway binds out to it): no password matches. */
    public static final PasswordCheck NONE = new PasswordCheck(new byte[0], 0, new byte[0], "none");

    private PasswordCheck(byte[] salt, int iterations, byte[] expected, String identity) {
        this.salt = salt;
        this.iterations = iterations;
        this.expected = expected;
        this.identity = identity;
    }

    /**
     * A password given in clear by the configuration's secret store (an environment variable):
     * kept only as a salted hash, like a configured one.
     */
    public static PasswordCheck ofSecret(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return new PasswordCheck(salt, 1, derive(password, salt, 1), "secret:" + digest(password));
    }

    /** Parses a configured {@code pbkdf2-sha256:…} hash. Fails with a reason. */
    public static PasswordCheck parse(String spec) {
        if (spec.startsWith(PBKDF2)) {
            String[] parts = spec.substring(PBKDF2.length()).split(":");
            try {
                if (parts.length == 3) {
                    return new PasswordCheck(
                            Base64.getDecoder().decode(parts[1]),
                            Integer.parseInt(parts[0]),
                            Base64.getDecoder().decode(parts[2]),
                            spec);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed pbkdf2-sha256 hash");
            }
            throw new IllegalArgumentException("malformed pbkdf2-sha256 hash");
        }
        throw new IllegalArgumentException(
                "must be pbkdf2-sha256:<iterations>:<salt>:<hash> or env:<VARIABLE>, not a plain password");
    }

    /** The config form of a new password (the {@code hash-password} command prints it). */
    public static String hash(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return PBKDF2 + DEFAULT_ITERATIONS + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(derive(password, salt, DEFAULT_ITERATIONS));
    }

    public boolean matches(String given) {
        if (this == NONE) {
            return false;
        }
        return MessageDigest.isEqual(expected, derive(given, salt, iterations));
    }

    public boolean acceptsAny() {
        return this != NONE;
    }

    /** The same configured password: the same hash, or the same secret. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordCheck other && identity.equals(other.identity);
    }

    @Override
    public int hashCode() {
        return identity.hashCode();
    }

    private static String digest(String secret) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
