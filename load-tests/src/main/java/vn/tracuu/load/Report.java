package vn.tracuu.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** The benchmark's findings three ways: console text, a JSON file, and a self-contained HTML page. */
final class Report {

    // the reference machine's PostgreSQL, as the benchmark's issue measured it (commits: the upper end of 4000-14000)
    private static final int REFERENCE_READS = 40_000;
    private static final int REFERENCE_COMMITS = 14_000;
    private static final int REFERENCE_BATCHED_ROWS = 34_000;

    private Report() {}

    /** {@code machine}: {@link MachineReference.Figures#json()}, or null where not measured. */
    static JsonObject json(
            List<LoadRun.Result> runs, double smppFloor, double databaseFloor, JsonObject machine, JsonObject setup) {
        JsonArray out = new JsonArray();
        for (LoadRun.Result r : runs) {
            Histogram h = r.latencyMicros();
            JsonArray series = new JsonArray();
            r.perSecond().forEach(s -> {
                JsonArray second = new JsonArray();
                for (long v : s) {
                    second.add(v);
                }
                series.add(second);
            });
            out.add(new JsonObject()
                    .put("name", r.name())
                    .put("sent", r.sent())
                    .put("completedMeasured", r.completed())
                    .put("missing", r.missing())
                    .put("duplicates", r.duplicates())
                    .put("errors", new JsonObject(new java.util.HashMap<>(r.errors())))
                    .put(
                            "ussd",
                            new JsonObject()
                                    .put("inputs", r.ussdInputs())
                                    .put("menuChoices", r.ussdLookups())
                                    .put("dialoguesEnded", r.ussdDialogues()))
                    .put("throughputPerSecond", round(r.throughput()))
                    .put(
                            "latencyMs",
                            new JsonObject()
                                    .put("p50", ms(h, 50))
                                    .put("p90", ms(h, 90))
                                    .put("p99", ms(h, 99))
                                    .put("p99_9", ms(h, 99.9))
                                    .put("max", round(h.getMaxValue() / 1000.0)))
                    .put(
                            "warmUp",
                            new JsonObject()
                                    .put("replies", r.warmUpLatencyMicros().getTotalCount())
                                    .put("busy", r.warmUpBusy())
                                    .put("p99Ms", ms(r.warmUpLatencyMicros(), 99))
                                    .put("maxMs", round(r.warmUpLatencyMicros().getMaxValue() / 1000.0)))
                    .put("percentiles", distribution(h))
                    .put("cpuSecondsPer1000", cpuPer1000(r))
                    .put("perSecond", series));
        }
        // a floor not measured (0) is left out: the ratio is to the lower of those measured
        double lower = Stream.of(smppFloor, databaseFloor)
                .filter(f -> f > 0)
                .min(Double::compare)
                .orElse(0.0);
        double best =
                runs.stream().mapToDouble(LoadRun.Result::throughput).max().orElse(0);
        return new JsonObject()
                .put("setup", setup)
                .put("runs", out)
                .put(
                        "floors",
                        new JsonObject()
                                .put("smppPerSecond", round(smppFloor))
                                .put("databasePerSecond", round(databaseFloor)))
                .put("gatewayShareOfLowerFloor", lower > 0 ? round(best / lower) : 0)
                .put("machine", machine);
    }

    /**
     * CPU seconds per 1,000 replies of the measured part, by whom (CpuTime), -1 where not
     * measured; "all" is the gateway's and PostgreSQL's, the bill of serving them.
     */
    private static JsonObject cpuPer1000(LoadRun.Result r) {
        CpuTime cpu = r.cpu();
        if (cpu == null || r.completed() == 0) {
            return new JsonObject();
        }
        double per = 1000.0 / r.completed() / 1e9;
        JsonObject out = new JsonObject()
                .put("gateway", cpu.gatewayNanos() < 0 ? -1 : round(cpu.gatewayNanos() * per))
                .put("database", cpu.databaseNanos() < 0 ? -1 : round(cpu.databaseNanos() * per))
                .put("driver", cpu.driverNanos() < 0 ? -1 : round(cpu.driverNanos() * per));
        if (cpu.gatewayNanos() >= 0 && cpu.databaseNanos() >= 0) {
            out.put("all", round((cpu.gatewayNanos() + cpu.databaseNanos()) * per));
        }
        return out;
    }

