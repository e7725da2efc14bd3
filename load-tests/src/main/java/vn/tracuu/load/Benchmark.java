package vn.tracuu.load;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import vn.tracuu.app.AuditKeys;
import vn.tracuu.app.Database;
import vn.tracuu.app.Gateway;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.demo.DemoPopulation;

/**
 * The one-command benchmark: starts the gateway on its embedded default (population seeded or
 * reused), measures the SMPP and database floors, then the gateway open loop at a rate and
 * closed loop with a window, and writes the report. The benchmark configuration lifts the
 * per-number limits and the reply delay, which exist for citizens, not for throughput.
 *
 * <p>Longer than the project's 350-line guide: the phases run one after another from here, and
 * their arguments are parsed by hand until the command line gets a library (issue 31).
 */
public final class Benchmark {

    /**
     * What a benchmark runs; the defaults are the issue's figures. {@code host} empty: the gateway
     * starts in-process on the embedded database; else a gateway already running at
     * {@code host:port} is measured, with its database at {@code databaseUrl}.
     */
    public record Settings(
            int citizens,
            int binds,
            int rate,
            int window,
            Duration warmup,
            Duration duration,
            Path dataDir,
            Path reportDir,
            boolean floors,
            int ussd,
            String host,
            int port,
            String databaseUrl,
            int historyDays,
            int historyPerDay,
            long seed,
            boolean shipped,
            boolean bindOut,
            String jvmCpus,
            Map<String, String> set) {

        static Settings parse(String[] args, Map<String, String> env) {
            return BenchmarkOptions.parse(args, env);
        }

        /** A busy service's day: the 20 million requests of 180 days that issue 30 measured. */
        static final int DEFAULT_HISTORY_PER_DAY = 111_111;

        /** Whether a gateway already running elsewhere is measured, rather than one started here. */
        boolean targetsRunningGateway() {
            return !host.isEmpty();
        }

        /** The settings the gateway runs with apart from the shipped ones: the profile's, then {@code --set}'s. */
        Map<String, String> changedSettings() {
            Map<String, String> m = measuringSettings(window, dataDir.toAbsolutePath(), shipped);
            // quoted, so a value YAML would read otherwise (*2024#, a colon) stays the text given; a [list] stays a
            // list
            set.forEach((key, value) -> m.put(
                    key,
                    value.startsWith("[")
                            ? value
                            : '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"'));
            return m;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);
    // what the benchmark's gateway is configured to answer and its handsets dial
    static final String USSD_CODE = "*2024#";
    // each of the machine's three reference figures: a plain loop, steady within a second or two
    private static final Duration REFERENCE_WARMUP = Duration.ofSeconds(3);
    private static final Duration REFERENCE_DURATION = Duration.ofSeconds(5);

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        Settings s;
        BenchmarkOptions options = new BenchmarkOptions();
        CommandLine command = new CommandLine(options);
        try {
            command.parseArgs(args);
            if (command.isUsageHelpRequested() || command.isVersionHelpRequested()) {
                if (command.isUsageHelpRequested()) {
                    command.usage(System.out);
                } else {
                    command.printVersionHelp(System.out);
                }
                System.exit(0);
                return;
            }
            s = options.settings(System.getenv());
        } catch (CommandLine.ParameterException e) {
            System.err.println("tracuu-bench: " + e.getMessage());
            command.usage(System.err);
            System.exit(2);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("tracuu-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        JsonObject report = run(s);
        System.out.print(Report.text(report));
        System.out.println("report: " + s.reportDir().resolve("report.html").toAbsolutePath());
        System.exit(0);
    }

    /** Runs the whole benchmark and writes the report; returns it. */
    public static JsonObject run(Settings s) throws Exception {
        // before anything starts: a bad --ussd is told at once, not after the seeding and the floors
        LoadRun.Mix mix = LoadRun.Mix.REALISTIC.withUssd(s.ussd());
        boolean apart = s.targetsRunningGateway();
        Map<String, String> changed = apart ? Map.of() : s.changedSettings();
        GatewayConfig config = apart ? null : config(changed, 0, 0);
        // a running gateway's database is only read, by JDBC: not opened as the gateway's, which
        // would migrate its schema
        try (Database db = apart ? null : Database.open(config.database())) {
            DatabaseOptions login = apart
                    ? runningGatewaysDatabase(s.databaseUrl(), System.getenv())
                    : db.options().asLogin();
            long citizens = Long.parseLong(JdbcStatements.firstValue(login, "SELECT count(*) FROM population.citizen"));
            if (apart) {
                // another's database: read from, never seeded, tidied or vacuumed
                LOG.info(
                        "measuring the gateway at {}:{}; its population holds {} citizens",
                        s.host(),
                        s.port(),
                        citizens);
            } else {
                if (citizens < s.citizens()) {
                    long t = System.nanoTime();
                    DemoPopulation.seed(login, s.citizens(), DemoPopulation.DEFAULT_SEED);
                    LOG.info("seeded {} citizens in {} ms", s.citizens(), (System.nanoTime() - t) / 1_000_000);
                }
                expireLeftovers(login);
                // the keys before anything writes an audit entry: the database floor's entries would
                // leave a fresh directory no longer fresh, and the gateway refuses to create keys then
                AuditKeys.forDatabase(config.audit(), db.options(), true);
                if (s.historyDays() > 0) {
                    fillHistory(s, config, db, login);
                }
                settle(login);
            }
            List<LoadRun.Number> verified = verifiedNumbers(login, 200_000);
            List<LoadRun.Number> unverified = unverifiedNumbers(login, 20_000);
            if (verified.isEmpty()) {
                throw new IllegalStateException("no verified viettel number in the database to text from");
            }
            Vertx vertx = Gateway.newVertx();
            // the driver on event loops of its own: on the gateway's, every send and reply it handles
            // would be the gateway's time too, and its stalls the gateway's
            Vertx driver = Vertx.vertx();
            if (db != null) {
                // Ctrl-C: the in-process gateway and the driver stop before the database they use
                db.atExit(() -> {
                    try {
                        driver.close().await(10, TimeUnit.SECONDS);
                        vertx.close().await(10, TimeUnit.SECONDS);
                    } catch (Exception ignored) {
                        // exiting anyway
                    }
                });
            }
            try {
                double smppFloor = 0;
                double databaseFloor = 0;
                JsonObject machine = null;
                if (s.floors() && !apart) {
                    // first, so that the kernel writes back its pages during the floors, not the gateway's runs
                    machine = MachineReference.measure(
                                    vertx,
                                    login,
                                    verified,
                                    min(s.warmup(), REFERENCE_WARMUP),
                                    min(s.duration(), REFERENCE_DURATION))
                            .json();
                }
                if (s.floors()) {
                    EchoPeer echo = new EchoPeer(vertx);
                    int echoPort = echo.start().await(10, TimeUnit.SECONDS);
                    LoadRun.Result floor = new LoadRun(
                                    driver,
                                    "SMPP floor (echo peer)",
                                    options(s, "127.0.0.1", echoPort, 0, LoadRun.Mix.LOOKUPS_ONLY),
                                    verified,
                                    unverified)
                            .run()
                            .await(s.duration().toSeconds() + 60, TimeUnit.SECONDS);
                    smppFloor = floor.throughput();
                    echo.stop().await(10, TimeUnit.SECONDS);
                    // the database floor stores requests, replies and audit entries of its own: not in the
                    // database of a gateway running apart, whose outbox and audit chain they would join
                    if (!apart) {
                        databaseFloor = DatabaseFloor.measure(
                                        vertx,
                                        db.options(),
                                        new DatabaseFloor.Traffic(verified, unverified, mix, s.seed()),
                                        s.window(),
                                        s.warmup(),
                                        s.duration())
                                .await(s.warmup().toSeconds() + s.duration().toSeconds() + 60, TimeUnit.SECONDS);
                        DatabaseFloor.forgetReplies(login);
                        // the floor's rows, vacuumed and flushed now: left to autovacuum and the kernel's
                        // write-back, they fell inside the gateway's runs
                        settle(login);
                    }
                }
                // bound out: the driver's SMSC listens first, and the gateway's configuration names its port
                SmscLoadServer smsc = s.bindOut() ? new SmscLoadServer(driver) : null;
                GatewayConfig started =
                        smsc == null ? config : config(changed, smsc.start().await(10, TimeUnit.SECONDS), s.binds());
                if (!s.jvmCpus().isEmpty()) {
                    JvmCpus.pin(s.jvmCpus());
                }
                Gateway gateway = apart
                        ? null
                        : Gateway.start(vertx, started, db.options()).await(30, TimeUnit.SECONDS);
                String role = smsc == null ? "gateway " : "gateway bind-out ";
                String host = apart ? s.host() : "127.0.0.1";
                int port = apart ? s.port() : gateway.smppPort();
                List<LoadRun.Result> runs = new ArrayList<>();
                CpuTime.Meter cpu = apart ? CpuTime.Meter.driverOnly() : CpuTime.Meter.inProcess(login);
                try {
                    forgetLockouts(login);
                    runs.add(new LoadRun(
                                    driver,
                                    role + "open " + s.rate() + "/s",
                                    options(s, host, port, s.rate(), mix),
                                    verified,
                                    unverified)
                            .measuringCpu(cpu)
                            .overBindsOut(smsc)
                            .run()
                            .await(s.duration().toSeconds() + 120, TimeUnit.SECONDS));
                    forgetLockouts(login);
                    runs.add(new LoadRun(
                                    driver,
                                    role + "closed w=" + s.window(),
                                    options(s, host, port, 0, mix),
                                    verified,
                                    unverified)
                            .measuringCpu(cpu)
                            .overBindsOut(smsc)
                            .run()
                            .await(s.duration().toSeconds() + 120, TimeUnit.SECONDS));
                } finally {
                    if (gateway != null) {
                        gateway.stop().await(30, TimeUnit.SECONDS);
                    }
                    if (smsc != null) {
                        smsc.stop().await(10, TimeUnit.SECONDS);
                    }
                }
                JsonObject setup = new JsonObject()
                        .put("gateway", apart ? s.host() + ":" + s.port() : "in-process")
                        .put("citizens", apart ? citizens : Math.max(citizens, s.citizens()))
                        .put("binds", s.binds())
                        .put("rate", s.rate())
                        .put("window", s.window())
                        .put("warmupSeconds", s.warmup().toSeconds())
                        .put("durationSeconds", s.duration().toSeconds())
                        .put("cores", Runtime.getRuntime().availableProcessors())
                        .put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20)
                        .put("historyDays", s.historyDays())
                        .put("gatewayTablesMb", gatewayTablesMb(login))
                        .put("peakRssMb", peakRssMb())
                        .put("seed", s.seed())
                        .put("changedFromDefaults", new JsonObject(new LinkedHashMap<>(changed)))
                        .put("profile", s.shipped() ? "shipped" : "unthrottled")
                        .put("bindOut", s.bindOut())
                        .put("jvmCpus", s.jvmCpus().isEmpty() ? "all" : s.jvmCpus());
                JsonObject report = Report.json(runs, smppFloor, databaseFloor, machine, setup);
                Report.write(s.reportDir(), report);
                return report;
            } finally {
                driver.close().await(30, TimeUnit.SECONDS);
                vertx.close().await(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The gateway's configuration for measuring: embedded database in {@code dataDir}, limits, reply
     * delay and retransmission filter lifted.
     */
    // the password the gateway binds out with, which the driver's SMSC takes whatever it is
    private static final String SMSC_PASSWORD_VARIABLE = "TRACUU_BENCH_SMSC_PASSWORD";

    static GatewayConfig config(Path relativeDataDir, int window) throws IOException {
        return config(relativeDataDir, window, false);
    }

    /** {@code shipped}: the reply hold, the guard quotas and the operator cap as shipped (see {@link #measuringSettings}). */
    static GatewayConfig config(Path relativeDataDir, int window, boolean shipped) throws IOException {
        return config(relativeDataDir, window, shipped, 0, 0);
    }

    /** As above; with an {@code smscPort}, operator viettel binds out {@code binds} times to the driver's SMSC there. */
    static GatewayConfig config(Path relativeDataDir, int window, boolean shipped, int smscPort, int binds)
            throws IOException {
        // absolute: the override file is a temporary one, and its relative paths would be taken from its directory
        return config(measuringSettings(window, relativeDataDir.toAbsolutePath(), shipped), smscPort, binds);
    }

    /** The configuration {@code settings} (dotted keys) change; with an {@code smscPort}, bound out as above. */
    static GatewayConfig config(Map<String, String> settings, int smscPort, int binds) throws IOException {
        Path override = Files.createTempFile("tracuu-bench", ".yaml");
        Map<String, String> env = new HashMap<>(System.getenv());
        String yaml = yaml(settings);
        if (smscPort > 0) {
            env.put(SMSC_PASSWORD_VARIABLE, "bench");
            yaml += String.join(
                    "\n",
                    "operators:",
                    "  - id: viettel",
                    "    short-codes: [\"8088\"]",
                    "    max-binds: " + binds,
                    "    bind-out:",
                    "      host: 127.0.0.1",
                    "      port: " + smscPort,
                    "      system-id: tracuu",
                    "      password: env:" + SMSC_PASSWORD_VARIABLE,
                    "      binds: " + binds,
                    "");
        }
        Files.writeString(override, yaml);
        try {
            return GatewayConfig.load(Optional.of(override), env);
        } finally {
            Files.delete(override);
        }
    }

    /**
     * What the benchmark changes from the shipped configuration, as dotted keys and values: the
     * limits, reply delay and retransmission filter lifted, the guard quotas raised, ports and files
     * of its own. The report lists them.
     */
    static Map<String, String> measuringSettings(int window, Path dataDir) {
        return measuringSettings(window, dataDir, false);
    }

    /**
     * As above; {@code shipped} keeps what protects citizens and back-ends in normal service as
     * shipped — the reply hold, the guards' quotas, the operator's cap — and lifts only what the
     * driver's own habits would trip (a number texting again within seconds, thousands of times a
     * day): the profile a real deployment answers with.
     */
    static Map<String, String> measuringSettings(int window, Path dataDir, boolean shipped) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("smpp.port", "0");
        m.put("smpp.inbound-window", Integer.toString(Math.max(100, window)));
        m.put("admin.port", "0");
        // the driver texts again from a number as soon as its reply is in, which a handset never
        // does within seconds: the retransmission filter would merge those into one request
        m.put("lookup.duplicate-window", "0s");
        m.put("policy.lookups-per-number-per-hour", "1000000");
        m.put("policy.lookups-per-number-per-day", "1000000");
        m.put("policy.lookups-per-record-per-day", "1000000");
        m.put("ussd.service-code", "\"" + USSD_CODE + "\"");
        if (!shipped) {
            m.put("policy.lookups-per-operator-per-minute", "100000000");
            m.put("policy.min-reply-delay", "0s");
            m.put("policy.reply-delay-jitter", "0s");
            m.put("ussd.min-answer-delay", "0s");
            m.put("ussd.answer-delay-jitter", "0s");
            m.put("population.guard.permits-per-second", "100000");
            m.put("population.guard.max-concurrent", "1000");
            m.put("subscribers.guard.permits-per-second", "100000");
            m.put("subscribers.guard.max-concurrent", "1000");
        }
        m.put(
                "audit.key-file",
                dataDir.resolveSibling(dataDir.getFileName() + "-audit-keys.properties")
                        .toString());
        m.put(
                "audit.anchor-file",
                dataDir.resolveSibling(dataDir.getFileName() + "-audit-anchors.log")
                        .toString());
        m.put("database.embedded-data-dir", dataDir.toString());
        m.put("database.seed", "never");
        return m;
    }

    /** Dotted keys as nested YAML, each section once, in the order its first key came. */
    static String yaml(Map<String, String> dotted) {
        Map<String, Object> tree = new LinkedHashMap<>();
        dotted.forEach((key, value) -> {
            String[] path = key.split("\\.");
            Map<String, Object> node = tree;
            for (int i = 0; i < path.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child =
                        (Map<String, Object>) node.computeIfAbsent(path[i], k -> new LinkedHashMap<String, Object>());
                node = child;
            }
            node.put(path[path.length - 1], value);
        });
        StringBuilder out = new StringBuilder();
        render(tree, 0, out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void render(Map<String, Object> node, int depth, StringBuilder out) {
        node.forEach((key, value) -> {
            out.append("  ".repeat(depth)).append(key).append(':');
            if (value instanceof Map<?, ?> child) {
                out.append('\n');
                render((Map<String, Object>) child, depth + 1, out);
            } else {
                out.append(' ').append(value).append('\n');
            }
        });
    }

    /** The login for a running gateway's database at {@code url}, with user and password taken as the gateway takes them. */
    private static DatabaseOptions runningGatewaysDatabase(String url, Map<String, String> env) {
        Map<String, String> withUrl = new HashMap<>(env);
        withUrl.put(GatewayConfig.ENV_DATABASE_URL, url);
        return Database.externalOptions(
                        GatewayConfig.load(Optional.empty(), withUrl).database())
                .asLogin();
    }

    static List<LoadRun.Number> verifiedNumbers(DatabaseOptions login, int limit) throws Exception {
        return numbers(
                login,
                "SELECT s.msisdn, right(s.personal_id, 4) FROM subscribers.subscriber s "
                        + "JOIN population.citizen c USING (personal_id) WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = 'viettel' "
                        + "AND s.sim_changed_at < now() - interval '7 days' ORDER BY md5(s.msisdn) LIMIT " + limit,
                true);
    }

    static List<LoadRun.Number> unverifiedNumbers(DatabaseOptions login, int limit) throws Exception {
        return numbers(
                login,
                "SELECT msisdn, NULL FROM subscribers.subscriber WHERE status = 'unverified' "
                        + "AND operator_id = 'viettel' ORDER BY md5(msisdn) LIMIT " + limit,
                false);
    }

    static LoadRun.Options options(Settings s, String host, int port, int rate, LoadRun.Mix mix) {
        return new LoadRun.Options(
                host,
                port,
                "viettel",
                "demo",
                "8088",
                USSD_CODE,
                s.binds(),
                rate,
                s.window(),
                s.warmup(),
                s.duration(),
                Duration.ofSeconds(20),
                mix,
                s.seed() + rate);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The process's peak resident set (Linux VmHWM), or -1 where /proc does not tell. */
    private static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }

    /** Replies an earlier, interrupted run left in the outbox would arrive as duplicates in this one. */
    /**
     * {@code --history-days} of a busy service's past, once per data directory (a database whose
     * audit has entries keeps them): what the gateway's tables hold after that long with retention.
     */
    private static void fillHistory(Settings s, GatewayConfig config, Database db, DatabaseOptions login)
            throws Exception {
        if (Long.parseLong(JdbcStatements.firstValue(login, "SELECT count(*) FROM gateway.audit")) > 0) {
            LOG.info("the gateway's tables hold a history already: kept");
            return;
        }
        List<String[]> numbers = JdbcStatements.rows(
                login,
                "SELECT s.msisdn, s.personal_id FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
                        + "WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = 'viettel' "
                        + "AND s.sim_changed_at < now() - interval '7 days' ORDER BY md5(s.msisdn) LIMIT 200000",
                row -> new String[] {row.getString(1), row.getString(2)});
        long t = System.nanoTime();
        History.Written written = History.fill(
                login,
                AuditKeys.forDatabase(config.audit(), db.options(), true),
                numbers,
                (int) Math.min(s.historyDays(), config.policy().auditRetention().toDays()),
                (int) config.retention().requests().toDays(),
                s.historyPerDay(),
                Instant.now());
        LOG.info(
                "history: {} audit entries, {} requests and replies in {} s",
                written.auditEntries(),
                written.requests(),
                (System.nanoTime() - t) / 1_000_000_000);
    }

    /** The gateway schema's tables with their indexes, in MB: what the history made of them. */
    private static long gatewayTablesMb(DatabaseOptions login) throws Exception {
        return Long.parseLong(
                        JdbcStatements.firstValue(
                                login,
                                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                                        + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'gateway' AND c.relkind = 'r'"))
                >> 20;
    }

    private static void expireLeftovers(DatabaseOptions login) throws Exception {
        JdbcStatements.execute(
                login,
                "UPDATE gateway.reply SET state = 'expired', body = NULL WHERE state = 'pending'",
                "UPDATE gateway.request SET answered = true WHERE NOT answered");
    }

    /**
     * Does before the measurements what PostgreSQL would otherwise do during them. The tables just
     * filled by the seeding (or by earlier runs' requests) are vacuumed: autovacuum took them on
     * mid-run, a 1,000,000-row table at a time, its WAL queueing every commit's flush. What all
     * that wrote is then flushed now rather than by the kernel 30 s into a measurement, where the
     * write-back of a freshly written database held every commit's flush for half a second.
     */
    /**
     * The mismatch counts and lockouts earlier runs left: each run starts as the first did, not
     * with numbers locked out, whose refusals are cheaper than lookups.
     */
    private static void forgetLockouts(DatabaseOptions login) throws Exception {
        JdbcStatements.execute(login, "DELETE FROM gateway.lockout", "DELETE FROM gateway.mismatch");
    }

    private static void settle(DatabaseOptions login) throws Exception {
        JdbcStatements.execute(login, "VACUUM (ANALYZE)", "CHECKPOINT");
    }

    private static List<LoadRun.Number> numbers(DatabaseOptions db, String sql, boolean withId) throws Exception {
        return JdbcStatements.rows(
                db, sql, row -> new LoadRun.Number(row.getString(1), withId ? row.getString(2) : null));
    }
}
