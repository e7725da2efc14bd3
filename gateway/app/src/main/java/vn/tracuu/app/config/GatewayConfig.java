package vn.tracuu.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import vn.tracuu.app.admin.AdminOptions;
import vn.tracuu.core.domain.InvalidOption;
import vn.tracuu.core.guard.GuardOptions;
import vn.tracuu.core.lookup.LookupOptions;
import vn.tracuu.core.outbox.OutboxOptions;
import vn.tracuu.core.policy.PolicyOptions;
import vn.tracuu.core.ussd.UssdOptions;
import vn.tracuu.http.HttpBackendOptions;
import vn.tracuu.http.SimChangeMode;
import vn.tracuu.smpp.session.BindProtection;
import vn.tracuu.smpp.session.OperatorOptions;
import vn.tracuu.smpp.session.SmppOptions;
import vn.tracuu.smpp.session.TlsListener;

/**
 * The whole configuration: the bundled {@code config/gateway.yaml} (which is also the schema),
 * an optional override file, and environment variables for the database connection and
 * secrets. Anything wrong raises a {@link ConfigException} naming the key.
 *
 * <p>Slightly over the project's 350-line guide: each section's reading sits in one place, key
 * beside key, so a reader checks it against {@code gateway.yaml} top to bottom; the operator and
 * back-end sections, which have their own rules, are apart ({@code OperatorSection},
 * {@code BackendSection}).
 */