    private static String cpuSeconds(JsonObject cpu, String who) {
        double v = cpu.getDouble(who, -1.0);
        return v < 0 ? "not measured" : String.format(Locale.ROOT, "%.2f s", v);
    }

    static String text(JsonObject report) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "%-22s %9s %7s %4s %4s %8s %8s %8s %8s %8s%n",
                "run",
                "per sec",
                "sent",
                "lost",
                "dup",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "p99.9",
                "max ms"));
        for (Object o : report.getJsonArray("runs")) {
            JsonObject r = (JsonObject) o;
            JsonObject l = r.getJsonObject("latencyMs");
            s.append(String.format(
                    Locale.ROOT,
                    "%-22s %9.0f %7d %4d %4d %8.2f %8.2f %8.2f %8.2f %8.2f%n",
                    r.getString("name"),
                    r.getDouble("throughputPerSecond"),
                    r.getLong("sent"),
                    r.getLong("missing"),
                    r.getLong("duplicates"),
                    l.getDouble("p50"),
                    l.getDouble("p90"),
                    l.getDouble("p99"),
                    l.getDouble("p99_9"),
                    l.getDouble("max")));
            JsonObject warm = r.getJsonObject("warmUp", new JsonObject());
            if (warm.getLong("replies", 0L) > 0) {
                s.append(String.format(
                        Locale.ROOT,
                        "  warm-up (not in the figures above): %d replies, %d busy, p99 %.2f ms, max %.2f ms%n",
                        warm.getLong("replies"),
                        warm.getLong("busy"),
                        warm.getDouble("p99Ms"),
                        warm.getDouble("maxMs")));
            }
            JsonObject cpu = r.getJsonObject("cpuSecondsPer1000", new JsonObject());
            if (!cpu.isEmpty()) {
                s.append(String.format(
                        Locale.ROOT,
                        "  CPU per 1,000 replies: gateway JVM %s + PostgreSQL %s = %s (the driver's loop %s apart)%n",
                        cpuSeconds(cpu, "gateway"),
                        cpuSeconds(cpu, "database"),
                        cpuSeconds(cpu, "all"),
                        cpuSeconds(cpu, "driver")));
            }
            JsonObject ussd = r.getJsonObject("ussd");
            if (ussd.getLong("inputs") > 0) {
                s.append(String.format(
                        Locale.ROOT,
                        "  of which USSD: %d inputs (%d menu choices), %d dialogues ended%n",
                        ussd.getLong("inputs"),
                        ussd.getLong("menuChoices"),
                        ussd.getLong("dialoguesEnded")));
            }
            if (!r.getJsonObject("errors").isEmpty()) {
                s.append("  errors: ")
                        .append(r.getJsonObject("errors").encode())
                        .append('\n');
            }
        }
        JsonObject f = report.getJsonObject("floors");
        double share = report.getDouble("gatewayShareOfLowerFloor");
        s.append(String.format(
                Locale.ROOT,
                "floors: SMPP echo %s, database %s; %s%n",
                floor(f.getDouble("smppPerSecond")),
                floor(f.getDouble("databasePerSecond")),
                share > 0
                        ? String.format(Locale.ROOT, "gateway at %.0f%% of the lower floor", 100 * share)
                        : "no ratio without a floor"));
        JsonObject machine = report.getJsonObject("machine");
        s.append(
                machine == null
                        ? "this machine's PostgreSQL: not measured\n"
                        : String.format(
                                Locale.ROOT,
                                "this machine's PostgreSQL, %d connections: %d primary-key reads/s, %d single-row commits/s, %d rows/s ten to a "
                                        + "transaction (%.1f rows per transaction counted); the issue's reference machine: ~%d, ~4000-%d, ~%d%n",
                                machine.getInteger("connections"),
                                machine.getLong("primaryKeyReadsPerSecond"),
                                machine.getLong("singleRowCommitsPerSecond"),
                                machine.getLong("rowsPerSecondTenToATransaction"),
                                machine.getDouble("rowsPerBatchedTransaction"),
                                REFERENCE_READS,
                                REFERENCE_COMMITS,
                                REFERENCE_BATCHED_ROWS));
        JsonObject setup = report.getJsonObject("setup");
        long rss = setup.getLong("peakRssMb", -1L);
        if (rss >= 0) {
            s.append(String.format(
                    Locale.ROOT,
                    "peak RSS of this JVM (%s; PostgreSQL apart): %d MB%n",
                    "in-process".equals(setup.getString("gateway", "in-process"))
                            ? "driver and gateway"
                            : "the driver only",
                    rss));
        }
        return s.toString();
    }

    private static String floor(double perSecond) {
        return perSecond > 0 ? String.format(Locale.ROOT, "%.0f/s", perSecond) : "not measured";
    }

    static void write(Path dir, JsonObject report) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), report.encodePrettily(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), html(report), StandardCharsets.UTF_8);
    }

    /** HdrHistogram's percentile distribution: [percentile, ms] at ever finer steps towards 100. */
    private static JsonArray distribution(Histogram h) {
        JsonArray out = new JsonArray();
        if (h.getTotalCount() == 0) {
            return out;
        }
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            out.add(new JsonArray().add(round(p * 1000) / 1000).add(round(v.getValueIteratedTo() / 1000.0)));
            if (p >= 99.999) {
                break;
            }
        }
        return out;
    }

    static String html(JsonObject report) {
        JsonObject setup = report.getJsonObject("setup");
        StringBuilder h = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>tracuu benchmark</title><style>body{font:14px sans-serif;margin:2em;max-width:60em}"
                + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                + "th{background:#eee}td.name,th.name{text-align:left}svg{display:block;margin:1em 0;font:12px sans-serif}"
                + "svg .title{font-weight:bold;font-size:14px}svg .clipped{fill:#a00}</style></head><body>"
                + "<h1>tracuu benchmark</h1>");
        h.append("<p>")
                .append(escape(setup.getString("gateway", "in-process")))
                .append(" gateway, ")
                .append(setup.getValue("citizens", "?"))
                .append(" citizens, ")
                .append(setup.getValue("binds", "?"))
                .append(" bind(s), open loop at ")
                .append(setup.getValue("rate", "?"))
                .append("/s, closed loop with ")
                .append(setup.getValue("window", "?"))
                .append(" in flight; each run ")
                .append(setup.getValue("warmupSeconds", "?"))
                .append(" s of warm-up (shaded in the charts, not in the figures) then ")
                .append(setup.getValue("durationSeconds", "?"))
                .append(" s measured, on ")
                .append(setup.getValue("cores", "?"))
                .append(" core(s).</p>");
        h.append(table(report));
        h.append("<h2>Latency distribution</h2>").append(distributionChart(report));
        for (Object o : report.getJsonArray("runs")) {
            JsonObject r = (JsonObject) o;
            h.append("<h2>").append(escape(r.getString("name"))).append("</h2>");
            h.append(overTime(r, setup.getLong("warmupSeconds", 0L)));
        }
        h.append("<h2>Floors and this machine</h2>").append(floors(report));
        h.append("<h2>Settings changed from the shipped configuration</h2>");
        JsonObject changed = setup.getJsonObject("changedFromDefaults", new JsonObject());
        if (changed.isEmpty()) {
            h.append("<p>none recorded (a gateway running apart keeps its own configuration)</p>");
        } else {
            h.append("<table><tr><th class=\"name\">key</th><th class=\"name\">value</th></tr>");
            changed.forEach(e -> h.append("<tr><td class=\"name\"><code>")
                    .append(escape(e.getKey()))
                    .append("</code></td><td class=\"name\"><code>")
                    .append(escape(String.valueOf(e.getValue())))
                    .append("</code></td></tr>"));
            h.append("</table>");
        }
        h.append("<h2>As text</h2><pre>").append(escape(text(report))).append("</pre>");
        return h.append("</body></html>").toString();
    }

    private static String table(JsonObject report) {
        StringBuilder t = new StringBuilder("<table class=\"runs\"><tr><th class=\"name\">run</th><th>per second</th>"
                + "<th>sent</th><th>lost</th><th>duplicates</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th>"
                + "<th>p99.9 ms</th><th>max ms</th><th>warm-up busy</th><th>warm-up p99 ms</th>"
                + "<th>CPU s / 1,000: gateway</th><th>PostgreSQL</th>"
                + "<th class=\"name\">errors</th></tr>");
        for (Object o : report.getJsonArray("runs")) {
            JsonObject r = (JsonObject) o;
            JsonObject l = r.getJsonObject("latencyMs");
            t.append("<tr><td class=\"name\">")
                    .append(escape(r.getString("name")))
                    .append("</td>");
            t.append(cell(String.format(Locale.ROOT, "%,.0f", r.getDouble("throughputPerSecond"))));
            t.append(cell(Long.toString(r.getLong("sent"))));
            t.append(cell(Long.toString(r.getLong("missing"))));
            t.append(cell(Long.toString(r.getLong("duplicates"))));
            for (String k : List.of("p50", "p90", "p99", "p99_9", "max")) {
                t.append(cell(String.format(Locale.ROOT, "%.2f", l.getDouble(k))));
            }
            JsonObject warm = r.getJsonObject("warmUp", new JsonObject());
            t.append(cell(Long.toString(warm.getLong("busy", 0L))));
            t.append(cell(String.format(Locale.ROOT, "%.2f", warm.getDouble("p99Ms", 0.0))));
            JsonObject cpu = r.getJsonObject("cpuSecondsPer1000", new JsonObject());
            t.append(cell(cpuSeconds(cpu, "gateway")));
            t.append(cell(cpuSeconds(cpu, "database")));
            t.append("<td class=\"name\">")
                    .append(escape(
                            r.getJsonObject("errors").isEmpty()
                                    ? ""
                                    : r.getJsonObject("errors").encode()))
                    .append("</td></tr>");
        }
        return t.append("</table>").toString();
    }

    private static String cell(String v) {
        return "<td>" + v + "</td>";
    }

    /** Each run's percentile distribution, the percentile on a log scale of 1/(1-p), as HdrHistogram plots it. */
    private static String distributionChart(JsonObject report) {
        SvgChart chart = new SvgChart("Latency by percentile (measured period)", "percentile", "latency (ms)");
        double top = 0;
        double lastX = 10;
        for (Object o : report.getJsonArray("runs")) {
            JsonObject r = (JsonObject) o;
            JsonArray d = r.getJsonArray("percentiles", new JsonArray());
            double[] x = new double[d.size()];
            double[] y = new double[d.size()];
            for (int i = 0; i < d.size(); i++) {
                double p = Math.min(d.getJsonArray(i).getDouble(0), 99.999);
                x[i] = 1 / (1 - p / 100);
                y[i] = d.getJsonArray(i).getDouble(1);
                top = Math.max(top, y[i]);
                lastX = Math.max(lastX, x[i]);
            }
            chart.line(r.getString("name"), x, y);
        }
        List<double[]> ticks = new java.util.ArrayList<>();
        for (double t = 1; t <= lastX * 1.0001; t *= 10) {
            ticks.add(new double[] {t});
        }
        return chart.xRange(1, lastX)
                .yUpTo(top)
                .xAxis(Math::log10, ticks)
                .svg(x -> x <= 1 ? "0%" : trimmed(100 - 100 / x) + "%");
    }

    /** A run's replies per second and its p50 / p99 per second, the warm-up shaded. */
    private static String overTime(JsonObject run, long warmupSeconds) {
        JsonArray perSecond = run.getJsonArray("perSecond");
        if (perSecond.isEmpty()) {
            return "<p>no replies</p>";
        }
        int n = perSecond.size();
        double[] t = new double[n];
        double[] count = new double[n];
        double[] p50 = new double[n];
        double[] p99 = new double[n];
        double topCount = 0;
        double topMeasured = 0;
        for (int i = 0; i < n; i++) {
            JsonArray s = perSecond.getJsonArray(i);
            t[i] = s.getLong(0);
            count[i] = s.getLong(1);
            p50[i] = s.size() > 5 ? s.getLong(4) / 1000.0 : s.getLong(2) / 1000.0;
            p99[i] = s.size() > 5 ? s.getLong(5) / 1000.0 : s.getLong(3) / 1000.0;
            topCount = Math.max(topCount, count[i]);
            if (t[i] >= warmupSeconds) {
                topMeasured = Math.max(topMeasured, p99[i]);
            }
        }
        double end = t[n - 1] + 1;
        SvgChart replies = new SvgChart("Replies per second", "seconds since start", "replies / s")
                .line("replies", t, count)
                .xRange(0, end)
                .yUpTo(topCount);
        // the scale is the measured period's: a cold start's seconds are drawn at the top
        SvgChart latency = new SvgChart("Latency per second", "seconds since start", "latency (ms)")
                .line("p50", t, p50)
                .line("p99", t, p99)
                .xRange(0, end)
                .yUpTo(topMeasured > 0 ? topMeasured * 1.1 : 1);
        if (warmupSeconds > 0) {
            replies.shade(0, Math.min(warmupSeconds, end), "warm-up");
            latency.shade(0, Math.min(warmupSeconds, end), "warm-up");
        }
        return replies.svg(Report::trimmed) + latency.svg(Report::trimmed);
    }

    /** The floors beside the gateway's best, and this machine's PostgreSQL beside the reference machine's. */
    private static String floors(JsonObject report) {
        List<String> labels = new java.util.ArrayList<>();
        List<Double> values = new java.util.ArrayList<>();
        for (Object o : report.getJsonArray("runs")) {
            JsonObject r = (JsonObject) o;
            labels.add(r.getString("name"));
            values.add(r.getDouble("throughputPerSecond"));
        }
        JsonObject f = report.getJsonObject("floors");
        labels.add("SMPP floor (echo peer)");
        values.add(f.getDouble("smppPerSecond"));
        labels.add("database floor (the lookup's statements)");
        values.add(f.getDouble("databasePerSecond"));
        double share = report.getDouble("gatewayShareOfLowerFloor");
        StringBuilder out = new StringBuilder(SvgChart.bars(
                share > 0
                        ? String.format(
                                Locale.ROOT, "Throughput: the gateway at %.0f%% of the lower floor", 100 * share)
                        : "Throughput (no floor measured: no ratio)",
                "/s",
                labels,
                values.stream().mapToDouble(Double::doubleValue).toArray()));
        JsonObject m = report.getJsonObject("machine");
        if (m == null) {
            return out.append("<p>This machine's PostgreSQL: not measured.</p>").toString();
        }
        out.append(SvgChart.bars(
                "This machine's PostgreSQL (" + m.getInteger("connections")
                        + " connections) and the reference machine's",
                "/s",
                List.of(
                        "primary-key reads, this machine",
                        "primary-key reads, reference",
                        "single-row commits, this machine",
                        "single-row commits, reference (up to)",
                        "rows ten to a transaction, this machine",
                        "rows ten to a transaction, reference"),
                new double[] {
                    m.getLong("primaryKeyReadsPerSecond"),
                    REFERENCE_READS,
                    m.getLong("singleRowCommitsPerSecond"),
                    REFERENCE_COMMITS,
                    m.getLong("rowsPerSecondTenToATransaction"),
                    REFERENCE_BATCHED_ROWS
                }));
        return out.toString();
    }

    private static String trimmed(double v) {
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("\\.?0+$", "");
    }

    private static double ms(Histogram h, double percentile) {
        return round(h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
