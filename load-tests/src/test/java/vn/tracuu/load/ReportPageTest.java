package vn.tracuu.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's HTML report as a person sees it: rendered by headless Chromium (Debian's
 * package, which {@code .ci/test-tools} installs), whose DOM must hold the charts with their axes,
 * ticks, legends and the shaded warm-up, the table and the changed settings. A screenshot is left
 * in {@code target/report-page/} to look at.
 */
class ReportPageTest {

    @TempDir
    Path profile;

    /** A run whose first seconds are a cold start far slower than the rest. */
    static LoadRun.Result run(String name, int perSecond, long warmup, long duration) {
        SplittableRandom random = new SplittableRandom(7);
        Histogram measured = new Histogram(60_000_000L, 3);
        List<long[]> seconds = new ArrayList<>();
        for (long s = 0; s < warmup + duration; s++) {
            Histogram h = new Histogram(60_000_000L, 2);
            for (int i = 0; i < perSecond; i++) {
                long micros = (s < 2 ? 400_000 : 2_000) + random.nextInt(s < 2 ? 100_000 : 8_000);
                h.recordValue(micros);
                if (s >= warmup) {
                    measured.recordValue(micros);
                }
            }
            seconds.add(new long[] {
                s,
                h.getTotalCount(),
                (long) h.getMean(),
                h.getMaxValue(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(99)
            });
        }
        return new LoadRun.Result(
                name,
                measured.getTotalCount(),
                measured.getTotalCount(),
                0,
                0,
                Map.of(),
                measured,
                duration,
                seconds,
                0,
                0,
                0,
                new Histogram(60_000_000L, 3),
                0,
                // 1.5 s of the gateway's CPU, 3 of PostgreSQL's, 0.2 of the driver's a second
                new CpuTime(1_500_000_000L * duration, 200_000_000L * duration, 3_000_000_000L * duration));
    }

    @Test
    void chromiumRendersChartsWithAxesLegendsAndTheWarmUpMarked() throws Exception {
        JsonObject setup = new JsonObject()
                .put("gateway", "in-process")
                .put("citizens", 1000)
                .put("binds", 2)
                .put("rate", 200)
                .put("window", 50)
                .put("warmupSeconds", 5)
                .put("durationSeconds", 20)
                .put("cores", 2)
                .put(
                        "changedFromDefaults",
                        new JsonObject(
                                new java.util.LinkedHashMap<>(Benchmark.measuringSettings(50, Path.of("/tmp/pg")))));
        JsonObject machine = new MachineReference.Figures(8, 14_618.4, 3_912.6, 29_870, 10).json();
        JsonObject report = Report.json(
                List.of(run("gateway open 200/s", 200, 5, 20), run("gateway closed w=50", 900, 5, 20)),
                110_000,
                4_100,
                machine,
                setup);
        Path dir = Path.of("target", "report-page").toAbsolutePath();
        Report.write(dir, report);

        String dom = chromium("--dump-dom", dir.resolve("report.html").toUri().toString());
        chromium(
                "--screenshot=" + dir.resolve("report.png"),
                "--window-size=1000,3200",
                dir.resolve("report.html").toUri().toString());

        List<String> charts = elements(dom, "svg");
        // the distribution, two per run (replies, latency), the floors and the machine
        assertEquals(1 + 2 * 2 + 2, charts.size(), "charts");
        for (String chart : charts) {
            assertTrue(chart.contains("class=\"title\""), "a title: " + chart.substring(0, 200));
            assertTrue(count(chart, "class=\"tick\"") >= 3, "tick labels: " + chart.substring(0, 200));
        }
        for (String chart : charts.subList(0, 5)) {
            assertTrue(chart.contains("class=\"axis-title\""), "axis titles");
            assertTrue(chart.contains("class=\"legend-label\""), "a legend");
            assertTrue(chart.contains("class=\"series\""), "a line");
        }
        String latency = charts.get(2);
        assertTrue(latency.contains(">Latency per second<"), latency.substring(0, 300));
        assertTrue(latency.contains(">p50<") && latency.contains(">p99<"), "p50 and p99 in the legend");
        assertTrue(latency.contains("class=\"shade\"") && latency.contains(">warm-up<"), "the warm-up shaded");
        assertTrue(latency.contains("drawn at the top"), "the cold start clipped, not setting the scale");
        assertTrue(charts.get(0).contains(">99.9%<"), "the distribution's percentile ticks");
        assertTrue(charts.get(5).contains("of the lower floor"), "the gateway's ratio to the floors");
        assertTrue(dom.contains("<td class=\"name\">gateway closed w=50</td>"), "the runs' table");
        assertTrue(dom.contains("<code>policy.min-reply-delay</code>"), "the settings changed");
        assertTrue(Files.size(dir.resolve("report.png")) > 10_000, "a screenshot with something in it");
    }

    private static List<String> elements(String dom, String tag) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<" + tag + "\\b.*?</" + tag + ">", Pattern.DOTALL)
                .matcher(dom);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static int count(String s, String part) {
        return s.split(Pattern.quote(part), -1).length - 1;
    }

    /** Runs headless Chromium as the probe of this kind of machine does: no network, a fresh profile. */
    private String chromium(String... args) throws Exception {
        String exe = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
                .map(d -> Path.of(d, "chromium"))
                .filter(Files::isExecutable)
                .findFirst()
                .map(Path::toString)
                .orElseThrow(() -> new AssertionError(
                        "chromium not found: install Debian's chromium package (bash .ci/run does)"));
        List<String> command = new ArrayList<>(List.of(
                exe,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + profile.resolve("chromium-" + System.nanoTime())));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectError(profile.resolve("chromium-stderr.log").toFile())
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), "chromium: " + Files.readString(profile.resolve("chromium-stderr.log")));
        return out;
    }
}
