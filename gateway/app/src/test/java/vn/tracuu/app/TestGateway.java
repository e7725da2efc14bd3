package vn.tracuu.app;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jsmpp.bean.BindType;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.simulators.PhoneSimulator;

/**
 * The whole gateway as it runs: embedded PostgreSQL in a temporary directory, seeded demo
 * data, configuration read from an override file, SMPP on a free port. Restartable on the same
 * database, as after a crash or a deploy.
 */
final class TestGateway implements AutoCloseable {

    static final String DEMO_PASSWORD = "demo";

    private final Path dir;
    private final List<String> baseYaml;
    private final Map<String, String> env;
    private GatewayConfig config;
    private final Database database;
    private Vertx vertx;
    private DatabaseOptions poolOverride;
    private Gateway gateway;
    private final List<PhoneSimulator> phones = new ArrayList<>();

    /** Limits high and no reply delay: for tests that are not about the policy. */
    static final String RELAXED_POLICY = String.join(
            "\n",
            "policy:",
            "  lookups-per-number-per-hour: 10000",
            "  lookups-per-number-per-day: 10000",
            "  lookups-per-record-per-day: 10000",
            "  min-reply-delay: 0s",
            "  reply-delay-jitter: 0s");

    /**
     * The gateway as an operator runs it: a separate JVM on {@code config}. Its temporary files
     * (Vert.x's cache, the embedded server's socket directory) go to {@code tmp}: a killed JVM
     * cannot remove them, and they would stay in the machine's /tmp.
     */
    static ProcessBuilder process(Path config, Path tmp) {
        return command(tmp, "run", "--config", config.toString());
    }

