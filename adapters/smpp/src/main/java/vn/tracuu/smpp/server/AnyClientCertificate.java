package vn.tracuu.smpp.server;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * Takes any client certificate at the TLS handshake, and no server's: an operator's own
 * certificate, self-signed or from its CA, is authenticated by the fingerprint it pinned in
 * {@code client-certificate-sha256}, which the bind checks; TLS still proves the client holds
 * the certificate's key.
 */
enum AnyClientCertificate implements X509TrustManager {
    INSTANCE;

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // the bind checks the pinned fingerprint
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a listener's trust manager: never used for a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