public record GatewayConfig(
        SmppOptions smpp,
        AdminOptions admin,
        LookupOptions lookup,
        PolicyOptions policy,
        AuditSettings audit,
        BackendSettings population,
        BackendSettings subscribers,
        OutboxOptions outbox,
        DatabaseSettings database,
        UssdOptions ussd,
        RetentionSettings retention,
        LoggingSettings logging) {

    public static final String BUNDLED = "/tracuu/gateway.yaml";
    public static final String ENV_DATABASE_URL = "TRACUU_DATABASE_URL";
    public static final String ENV_DATABASE_USER = "TRACUU_DATABASE_USER";
    public static final String ENV_DATABASE_PASSWORD = "TRACUU_DATABASE_PASSWORD";
    public static final String ENV_AUDIT_MSISDN_KEY = "TRACUU_AUDIT_MSISDN_KEY";
    public static final String ENV_AUDIT_ID_KEY = "TRACUU_AUDIT_ID_KEY";

    /** A yes/no setting, read strictly. */
    public enum YesNo {
        TRUE,
        FALSE
    }

    /** Which server answers a port. */
    public enum Backend {
        POSTGRES,
        HTTP
    }

    /**
     * The {@code population} or {@code subscribers} section: the back-end, its HTTP settings
     * ({@code simSwap} and {@code simChangeMode} only for subscribers), and its guard.
     */
    public record BackendSettings(
            Backend backend,
            HttpBackendOptions http,
            HttpBackendOptions simSwap,
            SimChangeMode simChangeMode,
            GuardOptions guard) {}

    /** Whether a missing SIM-change date refuses (fail closed) or allows. */
    public enum UnknownSimChange {
        REFUSE,
        ALLOW
    }

    /**
     * The {@code audit} section; the two keys from the environment when set there
     * ({@code <key id>:<base64 secret>}), else from the key file.
     */
    public record AuditSettings(
            Path keyFile, Path anchorFile, Duration anchorInterval, String msisdnKeyFromEnv, String idKeyFromEnv) {}

    /**
     * How long the gateway's own rows are kept, from the {@code policy} section: answered requests
     * with their sent or expired replies for {@code requests} ({@code policy.request-retention}).
     */
    public record RetentionSettings(Duration requests) {
        public static final Duration DEFAULT_REQUESTS = Duration.ofDays(30);

        public RetentionSettings {
            InvalidOption.require(
                    requests.compareTo(Duration.ofHours(1)) >= 0, "requestRetention", "must be at least 1h");
        }
    }

    /** When demo data is loaded into the database at start-up. */
    public enum SeedMode {
        AUTO,
        ALWAYS,
        NEVER
    }

    /** The {@code database} section; an empty URL means the embedded server. */
    public record DatabaseSettings(
            String url,
            String user,
            String password,
            int poolSize,
            int poolWaitQueue,
            int readConnections,
            String role,
            Path embeddedDataDir,
            SeedMode seed,
            int seedCitizens) {

        public DatabaseSettings {
            InvalidOption.inRange("poolSize", poolSize, 1, 1000);
            InvalidOption.inRange("poolWaitQueue", poolWaitQueue, 1, 1_000_000);
            InvalidOption.inRange("readConnections", readConnections, 1, 100);
            InvalidOption.inRange("seedCitizens", seedCitizens, 1, 50_000_000);
        }

        public boolean embedded() {
            return url.isBlank();
        }

        /** The same database, never seeded: for administration commands. */
        public DatabaseSettings withoutSeeding() {
            return new DatabaseSettings(
                    url,
                    user,
                    password,
                    poolSize,
                    poolWaitQueue,
                    readConnections,
                    role,
                    embeddedDataDir,
                    SeedMode.NEVER,
                    seedCitizens);
        }
    }

    public static GatewayConfig load(Optional<Path> overrideFile, Map<String, String> env) {
        Map<String, Object> defaults = ConfigFiles.relativeTo(ConfigFiles.home(env), bundled());
        Map<String, Object> merged = defaults;
        if (overrideFile.isPresent()) {
            Path file = overrideFile.get();
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("config file " + file.toAbsolutePath() + " does not exist or is not a file");
            }
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Map<String, Object> override = mapping(yaml().load(in), file.toString());
                merged = ConfigNode.merge(
                        "",
                        defaults,
                        ConfigFiles.relativeTo(file.toAbsolutePath().getParent(), override));
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
            } catch (DuplicateKeyException e) {
                // YAML's own rule would keep the last, silently dropping what an operator wrote first
                throw new ConfigException(
                        "config file " + file + ", line " + (e.getProblemMark().getLine() + 1) + ": "
                                + e.getProblem().replace("found duplicate key ", "key '")
                                + "' given twice; give each key once");
            } catch (YAMLException e) {
                throw new ConfigException("config file " + file + " is not valid YAML: " + firstLine(e.getMessage()));
            }
        }
        return from(new ConfigNode("", merged), OperatorSection.template(defaults), env);
    }

    private static GatewayConfig from(ConfigNode root, Map<String, Object> operatorTemplate, Map<String, String> env) {
        ConfigNode smpp = root.child("smpp");
        List<OperatorOptions> operators = OperatorSection.read(root, operatorTemplate, env);
        SmppOptions smppOptions = smpp.build(() -> new SmppOptions(
                smpp.nonEmpty("host"),
                smpp.integer("port"),
                smpp.nonEmpty("system-id"),
                smpp.integer("max-pdu-length"),
                smpp.duration("bind-timeout"),
                smpp.integer("inbound-window"),
                smpp.integer("outbound-window"),
                smpp.duration("response-timeout"),
                smpp.duration("enquire-link-interval"),
                smpp.duration("enquire-link-timeout"),
                smpp.duration("throttle-backoff"),
                smpp.duration("reconnect-initial-delay"),
                smpp.duration("reconnect-max-delay"),
                smpp.durationOrZero("bind-refused-delay"),
                smpp.durationOrZero("drain-timeout"),
                smpp.duration("concatenation-timeout"),
                smpp.integer("concatenation-max-pending"),
                smpp.integer("event-loops"),
                bindProtection(smpp.child("bind-protection")),
                operators,
                smppTls(smpp, env)));

        ConfigNode adminNode = root.child("admin");
        String adminKeyStore = adminNode.string("tls-key-store").trim();
        String adminKeyStorePassword =
                adminKeyStore.isEmpty() ? "" : SecretReference.resolve(adminNode, "tls-key-store-password", env);
        AdminOptions admin = adminNode.build(() -> new AdminOptions(
                adminNode.nonEmpty("host"),
                adminNode.integer("port"),
                adminNode.choice("ready-requires-binds", YesNo.class) == YesNo.TRUE,
                adminKeyStore.isEmpty() ? Optional.empty() : Optional.of(existingFile(adminNode, "tls-key-store")),
                adminKeyStorePassword,
                adminNode.string("token-sha256").trim()));
        if (admin.enabled() && admin.tokenSha256().isEmpty() && !loopback(admin.host())) {
            // the metrics and the binds would be open to the network
            throw new ConfigException(adminNode.key("token-sha256") + ": required when " + adminNode.key("host") + " ("
                    + admin.host() + ") is not a loopback address");
        }

        String nodeId = nodeId(root.child("node"), env);
        ConfigNode lookup = root.child("lookup");
        LookupOptions lookupOptions = lookup.build(() -> new LookupOptions(
                lookup.duration("reply-validity"),
                lookup.durationOrZero("recovery-grace"),
                lookup.duration("recovery-interval"),
                lookup.integer("recovery-batch"),
                lookup.durationOrZero("duplicate-window"),
                lookup.duration("recovery-lease"),
                lookup.durationOrZero("answer-with-accept-within"),
                nodeId,
                OperatorSection.noticeShortCodes(root, operatorTemplate)));

        ConfigNode p = root.child("policy");
        PolicyOptions policy = p.build(() -> new PolicyOptions(
                p.duration("sim-change-window"),
                p.choice("unknown-sim-change", UnknownSimChange.class) == UnknownSimChange.ALLOW,
                p.integer("lookups-per-number-per-hour"),
                p.integer("lookups-per-number-per-day"),
                p.integer("lookups-per-record-per-day"),
                p.integer("lookups-per-operator-per-minute"),
                p.integer("mismatch-threshold"),
                p.duration("mismatch-window"),
                p.duration("mismatch-lockout"),
                p.durationOrZero("min-reply-delay"),
                p.durationOrZero("reply-delay-jitter"),
                p.integer("history-entries"),
                p.duration("audit-retention")));
        if (policy.minReplyDelay().plus(policy.replyDelayJitter()).compareTo(lookupOptions.recoveryGrace()) >= 0) {
            // a reply held that long would be found unanswered and decided again, on this node or another
            throw new ConfigException(lookup.key("recovery-grace") + ": must be longer than " + p.key("min-reply-delay")
                    + " + "
                    + p.key("reply-delay-jitter") + " ("
                    + policy.minReplyDelay().plus(policy.replyDelayJitter()).toMillis() + " ms), got "
                    + lookupOptions.recoveryGrace().toMillis() + " ms");
        }

        ConfigNode a = root.child("audit");
        AuditSettings audit = new AuditSettings(
                Path.of(a.nonEmpty("key-file")),
                Path.of(a.nonEmpty("anchor-file")),
                a.duration("anchor-interval"),
                env.get(ENV_AUDIT_MSISDN_KEY),
                env.get(ENV_AUDIT_ID_KEY));

        BackendSettings population = BackendSection.read(root.child("population"), env, false);
        BackendSettings subscribers = BackendSection.read(root.child("subscribers"), env, true);

        ConfigNode outbox = root.child("outbox");
        Duration lease = outbox.duration("lease");
        OutboxOptions outboxOptions = outbox.build(() -> new OutboxOptions(
                outbox.duration("scan-interval"),
                lease,
                outbox.integer("batch-size"),
                outbox.duration("retry-initial-delay"),
                outbox.duration("retry-max-delay"),
                outbox.durationOrZero("sent-mark-linger")));
        Duration held = policy.minReplyDelay().plus(policy.replyDelayJitter());
        if (!lookupOptions.answerWithAcceptWithin().isZero() && lease.compareTo(held) <= 0) {
            // a reply stored with its request is claimed for the lease through its hold: a shorter
            // lease would let the outbox send it a second time beside its sender
            throw new ConfigException(outbox.key("lease") + ": must be longer than " + p.key("min-reply-delay") + " + "
                    + p.key("reply-delay-jitter") + " (" + held.toMillis() + " ms) while "
                    + lookup.key("answer-with-accept-within") + " is not 0s, got " + lease.toMillis() + " ms");
        }

        ConfigNode db = root.child("database");
        String url = env.getOrDefault(ENV_DATABASE_URL, db.string("url")).trim();
        if (!url.isEmpty() && !url.matches("(jdbc:)?postgres(ql)?://.+")) {
            throw new ConfigException(db.key("url") + ": must look like postgresql://host:port/database");
        }
        DatabaseSettings database = db.build(() -> new DatabaseSettings(
                url,
                env.getOrDefault(ENV_DATABASE_USER, db.string("user")),
                env.getOrDefault(ENV_DATABASE_PASSWORD, db.string("password")),
                db.integer("pool-size"),
                db.integer("pool-wait-queue"),
                db.integer("read-connections"),
                db.string("role").trim(),
                Path.of(db.nonEmpty("embedded-data-dir")),
                db.choice("seed", SeedMode.class),
                db.integer("seed-citizens")));
        ConfigNode u = root.child("ussd");
        String serviceCode = u.nonEmpty("service-code").trim();
        UssdOptions ussd = u.build(() -> new UssdOptions(
                serviceCode,
                u.integer("screen-length"),
                u.duration("screen-timeout"),
                u.duration("session-timeout"),
                u.integer("max-sessions"),
                u.durationOrZero("min-answer-delay"),
                u.durationOrZero("answer-delay-jitter")));
        return new GatewayConfig(
                smppOptions,
                admin,
                lookupOptions,
                policy,
                audit,
                population,
                subscribers,
                outboxOptions,
                database,
                ussd,
                p.build(() -> new RetentionSettings(p.duration("request-retention"))),
                LoggingSettings.read(root.child("logging")));
    }

    /** {@code smpp.tls-port}: a TLS listener for operators binding in, or none (-1). */
    private static Optional<TlsListener> smppTls(ConfigNode smpp, Map<String, String> env) {
        int port = smpp.integer("tls-port");
        if (port < 0) {
            return Optional.empty();
        }
        Path keyStore = existingFile(smpp, "tls-key-store");
        String password = SecretReference.resolve(smpp, "tls-key-store-password", env);
        return Optional.of(smpp.build(() -> new TlsListener(port, keyStore, password)));
    }

    /** A file the key names, which must exist now: a listener would fail later, with less said. */
    static Path existingFile(ConfigNode node, String name) {
        String value = node.string(name).trim();
        if (value.isEmpty()) {
            throw new ConfigException(node.key(name) + ": must name a PKCS12 file");
        }
        Path file = Path.of(value);
        if (!Files.isReadable(file)) {
            throw new ConfigException(
                    node.key(name) + ": " + file.toAbsolutePath() + " does not exist or is not readable");
        }
        return file;
    }

    private static boolean loopback(String host) {
        return host.equals("localhost")
                || host.startsWith("127.")
                || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1");
    }

    private static BindProtection bindProtection(ConfigNode b) {
        return b.build(() -> new BindProtection(
                b.durationOrZero("refusal-delay"),
                b.duration("failure-backoff"),
                b.duration("max-failure-backoff"),
                b.integer("max-unbound"),
                b.integer("max-unbound-per-address")));
    }

    /** {@code node.id}, or the host name when it is empty: what names this node in binds, metrics, logs and the audit. */
    private static String nodeId(ConfigNode node, Map<String, String> env) {
        String id = node.string("id").trim();
        if (id.isEmpty()) {
            id = env.getOrDefault("HOSTNAME", "").trim();
        }
        if (id.isEmpty()) {
            try {
                id = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                id = LookupOptions.DEFAULT_NODE_ID;
            }
        }
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new ConfigException(
                    node.key("id") + ": must be 1 to 63 letters, digits, '.', '_' or '-', got '" + id + "'");
        }
        return id;
    }

    private static Map<String, Object> bundled() {
        try (InputStream in = GatewayConfig.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED + " missing from the classpath");
            }
            return mapping(yaml().load(in), BUNDLED);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Object loaded, String source) {
        if (loaded == null) {
            return Map.of();
        }
        if (!(loaded instanceof Map)) {
            throw new ConfigException("config file " + source + " must be a YAML mapping");
        }
        return (Map<String, Object>) loaded;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
