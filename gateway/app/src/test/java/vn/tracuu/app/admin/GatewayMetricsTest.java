package vn.tracuu.app.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.guard.GuardSnapshot;
import vn.tracuu.smpp.session.BindTotals;

/**
 * The exposition read as Prometheus' own check reads it: every family with its help text and a
 * type, counters named {@code _total}, the counts there at zero before the first event, the
 * JVM's figures beside the gateway's, a circuit's state as a label.
 */
class GatewayMetricsTest {

    private final GatewayMetrics metrics = new GatewayMetrics(
            "node-1",
            () -> List.of(new BindTotals("viettel", "smsc", 1, 4, 10, 0, 9, 0, 0, 0, 0)),
            () -> List.of(new GuardSnapshot("population", "HALF_OPEN", 3, 1, 0, 0, 0, 0, 0, 0)));

    @Test
    void everyFamilyHasHelpTextAndATypeAndEveryCounterEndsInTotal() {
        List<String> problems = new ArrayList<>();
        String help = null;
        for (String line : metrics.scrape().lines().toList()) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.split(" ", 4);
                help = parts[2];
                if (parts.length < 4 || parts[3].isBlank()) {
                    problems.add("no help text: " + parts[2]);
                }
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                if (!parts[2].equals(help)) {
                    problems.add("no HELP before TYPE: " + parts[2]);
                }
                if (parts[3].equals("counter") != parts[2].endsWith("_total")) {
                    problems.add(parts[2] + " is a " + parts[3]);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void countsArePresentAtZeroBeforeTheirFirstEvent() {
        String scrape = metrics.scrape();
        for (String series : List.of(
                "tracuu_requests_total{channel=\"SMS\",command=\"TC\",outcome=\"ANSWERED\"} 0.0",
                "tracuu_requests_total{channel=\"USSD\",command=\"TC\",outcome=\"BUSY\"} 0.0",
                "tracuu_refusals_total{reason=\"ID_MISMATCH\"} 0.0",
                "tracuu_receipts_total{known=\"false\",state=\"DELIVERED\"} 0.0",
                "tracuu_inbound_duplicates_total 0.0",
                "tracuu_retention_removed_total{table=\"audit\"} 0.0")) {
            assertTrue(scrape.contains(series), series + " missing");
        }
    }

    @Test
    void theJvmTheBuildAndTheCircuitStateAreExported() {
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("jvm_memory_used_bytes{"), "JVM memory");
        assertTrue(scrape.contains("jvm_threads_live_threads "), "JVM threads");
        assertTrue(scrape.contains("process_cpu_usage "), "process CPU");
        assertTrue(scrape.contains("tracuu_build_info{version=\""), "build info");
        assertTrue(scrape.contains("tracuu_binds{operator=\"viettel\",role=\"smsc\"} 1.0"), "binds up, per operator");
        assertTrue(scrape.contains("tracuu_binds_configured{operator=\"viettel\",role=\"smsc\"} 4.0"));
        assertTrue(scrape.contains("tracuu_bind_messages_received_total{operator=\"viettel\",role=\"smsc\"} 10.0"));
        assertTrue(scrape.contains("tracuu_guard_circuit_state{guard=\"population\",state=\"half_open\"} 1.0"));
        assertTrue(scrape.contains("tracuu_guard_circuit_state{guard=\"population\",state=\"open\"} 0.0"));
        assertEquals(
                1,
                scrape.lines()
                        .filter(l ->
                                l.startsWith("tracuu_guard_circuit_state{guard=\"population\"") && l.endsWith(" 1.0"))
                        .count(),
                "one state at a time");
    }
}
