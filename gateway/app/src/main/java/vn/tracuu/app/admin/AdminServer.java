package vn.tracuu.app.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.smpp.client.BindOutSlot;
import vn.tracuu.smpp.session.BindSnapshot;

/**
 * The operations listener, on a loopback address by default: {@code /health/live},
 * {@code /health/ready} (database answers, SMPP listening, and a bind of every operator when
 * configured so), {@code /metrics} (Prometheus) and {@code /binds} (the live binds, and the
 * bind-outs that are down). Nothing personal in any.
 */
public final class AdminServer {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final Vertx vertx;
    private final AdminOptions options;
    private final String nodeId;
    private final GatewayMetrics metrics;
    private final Supplier<Future<Void>> databaseWritable;
    private final Supplier<Boolean> smppListening;
    private final Supplier<List<BindSnapshot>> binds;
    private final Supplier<List<BindOutSlot>> bindOutSlots;
    private final Supplier<List<String>> operators;
    private final Supplier<Future<String>> reload;
    private HttpServer server;

    /** {@code databaseWritable}: fails unless the database takes writes now. */
    public AdminServer(
            Vertx vertx,
            AdminOptions options,
            String nodeId,
            GatewayMetrics metrics,
            Supplier<Future<Void>> databaseWritable,
            Supplier<Boolean> smppListening,
            Supplier<List<BindSnapshot>> binds,
            Supplier<List<BindOutSlot>> bindOutSlots,
            Supplier<List<String>> operators,
            Supplier<Future<String>> reload) {
        this.vertx = vertx;
        this.options = options;
        this.nodeId = nodeId;
        this.metrics = metrics;
        this.databaseWritable = databaseWritable;
        this.smppListening = smppListening;
        this.binds = binds;
        this.bindOutSlots = bindOutSlots;
        this.operators = operators;
        this.reload = reload;
    }

    public Future<Integer> start() {
        HttpServerOptions http = new HttpServerOptions().setHost(options.host()).setPort(options.port());
        options.tlsKeyStore()
                .ifPresent(keyStore -> http.setSsl(true)
                        .setKeyCertOptions(new PfxOptions()
                                .setPath(keyStore.toString())
                                .setPassword(options.tlsKeyStorePassword())));
        server = vertx.createHttpServer(http);
        server.requestHandler(this::handle);
        return server.listen().map(HttpServer::actualPort);
    }

    public Future<Void> stop() {
        // no grace: a scraper's idle keep-alive connection must not hold up a shutdown
        return server == null ? Future.succeededFuture() : server.shutdown(0, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void handle(HttpServerRequest request) {
        try {
            // reads only, but for the reload of the operators, which only POST asks for
            boolean reloading = request.path().equals("/reload");
            boolean allowed = reloading
                    ? request.method() == HttpMethod.POST
                    : request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
            if (!allowed) {
                request.response()
                        .setStatusCode(405)
                        .putHeader("Allow", reloading ? "POST" : "GET, HEAD")
                        .end();
                return;
            }
            if (!request.path().startsWith("/health/") && !authorized(request)) {
                request.response()
                        .setStatusCode(401)
                        .putHeader("WWW-Authenticate", "Bearer realm=\"tracuu\"")
                        .end();
                return;
            }
            route(request);
        } catch (RuntimeException e) {
            LOG.warn("admin {} failed: {}", request.path(), e.toString());
            request.response().setStatusCode(500).end();
        }
    }

    /** With {@code admin.token-sha256} set, the request's bearer token must hash to it (compared in constant time). */
    private boolean authorized(HttpServerRequest request) {
        if (options.tokenSha256().isEmpty()) {
            return true;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = sha256(header.substring(7).strip());
        return MessageDigest.isEqual(given, HexFormat.of().parseHex(options.tokenSha256()));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void route(HttpServerRequest request) {
        switch (request.path()) {
            case "/health/live" ->
                request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
            case "/health/ready" -> ready(request);
            case "/reload" ->
                reload.get()
                        .onComplete(done -> request.response()
                                .setStatusCode(done.succeeded() ? 200 : 400)
                                .putHeader("Content-Type", "text/plain; charset=utf-8")
                                .end((done.succeeded()
                                                ? done.result()
                                                : done.cause().getMessage()) + "\n"));
            case "/metrics" ->
                request.response()
                        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(metrics.scrape());
            case "/binds" -> {
                JsonArray out = new JsonArray();
                binds.get()
                        .forEach(b -> out.add(new JsonObject()
                                .put("node", nodeId)
                                .put("operator", b.operatorId())
                                .put("bind", b.bindId())
                                .put("role", b.role())
                                .put("type", b.type())
                                .put("state", b.state())
                                .put("messagesReceived", b.messagesReceived())
                                .put("messagesThrottled", b.messagesThrottled())
                                .put("segmentsDelivered", b.segmentsDelivered())
                                .put("throttledByPeer", b.throttledByPeer())
                                .put("lateResponses", b.lateResponses())
                                .put("receipts", b.receipts())
                                .put("outstanding", b.outstanding())
                                .put("inFlight", b.inFlight())));
                // a bind-out that is down is listed too, with why its last attempt failed
                bindOutSlots.get().stream()
                        .filter(slot -> !slot.up())
                        .forEach(slot -> out.add(new JsonObject()
                                .put("node", nodeId)
                                .put("operator", slot.operatorId())
                                .put("bind", slot.name())
                                .put("role", "esme")
                                .put("state", "DOWN")
                                .put("failedAttempts", slot.failedAttempts())
                                .put("lastError", slot.lastError())));
                request.response().putHeader("Content-Type", "application/json").end(out.encodePrettily());
            }
            default -> request.response().setStatusCode(404).end();
        }
    }

    private void ready(HttpServerRequest request) {
        JsonObject checks = new JsonObject().put("smpp", smppListening.get());
        if (options.readyRequiresBinds()) {
            List<String> bound = binds.get().stream()
                    .map(BindSnapshot::operatorId)
                    .distinct()
                    .toList();
            checks.put("binds", bound.containsAll(operators.get()));
        }
        databaseWritable.get().timeout(2, java.util.concurrent.TimeUnit.SECONDS).onComplete(db -> {
            checks.put("database", db.succeeded());
            checks.put("node", nodeId);
            boolean up = checks.stream()
                    .filter(e -> e.getValue() instanceof Boolean)
                    .allMatch(e -> Boolean.TRUE.equals(e.getValue()));
            request.response()
                    .setStatusCode(up ? 200 : 503)
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject()
                            .put("status", up ? "UP" : "DOWN")
                            .put("checks", checks)
                            .encode());
        });
    }
}
