package vn.tracuu.smpp.session;

import java.nio.file.Path;
import java.util.Objects;
import vn.tracuu.core.domain.InvalidOption;

/**
 * The TLS listener for operators binding in, beside the plain one: its port (0 picks a free one)
 * and the PKCS12 key store with the server's key and certificate chain.
 */
public record TlsListener(int port, Path keyStore, String keyStorePassword) {

    public TlsListener {
        InvalidOption.inRange("port", port, 0, 65535);
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
    }
}
