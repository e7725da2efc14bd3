package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring files in {@code ops/} against a running gateway: Prometheus' own promtool finds
 * nothing to lint in what {@code /metrics} exports, parses the alert rules and the dashboard's
 * queries, runs the alerts' unit tests, and every metric those name is one the gateway exports.
 * promtool comes from Debian's {@code prometheus} package, which {@code .ci/run} installs.
 */
class MonitoringFilesTest {

    private static final Path OPS =
            Path.of(System.getProperty("user.dir"), "..", "..", "ops").normalize();
    // Prometheus' own series, not the gateway's
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    private static final Pattern METRIC =
            Pattern.compile("\\b((?:tracuu|jvm|process|system|vertx)_[a-zA-Z0-9_]+|up)\\b(?!\\s*\\()");

    private static TestGateway gateway;
    private static String scrape;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = new TestGateway(50, "");
        // the GC's pause timer appears with the first collection's notification
        System.gc();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> (scrape =
                                AdminEndToEndTest.get(gateway, "/metrics").body())
                        .contains("jvm_gc_pause_seconds_count"));
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.close();
    }

    @Test
    void promtoolFindsNothingToLintInTheExposition() throws Exception {
        Path exposition = tmp.resolve("metrics.txt");
        Files.writeString(exposition, scrape);
        Result lint = promtool(exposition, "check", "metrics");
        assertEquals(0, lint.exit(), lint.output());
        assertEquals("", lint.output().strip());
        assertTrue(scrape.contains("vertx_pool_in_use{pool_name=\"tracuu-pg\",pool_type=\"sql\"}"), "pool in use");
        assertTrue(scrape.contains("vertx_pool_queue_pending{pool_name=\"tracuu-pg\",pool_type=\"sql\"}"), "waiting");
        assertTrue(scrape.contains("tracuu_pdus_rejected_total{status=\"ESME_RTHROTTLED\"} 0.0"), "rejections at zero");
        assertTrue(scrape.contains("tracuu_db_writable 1.0"), "writable");
    }

    @Test
    void theAlertRulesParsePassTheirUnitTestsAndNameExportedMetrics() throws Exception {
        Path rules = OPS.resolve("prometheus/alerts.yml");
        Result check = promtool(null, "check", "rules", rules.toString());
        assertEquals(0, check.exit(), check.output());
        Result unit = promtool(
                null, "test", "rules", OPS.resolve("prometheus/alerts-test.yml").toString());
        assertEquals(0, unit.exit(), unit.output());
        Result config = promtool(
                null,
                "check",
                "config",
                OPS.resolve("prometheus/prometheus.yml").toString());
        assertEquals(0, config.exit(), config.output());

        List<String> exprs = Files.readAllLines(rules).stream()
                .filter(l -> !l.strip().startsWith("#"))
                .collect(Collectors.toList());
        assertMetricsExported(String.join("\n", exprs), "alerts.yml");
    }

    @Test
    void theDashboardsQueriesParseAndNameExportedMetrics() throws Exception {
        JsonObject dashboard = new JsonObject(Files.readString(OPS.resolve("grafana/tracuu.json")));
        List<String> exprs = new ArrayList<>();
        for (Object p : dashboard.getJsonArray("panels")) {
            JsonObject panel = (JsonObject) p;
            if (panel.containsKey("targets")) {
                panel.getJsonArray("targets").forEach(t -> exprs.add(((JsonObject) t).getString("expr")));
                assertFalse(panel.getJsonArray("targets").isEmpty(), panel.getString("title"));
            }
        }
        assertTrue(exprs.size() >= 20, "a query per figure: " + exprs.size());
        // each query as a recording rule, which promtool parses as PromQL; Grafana's variables as
        // the values Grafana gives them
        StringBuilder asRules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String expr = exprs.get(i)
                    .replace("$__rate_interval", "1m")
                    .replace("$instance", ".*")
                    .replace("'", "''");
            asRules.append("      - record: dashboard:query")
                    .append(i)
                    .append("\n        expr: '")
                    .append(expr)
                    .append("'\n");
        }
        Path file = tmp.resolve("dashboard-queries.yml");
        Files.writeString(file, asRules);
        Result check = promtool(null, "check", "rules", file.toString());
        assertEquals(0, check.exit(), check.output() + "\n" + asRules);
        assertTrue(check.output().contains("SUCCESS: " + exprs.size() + " rules found"), check.output());

        String variables = dashboard.getJsonObject("templating").encode();
        assertMetricsExported(String.join("\n", exprs) + "\n" + variables, "tracuu.json");
    }

    /** Every metric named in {@code text} (outside quoted label values) is in the gateway's exposition. */
    private static void assertMetricsExported(String text, String where) {
        Set<String> exported = scrape.lines()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0])
                .collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        Matcher m = METRIC.matcher(text.replaceAll("\"[^\"]*\"", "\"\""));
        while (m.find()) {
            named.add(m.group(1));
        }
        assertTrue(named.size() > 5, where + " names " + named);
        Set<String> missing = named.stream()
                .filter(n -> !exported.contains(n) && !PROMETHEUS_SERIES.contains(n))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), missing, where + " names metrics the gateway does not export");
    }

    private record Result(int exit, String output) {}

    /** Runs promtool with {@code stdin} (or none), its output and errors together. */
    private static Result promtool(Path stdin, String... args) throws IOException, InterruptedException {
        String exe = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
                .map(d -> Path.of(d, "promtool"))
                .filter(Files::isExecutable)
                .findFirst()
                .map(Path::toString)
                .orElseThrow(() -> new AssertionError(
                        "promtool not found: install Debian's prometheus package (bash .ci/run does)"));
        List<String> command = new ArrayList<>(List.of(exe));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        return new Result(p.exitValue(), out);
    }
}
