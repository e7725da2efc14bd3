package vn.tracuu.app.admin;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import vn.tracuu.core.domain.InvalidOption;

/**
 * The admin HTTP listener, from the {@code admin} section; {@code port} -1 turns it off. With
 * {@code tlsKeyStore} it speaks HTTPS; with {@code tokenSha256} (the SHA-256 of a bearer token,
 * hex) everything but {@code /health/*} needs {@code Authorization: Bearer <token>}.
 */
public record AdminOptions(
        String host,
        int port,
        boolean readyRequiresBinds,
        Optional<Path> tlsKeyStore,
        String tlsKeyStorePassword,
        String tokenSha256) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8025;

    public AdminOptions {
        InvalidOption.inRange("port", port, -1, 65535);
        Objects.requireNonNull(tlsKeyStore, "tlsKeyStore");
        Objects.requireNonNull(tlsKeyStorePassword, "tlsKeyStorePassword");
        tokenSha256 = tokenSha256.replace(":", "").toLowerCase(Locale.ROOT);
        InvalidOption.require(
                tokenSha256.isEmpty() || tokenSha256.matches("[0-9a-f]{64}"),
                "tokenSha256",
                "must be the SHA-256 of the token, 64 hex digits (sha256sum prints it)");
    }

    /** Plain HTTP, no token: a listener on a loopback address. */
    public AdminOptions(String host, int port, boolean readyRequiresBinds) {
        this(host, port, readyRequiresBinds, Optional.empty(), "", "");
    }

    public boolean enabled() {
        return port >= 0;
    }
}
