package vn.tracuu.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import vn.tracuu.app.admin.AdminOptions;
import vn.tracuu.core.guard.GuardOptions;
import vn.tracuu.core.lookup.LookupOptions;
import vn.tracuu.core.outbox.OutboxOptions;
import vn.tracuu.core.policy.PolicyOptions;
import vn.tracuu.core.ussd.UssdOptions;
import vn.tracuu.http.HttpBackendOptions;
import vn.tracuu.http.SimChangeMode;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.session.OperatorOptions;
import vn.tracuu.smpp.session.OutboundBindOptions;
import vn.tracuu.smpp.session.PasswordCheck;
import vn.tracuu.smpp.session.SmppOptions;
import vn.tracuu.smpp.text.Alphabet;
import vn.tracuu.smpp.text.Concatenation;
import vn.tracuu.smpp.ussd.UssdMapping;

/**
 * The whole configuration: the bundled {@code config/gateway.yaml} (which is also the schema),
 * an optional override file, and environment variables for the database connection and
 * secrets. Anything wrong raises a {@link ConfigException} naming the key.
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
        UssdOptions ussd) {

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

        public boolean embedded() {
            return url.isBlank();
        }
    }

    public static GatewayConfig load(Optional<Path> overrideFile, Map<String, String> env) {
        Map<String, Object> defaults = ConfigFiles.relativeTo(ConfigFiles.home(env), bundled());
        Map<String, Object> merged = defaults;
        if (overrideFile.isPresent()) {
            Path file = overrideFile.get();
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
        return from(new ConfigNode("", merged), operatorTemplate(defaults), env);
    }

    private static GatewayConfig from(ConfigNode root, Map<String, Object> operatorTemplate, Map<String, String> env) {
        ConfigNode smpp = root.child("smpp");
        List<OperatorOptions> operators = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> systemIds = new HashSet<>();
        for (ConfigNode op : root.entries("operators", operatorTemplate, List.of("id"))) {
            String id = op.nonEmpty("id");
            String systemId = op.string("system-id").isBlank() ? id : op.string("system-id");
            if (!ids.add(id)) {
                throw new ConfigException(op.key("id") + ": operator '" + id + "' is listed twice");
            }
            if (!systemIds.add(systemId) || systemId.length() > 15) {
                throw new ConfigException(
                        op.key("system-id") + ": must be unique and at most 15 characters (SMPP 3.4 §4.1.1)");
            }
            Optional<OutboundBindOptions> bindOut = bindOut(op.child("bind-out"), env);
            PasswordCheck password;
            if (op.string("password").isBlank() && bindOut.isPresent()) {
                password = PasswordCheck.NONE;
            } else if (op.string("password").isBlank()) {
                throw new ConfigException(op.key("password") + ": must be given, unless " + op.key("bind-out.host")
                        + " is set (the gateway binds to that operator)");
            } else {
                try {
                    password = PasswordCheck.parse(op.nonEmpty("password"), env::get);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(op.key("password") + ": " + e.getMessage());
                }
            }
            operators.add(new OperatorOptions(
                    id,
                    systemId,
                    password,
                    op.strings("allowed-addresses"),
                    op.integer("max-binds", 1, 1000),
                    op.strings("short-codes"),
                    op.choice("alphabet", Alphabet.class),
                    op.choice("concatenation", Concatenation.class),
                    op.integer("max-segments", 1, 255),
                    op.integer("send-rate", 0, 1_000_000),
                    op.integer("receive-rate", 0, 1_000_000),
                    bindOut,
                    ussdMapping(op.child("ussd"))));
        }
        SmppOptions smppOptions = new SmppOptions(
                smpp.nonEmpty("host"),
                smpp.integer("port", 0, 65535),
                smpp.nonEmpty("system-id"),
                smpp.integer("max-pdu-length", 64, 1 << 20),
                smpp.duration("bind-timeout"),
                smpp.integer("inbound-window", 1, 100_000),
                smpp.integer("outbound-window", 1, 100_000),
                smpp.duration("response-timeout"),
                smpp.duration("enquire-link-interval"),
                smpp.duration("enquire-link-timeout"),
                smpp.duration("throttle-backoff"),
                smpp.duration("reconnect-initial-delay"),
                smpp.duration("reconnect-max-delay"),
                smpp.durationOrZero("bind-refused-delay"),
                smpp.durationOrZero("drain-timeout"),
                operators);

        ConfigNode adminNode = root.child("admin");
        AdminOptions admin = new AdminOptions(
                adminNode.nonEmpty("host"),
                adminNode.integer("port", -1, 65535),
                adminNode.choice("ready-requires-binds", YesNo.class) == YesNo.TRUE);

        String nodeId = nodeId(root.child("node"), env);
        ConfigNode lookup = root.child("lookup");
        LookupOptions lookupOptions = new LookupOptions(
                lookup.duration("reply-validity"),
                lookup.durationOrZero("recovery-grace"),
                lookup.duration("recovery-interval"),
                lookup.integer("recovery-batch", 1, 100_000),
                lookup.durationOrZero("duplicate-window"),
                lookup.duration("recovery-lease"),
                nodeId);

        ConfigNode p = root.child("policy");
        PolicyOptions policy = new PolicyOptions(
                p.duration("sim-change-window"),
                p.choice("unknown-sim-change", UnknownSimChange.class) == UnknownSimChange.ALLOW,
                p.integer("lookups-per-number-per-hour", 1, 1_000_000),
                p.integer("lookups-per-number-per-day", 1, 1_000_000),
                p.integer("lookups-per-record-per-day", 1, 1_000_000),
                p.integer("lookups-per-operator-per-minute", 1, 100_000_000),
                p.integer("mismatch-threshold", 1, 1000),
                p.duration("mismatch-window"),
                p.duration("mismatch-lockout"),
                p.durationOrZero("min-reply-delay"),
                p.durationOrZero("reply-delay-jitter"),
                p.integer("history-entries", 1, 20),
                p.duration("audit-retention"));
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

        BackendSettings population = backend(root.child("population"), env, false);
        BackendSettings subscribers = backend(root.child("subscribers"), env, true);

        ConfigNode outbox = root.child("outbox");
        Duration lease = outbox.duration("lease");
        Duration sentMarkLinger = outbox.durationOrZero("sent-mark-linger");
        if (sentMarkLinger.compareTo(lease) >= 0) {
            throw new ConfigException(outbox.key("sent-mark-linger") + ": must be shorter than " + outbox.key("lease")
                    + ", or a reply would be sent again before its sent mark commits");
        }
        OutboxOptions outboxOptions = new OutboxOptions(
                operators.stream().map(OperatorOptions::id).toList(),
                outbox.duration("scan-interval"),
                lease,
                outbox.integer("batch-size", 1, 10_000),
                outbox.duration("retry-initial-delay"),
                outbox.duration("retry-max-delay"),
                sentMarkLinger);

        ConfigNode db = root.child("database");
        String url = env.getOrDefault(ENV_DATABASE_URL, db.string("url")).trim();
        if (!url.isEmpty() && !url.matches("(jdbc:)?postgres(ql)?://.+")) {
            throw new ConfigException(db.key("url") + ": must look like postgresql://host:port/database");
        }
        DatabaseSettings database = new DatabaseSettings(
                url,
                env.getOrDefault(ENV_DATABASE_USER, db.string("user")),
                env.getOrDefault(ENV_DATABASE_PASSWORD, db.string("password")),
                db.integer("pool-size", 1, 1000),
                db.integer("pool-wait-queue", 1, 1_000_000),
                db.integer("read-connections", 1, 100),
                db.string("role").trim(),
                Path.of(db.nonEmpty("embedded-data-dir")),
                db.choice("seed", SeedMode.class),
                db.integer("seed-citizens", 1, 50_000_000));
        ConfigNode u = root.child("ussd");
        String serviceCode = u.nonEmpty("service-code").trim();
        if (!UssdOptions.isServiceCode(serviceCode)) {
            throw new ConfigException(u.key("service-code") + ": must look like *2024#, got '" + serviceCode + "'");
        }
        UssdOptions ussd = new UssdOptions(
                serviceCode,
                u.integer("screen-length", 160, 182),
                u.duration("screen-timeout"),
                u.duration("session-timeout"),
                u.integer("max-sessions", 1, 1_000_000),
                u.durationOrZero("min-answer-delay"),
                u.durationOrZero("answer-delay-jitter"));
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
                ussd);
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

    /** An operator's {@code ussd} entry: how its USSD centre maps USSD onto SMPP. */
    private static UssdMapping ussdMapping(ConfigNode u) {
        Set<Integer> abort = new HashSet<>();
        for (String code : u.strings("abort")) {
            abort.add(operationCode(u, "abort", code));
        }
        return new UssdMapping(
                u.string("service-type").trim(),
                u.choice("session-id", UssdMapping.SessionIdField.class),
                operationCode(u, "pssr-indication", u.string("pssr-indication")),
                operationCode(u, "pssr-response", u.string("pssr-response")),
                operationCode(u, "ussr-request", u.string("ussr-request")),
                operationCode(u, "ussr-confirm", u.string("ussr-confirm")),
                abort);
    }

    /** A ussd_service_op value, one octet, decimal or 0x hexadecimal. */
    private static int operationCode(ConfigNode u, String name, String value) {
        try {
            int code = Integer.decode(value.trim());
            if (code >= 0 && code <= 255) {
                return code;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(
                u.key(name) + ": must be a ussd_service_op value from 0 to 255 (or 0x00 to 0xFF), got '" + value + "'");
    }

    /** An operator's {@code bind-out} entry; empty when its host is empty (the operator binds in). */
    private static Optional<OutboundBindOptions> bindOut(ConfigNode out, Map<String, String> env) {
        String host = out.string("host").trim();
        if (host.isEmpty()) {
            return Optional.empty();
        }
        String systemId = out.nonEmpty("system-id");
        if (systemId.length() > 15) {
            throw new ConfigException(out.key("system-id") + ": at most 15 characters (SMPP 3.4 §4.1.1)");
        }
        String password = out.nonEmpty("password");
        if (!password.startsWith("env:")) {
            throw new ConfigException(out.key("password") + ": must be env:VARIABLE, never the password itself");
        }
        String value = env.get(password.substring(4));
        if (value == null || value.isEmpty()) {
            throw new ConfigException(
                    out.key("password") + ": environment variable " + password.substring(4) + " is not set");
        }
        if (value.length() > 8) {
            throw new ConfigException(out.key("password") + ": the password in " + password.substring(4)
                    + " is longer than 8 characters (SMPP 3.4 §4.1.1)");
        }
        int bindCommand = switch (out.choice("bind-type", BindType.class)) {
            case TRANSMITTER -> CommandId.BIND_TRANSMITTER;
            case RECEIVER -> CommandId.BIND_RECEIVER;
            case TRANSCEIVER -> CommandId.BIND_TRANSCEIVER;
        };
        return Optional.of(new OutboundBindOptions(
                host,
                out.integer("port", 1, 65535),
                out.choice("tls", YesNo.class) == YesNo.TRUE,
                systemId,
                value,
                out.string("system-type"),
                bindCommand,
                out.string("address-range"),
                out.integer("binds", 1, 100)));
    }

    /** The bind an ESME asks for (SMPP 3.4 §4.1). */
    public enum BindType {
        TRANSMITTER,
        RECEIVER,
        TRANSCEIVER
    }

    /** The first bundled operator's settings, less what names that operator: defaults for the others. */
    private static BackendSettings backend(ConfigNode section, Map<String, String> env, boolean withSimSwap) {
        Backend backend = section.choice("backend", Backend.class);
        ConfigNode http = section.child("http");
        String url = http.string("url").trim();
        if (backend == Backend.HTTP && !url.matches("https?://.+")) {
            throw new ConfigException(http.key("url") + ": must be an http:// or https:// URL when "
                    + section.key("backend") + " is http");
        }
        String authValue = http.string("auth-value").trim();
        if (!authValue.isEmpty()) {
            if (!authValue.startsWith("env:")) {
                throw new ConfigException(
                        http.key("auth-value") + ": must be env:VARIABLE, never the credential itself");
            }
            String variable = authValue.substring(4);
            authValue = env.get(variable);
            if (authValue == null || authValue.isEmpty()) {
                throw new ConfigException(
                        http.key("auth-value") + ": environment variable " + variable + " is not set");
            }
        }
        HttpBackendOptions httpOptions = new HttpBackendOptions(
                url,
                http.nonEmpty("auth-header"),
                authValue,
                http.duration("connect-timeout"),
                http.integer("max-connections", 1, 10_000));
        HttpBackendOptions simSwap = null;
        SimChangeMode mode = null;
        if (withSimSwap) {
            String simUrl = http.string("sim-swap-url").trim();
            simSwap = new HttpBackendOptions(
                    simUrl.isEmpty() ? url : simUrl,
                    httpOptions.authHeader(),
                    httpOptions.authValue(),
                    httpOptions.connectTimeout(),
                    httpOptions.maxConnections());
            mode = http.choice("sim-change-mode", SimChangeMode.class);
        }
        ConfigNode g = section.child("guard");
        GuardOptions guard = new GuardOptions(
                g.integer("permits-per-second", 1, 1_000_000),
                g.durationOrZero("max-wait"),
                g.integer("max-concurrent", 1, 100_000),
                g.duration("call-timeout"),
                g.integer("failure-rate-percent", 1, 100),
                g.duration("slow-call-threshold"),
                g.integer("slow-call-rate-percent", 1, 100),
                g.integer("minimum-calls", 1, 100_000),
                g.duration("open-duration"),
                g.integer("max-retries", 0, 10),
                g.duration("retry-backoff"),
                g.durationOrZero("warm-up"));
        return new BackendSettings(backend, httpOptions, simSwap, mode, guard);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> operatorTemplate(Map<String, Object> defaults) {
        Map<String, Object> template =
                new LinkedHashMap<>((Map<String, Object>) ((List<Object>) defaults.get("operators")).get(0));
        template.put("id", null);
        template.put("system-id", null);
        template.put("password", null);
        return template;
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
