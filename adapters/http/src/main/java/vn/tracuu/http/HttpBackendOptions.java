package vn.tracuu.http;

import java.time.Duration;
import java.util.Objects;
import vn.tracuu.core.domain.InvalidOption;

/**
 * One HTTP back-end, from {@code population.http} or {@code subscribers.http}: its base URL
 * (https means TLS, verified against the JVM's trust store), the header carrying the credential
 * (a bearer token or an API key) and its value, and the connection limits.
 */
public record HttpBackendOptions(
        String baseUrl, String authHeader, String authValue, Duration connectTimeout, int maxConnections) {

    public static final String DEFAULT_AUTH_HEADER = "Authorization";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_CONNECTIONS = 32;

    public HttpBackendOptions {
        InvalidOption.inRange("maxConnections", maxConnections, 1, 10_000);
        Objects.requireNonNull(baseUrl, "baseUrl");
        authHeader = authHeader == null || authHeader.isBlank() ? DEFAULT_AUTH_HEADER : authHeader;
        authValue = authValue == null ? "" : authValue;
    }
}
