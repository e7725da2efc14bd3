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

/** The benchmark's findings three ways: console text, a JSON file, and a self-contained HTML page. */
final class Report {

    private Report() {}

    /** {@code machine}: {@link MachineReference.Figures#json()}, or null where not measured. */
    static JsonObject json(
            List<LoadRun.Result> runs, double smppFloor, double databaseFloor, JsonObject machine, JsonObject setup) {
        JsonArray out = new JsonArray();
        for (LoadRun.Result r : runs) {
            Histogram h = r.latencyMicros();
            JsonArray series = new JsonArray();
            r.perSecond()
                    .forEach(s -> series.add(
                            new JsonArray().add(s[0]).add(s[1]).add(s[2]).add(s[3])));
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
                                        + "transaction (%.1f rows per transaction counted); the issue's reference machine: ~40000, ~4000-14000, ~34000%n",
                                machine.getInteger("connections"),
                                machine.getLong("primaryKeyReadsPerSecond"),
                                machine.getLong("singleRowCommitsPerSecond"),
                                machine.getLong("rowsPerSecondTenToATransaction"),
                                machine.getDouble("rowsPerBatchedTransaction")));
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

    private static String html(JsonObject report) {
        StringBuilder h =
                new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>tracuu benchmark</title>"
                        + "<style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;"
                        + "text-align:right}th{background:#eee}svg{border:1px solid #ccc;margin:1em 0}</style></head><body>"
                        + "<h1>tracuu benchmark</h1><pre>" + escape(text(report)) + "</pre>");
        h.append("<p>Setup: <code>")
                .append(escape(report.getJsonObject("setup").encode()))
                .append("</code></p>");
        for (Object o : report.getJsonArray("runs")) {
            JsonObject r = (JsonObject) o;
            h.append("<h2>")
                    .append(escape(r.getString("name")))
                    .append("</h2>")
                    .append(chart(r.getJsonArray("perSecond")));
        }
        return h.append(
                        "<p>Each second: completed replies (bars, left scale) and mean / max latency (lines, ms, right scale).</p>"
                                + "</body></html>")
                .toString();
    }

    private static String chart(JsonArray perSecond) {
        int w = 720;
        int hgt = 220;
        if (perSecond.isEmpty()) {
            return "<p>no data</p>";
        }
        double maxCount = 1;
        double maxMs = 0.001;
        for (Object o : perSecond) {
            JsonArray s = (JsonArray) o;
            maxCount = Math.max(maxCount, s.getLong(1));
            maxMs = Math.max(maxMs, s.getLong(3) / 1000.0);
        }
        double step = (double) w / perSecond.size();
        StringBuilder svg = new StringBuilder(
                "<svg width=\"" + w + "\" height=\"" + hgt + "\" xmlns=\"http://www.w3.org/2000/svg\">");
        StringBuilder mean = new StringBuilder();
        StringBuilder max = new StringBuilder();
        for (int i = 0; i < perSecond.size(); i++) {
            JsonArray s = perSecond.getJsonArray(i);
            double bar = s.getLong(1) / maxCount * (hgt - 20);
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#cde\"/>",
                    i * step,
                    hgt - bar,
                    Math.max(1, step - 1),
                    bar));
            double x = i * step + step / 2;
            mean.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, hgt - s.getLong(2) / 1000.0 / maxMs * (hgt - 20)));
            max.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, hgt - s.getLong(3) / 1000.0 / maxMs * (hgt - 20)));
        }
        svg.append("<polyline fill=\"none\" stroke=\"#36c\" points=\"")
                .append(mean)
                .append("\"/>");
        svg.append("<polyline fill=\"none\" stroke=\"#c33\" points=\"")
                .append(max)
                .append("\"/>");
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"4\" y=\"14\">%.0f/s</text><text x=\"%d\" y=\"14\" text-anchor=\"end\">%.1f ms</text>",
                maxCount,
                w - 4,
                maxMs));
        return svg.append("</svg>").toString();
    }

    private static double ms(Histogram h, double percentile) {
        return round(h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
