package vn.tracuu.smpp.session;

import io.vertx.core.net.NetSocket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * What a connection's transport says about its peer: whether it is TLS, and the SHA-256 of the
 * client certificate it presented (empty: none), which an operator may pin.
 */
public record PeerTls(boolean encrypted, String certificateSha256) {

    public static final PeerTls PLAIN = new PeerTls(false, "");

    static PeerTls of(NetSocket socket) {
        if (!socket.isSsl()) {
            return PLAIN;
        }
        try {
            List<Certificate> chain = socket.peerCertificates();
            return new PeerTls(true, chain == null || chain.isEmpty() ? "" : sha256(chain.get(0)));
        } catch (SSLPeerUnverifiedException none) {
            return new PeerTls(true, "");
        }
    }

    /** The SHA-256 of a certificate's DER form, in lower-case hex: what {@code client-certificate-sha256} pins. */
    public static String sha256(Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
