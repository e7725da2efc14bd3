package vn.tracuu.smpp.session;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import vn.tracuu.core.domain.InvalidOption;
import vn.tracuu.smpp.text.Alphabet;
import vn.tracuu.smpp.text.Concatenation;
import vn.tracuu.smpp.ussd.UssdMapping;

/**
 * One operator, from an entry of {@code operators} in the YAML config: how it may bind in (a
 * {@code password} check that never matches when it may not), how the gateway binds out to it
 * ({@code bindOut}, when it expects that), its short codes, reply encoding, and the throughput it
 * allows per bind ({@code sendRate} segments/s toward it, {@code receiveRate} messages/s from it;
 * 0 means no cap), and how its USSD centre maps USSD onto SMPP ({@code ussd}).
 */
public record OperatorOptions(
        String id,
        String systemId,
        PasswordCheck password,
        List<String> allowedAddresses,
        int maxBinds,
        List<String> shortCodes,
        Alphabet alphabet,
        Concatenation concatenation,
        int maxSegments,
        int sendRate,
        int receiveRate,
        Optional<OutboundBindOptions> bindOut,
        UssdMapping ussd,
        boolean tlsOnly,
        String clientCertificateSha256) {

    public static final int DEFAULT_MAX_BINDS = 4;
    public static final int DEFAULT_MAX_SEGMENTS = 4;
    public static final int DEFAULT_SEND_RATE = 0;
    public static final int DEFAULT_RECEIVE_RATE = 0;

    public OperatorOptions {
        Objects.requireNonNull(systemId, "systemId");
        // SMPP 3.4 §4.1.1: system_id is a C-Octet String of at most 16 octets with its NUL
        InvalidOption.require(systemId.length() <= 15, "systemId", "must be at most 15 characters (SMPP 3.4 §4.1.1)");
        for (String entry : allowedAddresses) {
            InvalidOption.require(
                    AddressRange.parse(entry).isPresent(),
                    "allowedAddresses",
                    "'" + entry + "' is not an IP address or a CIDR range such as 10.1.0.0/16 or 2001:db8::/32");
        }
        InvalidOption.inRange("maxBinds", maxBinds, 1, 1000);
        InvalidOption.inRange("maxSegments", maxSegments, 1, 255);
        InvalidOption.inRange("sendRate", sendRate, 0, 1_000_000);
        InvalidOption.inRange("receiveRate", receiveRate, 0, 1_000_000);
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(systemId, "systemId");
        Objects.requireNonNull(password, "password");
        allowedAddresses = List.copyOf(allowedAddresses);
        shortCodes = List.copyOf(shortCodes);
        Objects.requireNonNull(alphabet, "alphabet");
        Objects.requireNonNull(concatenation, "concatenation");
        Objects.requireNonNull(bindOut, "bindOut");
        Objects.requireNonNull(ussd, "ussd");
        clientCertificateSha256 = clientCertificateSha256.replace(":", "").toLowerCase(java.util.Locale.ROOT);
        InvalidOption.require(
                clientCertificateSha256.isEmpty() || clientCertificateSha256.matches("[0-9a-f]{64}"),
                "clientCertificateSha256",
                "must be the SHA-256 of the certificate's DER form, 64 hex digits (colons allowed)");
    }

    /** An operator with every binding option but the TLS ones, which are off. */
    public OperatorOptions(
            String id,
            String systemId,
            PasswordCheck password,
            List<String> allowedAddresses,
            int maxBinds,
            List<String> shortCodes,
            Alphabet alphabet,
            Concatenation concatenation,
            int maxSegments,
            int sendRate,
            int receiveRate,
            Optional<OutboundBindOptions> bindOut,
            UssdMapping ussd) {
        this(
                id,
                systemId,
                password,
                allowedAddresses,
                maxBinds,
                shortCodes,
                alphabet,
                concatenation,
                maxSegments,
                sendRate,
                receiveRate,
                bindOut,
                ussd,
                false,
                "");
    }

    /** Whether this operator binds in over TLS only: it asked so, or pinned a client certificate. */
    public boolean requiresTls() {
        return tlsOnly || !clientCertificateSha256.isEmpty();
    }

    /** An operator that only binds in, as the first version of the gateway knew them. */
    public OperatorOptions(
            String id,
            String systemId,
            PasswordCheck password,
            List<String> allowedAddresses,
            int maxBinds,
            List<String> shortCodes,
            Alphabet alphabet,
            Concatenation concatenation,
            int maxSegments) {
        this(
                id,
                systemId,
                password,
                allowedAddresses,
                maxBinds,
                shortCodes,
                alphabet,
                concatenation,
                maxSegments,
                DEFAULT_SEND_RATE,
                DEFAULT_RECEIVE_RATE,
                Optional.empty(),
                UssdMapping.DEFAULT);
    }

    public boolean acceptsBinds() {
        return password.acceptsAny();
    }

    /** Whether a bind from {@code address} is in this operator's allow-list. */
    public boolean allows(String address) {
        return allowedAddresses.stream()
                .map(AddressRange::parse)
                .flatMap(Optional::stream)
                .anyMatch(range -> range.contains(address));
    }
}