    /** The {@code tracuu} command line with {@code args}, in a JVM of its own, as an administrator types it. */
    static ProcessBuilder command(Path tmp, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** The YAML of operator viettel binding out to an SMSC on loopback {@code port}, its password in VIETTEL_SMSC_PASSWORD. */
    static List<String> viettelBindingOutTo(int port) {
        return List.of(
                "operators:",
                "  - id: viettel",
                "    short-codes: [\"8088\"]",
                "    bind-out:",
                "      host: 127.0.0.1",
                "      port: " + port,
                "      system-id: tracuu",
                "      password: env:VIETTEL_SMSC_PASSWORD");
    }

    /**
     * Another gateway node: a JVM on {@code config} that uses this gateway's database over TCP, as a
     * node on another machine would, logging to {@code log}; {@code smscPassword} for
     * {@link #viettelBindingOutTo}.
     */
    Process node(Path config, Path tmp, Path log, String smscPassword) throws IOException {
        DatabaseOptions db = database.options();
        ProcessBuilder pb = process(config, tmp);
        pb.environment().put("VIETTEL_SMSC_PASSWORD", smscPassword);
        pb.environment()
                .put(
                        GatewayConfig.ENV_DATABASE_URL,
                        "postgresql://" + db.host() + ":" + db.port() + "/" + db.database());
        pb.environment().put(GatewayConfig.ENV_DATABASE_USER, db.user());
        pb.environment().put(GatewayConfig.ENV_DATABASE_PASSWORD, db.password());
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    TestGateway(int citizens, String extraYaml) throws Exception {
        this(citizens, RELAXED_POLICY, extraYaml);
    }

    /** {@code policyYaml} and {@code extraYaml} go into the override file (top-level sections, merged key by key). */
    TestGateway(int citizens, String policyYaml, String extraYaml) throws Exception {
        this(citizens, policyYaml, extraYaml, "0s", Map.of());
    }

    /**
     * As above, with the window in which an identical message counts as a retransmission (off for
     * tests that text the same thing twice on purpose) and the environment the config reads.
     */
    TestGateway(int citizens, String policyYaml, String extraYaml, String duplicateWindow, Map<String, String> env)
            throws Exception {
        this.env = env;
        dir = Files.createTempDirectory("tracuu-test");
        baseYaml = List.of(
                "smpp:",
                "  port: 0",
                "  response-timeout: 2s",
                "  enquire-link-timeout: 1s",
                "  throttle-backoff: 100ms",
                "  reconnect-initial-delay: 100ms",
                "  reconnect-max-delay: 500ms",
                "  bind-refused-delay: 1s",
                "  drain-timeout: 2s",
                "admin:",
                "  port: 0",
                "lookup:",
                "  recovery-grace: 1s",
                "  recovery-interval: 1s",
                "  duplicate-window: " + duplicateWindow,
                "outbox:",
                "  scan-interval: 1s",
                "  retry-initial-delay: 1s",
                "database:",
                "  embedded-data-dir: " + dir.resolve("pg"),
                "  seed: always",
                "  seed-citizens: " + citizens,
                "audit:",
                "  key-file: " + dir.resolve("audit-keys.properties"),
                "  anchor-file: " + dir.resolve("audit-anchors.log"),
                policyYaml);
        config = load(extraYaml);
        database = Database.open(config.database());
        start();
    }

    /** The override file: the base sections with {@code extraYaml}'s keys merged in, as the config takes each key once. */
    private GatewayConfig load(String extraYaml) throws IOException {
        Path override = dir.resolve("test.yaml");
        Yaml yaml = new Yaml(new DumperOptions());
        Map<String, Object> extra = yaml.load(extraYaml);
        Map<String, Object> sections = merged(yaml.load(String.join("\n", baseYaml)), extra == null ? Map.of() : extra);
        Files.writeString(override, yaml.dumpAs(sections, null, DumperOptions.FlowStyle.BLOCK));
        return GatewayConfig.load(Optional.of(override), env);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merged(Map<String, Object> base, Map<String, Object> extra) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        extra.forEach((key, value) -> out.merge(
                key,
                value,
                (was, now) -> was instanceof Map && now instanceof Map
                        ? merged((Map<String, Object>) was, (Map<String, Object>) now)
                        : now));
        return out;
    }

    /**
     * Where the running gateway's reload reads from: the override file written anew with
     * {@code extraYaml} (a supplier, so each reload writes and reads it again, as a file edited by hand).
     */
    void reloadsFrom(java.util.function.Supplier<String> extraYaml) {
        gateway.reloadsFrom(() -> {
            try {
                return load(extraYaml.get());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Restarts the gateway on the same database with {@code extraYaml} in place of the previous extra sections. */
    void reconfigure(String extraYaml) throws Exception {
        stopGateway();
        config = load(extraYaml);
        start();
    }

    /** Restarts the gateway with a pool of {@code size} connections and {@code waitQueue} waiting statements. */
    void reconfigureDatabasePool(int size, int waitQueue) throws Exception {
        stopGateway();
        DatabaseOptions o = database.options();
        poolOverride = new DatabaseOptions(
                o.host(),
                o.port(),
                o.database(),
                o.user(),
                o.password(),
                size,
                waitQueue,
                o.readConnections(),
                o.role());
        start();
    }

    /** The first column of up to {@code limit} rows. */
    List<String> rows(String sql, int limit) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = jdbc();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next() && out.size() < limit) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    void start() throws Exception {
        vertx = Gateway.newVertx();
        gateway = Gateway.start(vertx, config, poolOverride != null ? poolOverride : database.options())
                .await(30, TimeUnit.SECONDS);
    }

    /** Stops the gateway (not the database) and starts a new one on the same database. */
    void restart() throws Exception {
        stopGateway();
        start();
    }

    void stopGateway() throws Exception {
        phones.forEach(PhoneSimulator::close);
        phones.clear();
        if (gateway == null) {
            return;
        }
        // two steps: a continuation of the stop may run on an event loop that vertx.close() has just ended
        try {
            gateway.stop().await(30, TimeUnit.SECONDS);
        } finally {
            gateway = null;
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    GatewayConfig config() {
        return config;
    }

    Database database() {
        return database;
    }

    int port() {
        return gateway.smppPort();
    }

    Gateway gateway() {
        return gateway;
    }

    /** A verified number of {@code operator} whose record can be read: its SIM unchanged for 30 days. */
    String verifiedNumberOf(String operator) throws Exception {
        return rows(
                        "SELECT s.msisdn FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
                                + "WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = '" + operator
                                + "' AND s.sim_changed_at < now() - interval '30 days' ORDER BY s.msisdn",
                        1)
                .get(0);
    }

    PhoneSimulator phone(String operator, BindType type) throws IOException {
        PhoneSimulator phone = PhoneSimulator.bind("127.0.0.1", port(), operator, DEMO_PASSWORD, type);
        phones.add(phone);
        return phone;
    }

    Connection jdbc() throws SQLException {
        return DriverManager.getConnection(
                database.options().jdbcUrl(),
                database.options().user(),
                database.options().password());
    }

    /** The first row of a query as strings, or an empty list. */
    List<String> row(String sql, Object... args) throws SQLException {
        try (Connection c = jdbc();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        out.add(rs.getString(i));
                    }
                }
                return out;
            }
        }
    }

    /** The number's pseudonym under this gateway's audit keys, as its audit entries hold it. */
    String pseudonym(String msisdn) {
        return AuditKeys.load(config.audit()).msisdn(Msisdn.of(msisdn)).value();
    }

    /**
     * Requests decided for a number, counted by their audit entries (one each): an answered
     * request keeps no number.
     */
    long requestsFrom(String msisdn) throws SQLException {
        return Long.parseLong(row("SELECT count(*) FROM gateway.audit WHERE msisdn_hmac = ?", pseudonym(msisdn))
                .get(0));
    }

    /** A column of the reply to the number's latest decided request, or null: a sent reply keeps no number. */
    String replyTo(String msisdn, String column) throws SQLException {
        List<String> r = row(
                "SELECT r." + column
                        + "::text FROM gateway.reply r JOIN gateway.audit a ON a.request_id = r.request_id "
                        + "WHERE a.msisdn_hmac = ? ORDER BY r.request_id DESC LIMIT 1",
                pseudonym(msisdn));
        return r.isEmpty() ? null : r.get(0);
    }

    void execute(String sql, Object... args) throws SQLException {
        try (Connection c = jdbc();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stopGateway();
        } finally {
            // the embedded server outlives the JVM unless stopped: never leave it behind
            try {
                database.close();
            } finally {
                // a seeded data directory is tens of megabytes: every run would leave one in the temp dir
                try (Stream<Path> tree = Files.walk(dir)) {
                    for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }
}
