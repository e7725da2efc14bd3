package vn.tracuu.smpp.session;

import java.util.Objects;
import vn.tracuu.core.domain.InvalidOption;
import vn.tracuu.smpp.codec.CommandId;

/**
 * Where and how the gateway binds to an operator's SMSC as an ESME (SMPP 3.4 §4.1.1), from an
 * operator's {@code bind-out} entry. {@code bindCommandId} is bind_transmitter, _receiver or
 * _transceiver; {@code binds} how many such binds to hold.
 */
public record OutboundBindOptions(
        String host,
        int port,
        boolean tls,
        String systemId,
        String password,
        String systemType,
        int bindCommandId,
        String addressRange,
        int binds,
        String trustStore,
        String trustStorePassword) {

    public static final int DEFAULT_PORT = 2775;
    public static final int DEFAULT_BINDS = 1;

    /** Binding out with the JVM's trust store for TLS. */
    public OutboundBindOptions(
            String host,
            int port,
            boolean tls,
            String systemId,
            String password,
            String systemType,
            int bindCommandId,
            String addressRange,
            int binds) {
        this(host, port, tls, systemId, password, systemType, bindCommandId, addressRange, binds, "", "");
    }

    public OutboundBindOptions {
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(trustStorePassword, "trustStorePassword");
        Objects.requireNonNull(systemId, "systemId");
        Objects.requireNonNull(password, "password");
        // SMPP 3.4 §4.1.1: system_id at most 15 characters and password at most 8, each with its NUL
        InvalidOption.require(systemId.length() <= 15, "systemId", "must be at most 15 characters (SMPP 3.4 §4.1.1)");
        InvalidOption.require(password.length() <= 8, "password", "is longer than 8 characters (SMPP 3.4 §4.1.1)");
        InvalidOption.inRange("port", port, 1, 65535);
        InvalidOption.inRange("binds", binds, 1, 100);
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(systemId, "systemId");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(systemType, "systemType");
        Objects.requireNonNull(addressRange, "addressRange");
        if (bindCommandId != CommandId.BIND_TRANSMITTER
                && bindCommandId != CommandId.BIND_RECEIVER
                && bindCommandId != CommandId.BIND_TRANSCEIVER) {
            throw new IllegalArgumentException("not a bind command: " + bindCommandId);
        }
    }

    @Override
    public String toString() {
        // the password stays out of logs
        return "OutboundBindOptions[" + systemId + "@" + host + ":" + port + (tls ? " tls" : "") + " x" + binds + "]";
    }
}
