package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jsmpp.bean.BindType;
import org.junit.jupiter.api.Test;
import vn.tracuu.simulators.PhoneSimulator;

/** The operations endpoints while citizens text the gateway: counts that match, nothing personal. */
class AdminEndToEndTest {

    /** Status and body of a GET; a new connection each time, as a scraper that does not keep one open. */
    static Response get(TestGateway gateway, String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + gateway.gateway().adminPort() + path)
                        .toURL()
                        .openConnection();
        c.setRequestProperty("Connection", "close");
        c.setConnectTimeout(5000);
        c.setReadTimeout(10_000);
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            c.disconnect();
        }
    }

    record Response(int statusCode, String body) {}

    @Test
    void healthMetricsAndBindsTellWhatHappenedWithoutPersonalData() throws Exception {
        try (TestGateway gateway = new TestGateway(300, "")) {
            assertEquals(200, get(gateway, "/health/live").statusCode());
            Response ready = get(gateway, "/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals(404, get(gateway, "/nothing").statusCode());

            PhoneSimulator phone = gateway.phone("viettel", BindType.BIND_TRX);
            List<String> numbers = gateway.rows(
                    "SELECT s.msisdn FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
                            + "WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = 'viettel' "
                            + "AND s.sim_changed_at < now() - interval '30 days' ORDER BY s.msisdn",
                    3);
            String unverified = gateway.rows(
                            "SELECT msisdn FROM subscribers.subscriber WHERE status = 'unverified' ORDER BY msisdn", 1)
                    .get(0);
            for (String n : numbers) {
                phone.send(n, "8088", "TC NM");
                assertTrue(phone.awaitReply(n, Duration.ofSeconds(15)).text().startsWith("So DD"));
            }
            phone.send(unverified, "8088", "TC");
            phone.awaitReply(unverified, Duration.ofSeconds(15));
            phone.send(unverified, "8088", "HD");
            phone.awaitReply(unverified, Duration.ofSeconds(15));

            String metrics = get(gateway, "/metrics").body();
            assertTrue(
                    metrics.contains("tracuu_requests_total{channel=\"SMS\",command=\"TC\",outcome=\"ANSWERED\"} 3.0"),
                    metrics);
            assertTrue(metrics.contains("tracuu_requests_total{channel=\"SMS\",command=\"HD\",outcome=\"HELP\"} 1.0"));
            assertTrue(
                    metrics.contains("tracuu_refusals_total{reason=\"NOT_VERIFIED\"} 1.0")
                            || metrics.contains("tracuu_refusals_total{reason=\"OPERATOR_MISMATCH\"} 1.0"),
                    metrics);
            assertTrue(metrics.contains("tracuu_reply_latency_seconds_count 5"), metrics);
            assertTrue(metrics.contains("tracuu_processing_seconds_count 5"), "each decision timed: " + metrics);
            assertTrue(
                    sum(metrics, "tracuu_processing_seconds_sum") < sum(metrics, "tracuu_reply_latency_seconds_sum"),
                    "the work alone, without the reply hold");
            assertTrue(metrics.contains("tracuu_binds{operator=\"viettel\",role=\"smsc\"} 1.0"), metrics);
            assertTrue(metrics.contains("tracuu_bind_refusals_total{reason=\"WRONG_PASSWORD\"} 0.0"), metrics);
            assertTrue(metrics.contains("tracuu_audit_anchor_last_timestamp_seconds "), metrics);
            assertTrue(metrics.contains("tracuu_outbox_expired_total 0.0"), metrics);
            assertTrue(metrics.contains("tracuu_outbox_send_failures_total 0.0"), metrics);
            assertTrue(
                    metrics.contains("tracuu_bind_messages_received_total{operator=\"viettel\",role=\"smsc\"} 5.0"),
                    "per operator and role, never per connection: " + metrics);
            assertTrue(metrics.contains("tracuu_binds{operator=\"mobifone\",role=\"smsc\"} 0.0"), "every operator");
            assertTrue(
                    metrics.contains("tracuu_guard_circuit_state{guard=\"population\",state=\"disabled\"} 1.0"),
                    "the population guard in our own database has no circuit: " + metrics);
            assertTrue(metrics.contains("tracuu_outbox_depth"), metrics);
            assertTrue(metrics.contains("tracuu_db_pool_max_connections 8.0"), metrics);
            java.util.regex.Matcher open = java.util.regex.Pattern.compile("tracuu_db_pool_connections ([0-9.]+)")
                    .matcher(metrics);
            assertTrue(open.find(), metrics);
            double connections = Double.parseDouble(open.group(1));
            assertTrue(
                    connections >= 1 && connections <= 8,
                    "the pool has opened some of its 8 connections: " + connections);
            assertTrue(metrics.contains("tracuu_ussd_sessions_open 0.0"), metrics);
            assertTrue(
                    metrics.contains("tracuu_node_info{node=\""
                            + gateway.config().lookup().nodeId() + "\"} 1"),
                    metrics);

            JsonArray binds = new JsonArray(get(gateway, "/binds").body());
            assertEquals(1, binds.size());
            JsonObject bind = binds.getJsonObject(0);
            assertEquals("viettel", bind.getString("operator"));
            assertEquals(gateway.config().lookup().nodeId(), bind.getString("node"), "which node holds the bind");
            assertEquals("transceiver", bind.getString("type"));
            assertEquals("BOUND", bind.getString("state"));
            assertEquals(5, bind.getLong("messagesReceived"));
            assertTrue(bind.getLong("segmentsDelivered") >= 5, "five replies, one or more segments each");

            // as on a node pointed at a standby: it answers reads and refuses every accept
            gateway.execute("ALTER SYSTEM SET default_transaction_read_only = on");
            gateway.execute("SELECT pg_reload_conf()");
            try {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> get(gateway, "/health/ready").statusCode() == 503);
                assertTrue(get(gateway, "/health/ready").body().contains("\"database\":false"));
            } finally {
                gateway.execute("ALTER SYSTEM RESET default_transaction_read_only");
                gateway.execute("SELECT pg_reload_conf()");
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> get(gateway, "/health/ready").statusCode() == 200);

            for (String body : List.of(metrics, binds.encode(), ready.body())) {
                for (String n : numbers) {
                    assertFalse(body.contains(n), "no MSISDN in the admin endpoints");
                }
                assertFalse(body.contains(unverified));
            }
        }
    }

    private static double sum(String metrics, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + name + " ([0-9.Ee+-]+)$")
                .matcher(metrics);
        assertTrue(m.find(), name);
        return Double.parseDouble(m.group(1));
    }
}
