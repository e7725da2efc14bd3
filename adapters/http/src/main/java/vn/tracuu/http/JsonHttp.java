package vn.tracuu.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import vn.tracuu.core.port.TransientFailure;

/**
 * JSON over HTTP with the contract's error mapping, shared by both HTTP adapters: 200 is a JSON
 * object, 404 is "no such entry", 429 and 503 (and a refused connection) are transient and carry
 * Retry-After, anything else is a failure. Every answer is untrusted until parsed by its adapter.
 */
final class JsonHttp {

    private final WebClient client;
    private final String basePath;
    private final HttpBackendOptions options;

    JsonHttp(Vertx vertx, HttpBackendOptions options) {
        URI uri = URI.create(options.baseUrl());
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        this.client = WebClient.create(
                vertx,
                new WebClientOptions()
                        .setDefaultHost(uri.getHost())
                        .setDefaultPort(uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80)
                        .setSsl(tls)
                        .setVerifyHost(true)
                        .setConnectTimeout((int) options.connectTimeout().toMillis())
                        .setTcpNoDelay(true)
                        .setUserAgent("tracuu"),
                new PoolOptions().setHttp1MaxSize(options.maxConnections()));
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.options = options;
    }

    Future<Optional<JsonObject>> get(String path) {
        return send(authorized(client.get(basePath + path)).send());
    }

    Future<Optional<JsonObject>> post(String path, JsonObject body) {
        return send(authorized(client.post(basePath + path)).sendJsonObject(body));
    }

    private HttpRequest<Buffer> authorized(HttpRequest<Buffer> request) {
        request.putHeader("Accept", "application/json");
        if (!options.authValue().isEmpty()) {
            request.putHeader(options.authHeader(), options.authValue());
        }
        return request;
    }

    private static Future<Optional<JsonObject>> send(Future<HttpResponse<Buffer>> response) {
        return response.transform(done -> {
            if (done.failed()) {
                Throwable cause = done.cause();
                return Future.failedFuture(
                        cause instanceof ConnectException ? new TransientFailure("connection refused", null) : cause);
            }
            HttpResponse<Buffer> r = done.result();
            int status = r.statusCode();
            if (status == 404) {
                return Future.succeededFuture(Optional.empty());
            }
            if (status == 429 || status == 503) {
                return Future.failedFuture(
                        new TransientFailure("HTTP " + status, retryAfter(r.getHeader("Retry-After"))));
            }
            if (status != 200) {
                return Future.failedFuture(new IllegalStateException("HTTP " + status));
            }
            try {
                Buffer body = r.body();
                if (body == null) {
                    throw new MalformedAnswer("empty body");
                }
                return Future.succeededFuture(Optional.of(new JsonObject(body)));
            } catch (DecodeException | ClassCastException e) {
                return Future.failedFuture(new MalformedAnswer("not a JSON object"));
            }
        });
    }

    /** RFC 9110 §10.2.3: delay-seconds or an HTTP date. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(
                        java.time.Instant.now(),
                        ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    void close() {
        client.close();
    }
}
