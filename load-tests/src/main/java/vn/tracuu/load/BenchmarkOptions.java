package vn.tracuu.load;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.tracuu.app.config.GatewayConfig;

/** The benchmark's command line: every option with its default, strict (a stray word is an error naming it). */
@Command(
        name = "tracuu-bench",
        mixinStandardHelpOptions = true,
        versionProvider = BenchmarkOptions.Version.class,
        description = "Measure the gateway: this machine's PostgreSQL, the SMPP and database floors, then the gateway "
                + "open loop at --rate and closed loop with --window in flight. Writes target/report/.")
final class BenchmarkOptions {

    @Option(
            names = "--citizens",
            defaultValue = "1000000",
            description = "citizens seeded (once) (default: ${DEFAULT-VALUE})")
    int citizens;

    @Option(
            names = "--binds",
            defaultValue = "4",
            description = "SMPP binds the driver opens (default: ${DEFAULT-VALUE})")
    int binds;

    @Option(
            names = "--rate",
            defaultValue = "1000",
            description = "open-loop requests per second (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(
            names = "--window",
            defaultValue = "400",
            description = "closed-loop requests in flight (default: ${DEFAULT-VALUE})")
    int window;

    @Option(
            names = "--warmup",
            defaultValue = "30",
            paramLabel = "SECONDS",
            description = "warm-up of each run (default: ${DEFAULT-VALUE})")
    long warmup;

    @Option(
            names = "--duration",
            defaultValue = "30",
            paramLabel = "SECONDS",
            description = "measured part of each run (default: ${DEFAULT-VALUE})")
    long duration;

    @Option(
            names = "--data-dir",
            defaultValue = "target/bench-postgres",
            description = "embedded database (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(
            names = "--out",
            defaultValue = "target/report",
            description = "report directory (default: ${DEFAULT-VALUE})")
    Path reportDir;

    @Option(
            names = "--floors",
            defaultValue = "true",
            arity = "1",
            description = "measure the floors and the machine (default: ${DEFAULT-VALUE})")
    boolean floors;

    @Option(
            names = "--ussd",
            defaultValue = "0",
            paramLabel = "PERCENT",
            description = "share of USSD dialogues in the mix (default: ${DEFAULT-VALUE})")
    int ussd;

    @Option(
            names = "--host",
            defaultValue = "",
            description = "measure a gateway running there instead of one started here")
    String host;

    @Option(names = "--port", defaultValue = "2775", description = "its SMPP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--database-url",
            description = "its database, for the numbers to text from (default: $TRACUU_DATABASE_URL)")
    String databaseUrl;

    @Option(
            names = "--history-days",
            defaultValue = "0",
            description = "fill the tables with this many days of a busy service first (default: ${DEFAULT-VALUE})")
    int historyDays;

    @Option(
            names = "--history-per-day",
            defaultValue = "111111",
            description = "requests per day of that history (default: ${DEFAULT-VALUE})")
    int historyPerDay;

    @Option(
            names = "--seed",
            description =
                    "the run's random sequence of numbers and texts (default: a new one each run, printed in the report)")
    Long seed;

    @Option(
            names = "--profile",
            defaultValue = "unthrottled",
            description = "unthrottled: the reply hold, guard quotas and operator cap lifted; shipped: as shipped "
                    + "(both lift the per-number limits and the retransmission filter the driver would trip) "
                    + "(default: ${DEFAULT-VALUE})")
    Profile profile;

    @Option(
            names = "--bind-out",
            description =
                    "the gateway binds out to the driver as to the operator's SMSC (the ESME role: texts as deliver_sm, "
                            + "replies as submit_sm, each with a delivery receipt) instead of the driver binding in")
    boolean bindOut;

    @Option(
            names = "--jvm-cpus",
            defaultValue = "",
            description = "Linux CPUs the benchmark's JVM (gateway and driver) runs on once the database is up, "
                    + "as taskset takes them (\"0\", \"0,1\"); PostgreSQL keeps every core (default: all)")
    String jvmCpus;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "a gateway setting as config/gateway.yaml names it (outbox.sent-mark-linger=50ms), over the "
                    + "profile's; repeatable, listed in the report")
    Map<String, String> set = new LinkedHashMap<>();

    enum Profile {
        unthrottled,
        shipped
    }

    /** The settings {@code args} give; a word or option it does not know is an error naming it. */
    static Benchmark.Settings parse(String[] args, Map<String, String> env) {
        BenchmarkOptions o = new BenchmarkOptions();
        new CommandLine(o).parseArgs(args);
        return o.settings(env);
    }

    Benchmark.Settings settings(Map<String, String> env) {
        Benchmark.Settings s = new Benchmark.Settings(
                citizens,
                binds,
                rate,
                window,
                java.time.Duration.ofSeconds(warmup),
                java.time.Duration.ofSeconds(duration),
                dataDir,
                reportDir,
                floors,
                ussd,
                host,
                port,
                databaseUrl != null ? databaseUrl : env.getOrDefault(GatewayConfig.ENV_DATABASE_URL, ""),
                historyDays,
                historyPerDay,
                seed != null ? seed : new java.security.SecureRandom().nextLong(),
                profile == Profile.shipped,
                bindOut,
                jvmCpus.trim(),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(set)));
        if (s.targetsRunningGateway() && s.databaseUrl().isEmpty()) {
            throw new IllegalArgumentException("--host: the running gateway's database is needed too, for the numbers "
                    + "to text from: --database-url postgresql://host:port/db or " + GatewayConfig.ENV_DATABASE_URL);
        }
        if (s.targetsRunningGateway() && !s.set().isEmpty()) {
            throw new IllegalArgumentException(
                    "--set: a gateway running elsewhere runs with its own configuration, which the benchmark cannot change");
        }
        if (s.targetsRunningGateway() && s.bindOut()) {
            throw new IllegalArgumentException(
                    "--bind-out: a gateway running elsewhere binds out where its own configuration says, not to the driver");
        }
        if (!s.jvmCpus().isEmpty() && (s.targetsRunningGateway() || !s.jvmCpus().matches("[0-9,-]+"))) {
            throw new IllegalArgumentException("--jvm-cpus: a list of this machine's CPUs such as 0 or 0,1 or 0-3, "
                    + "for a gateway measured in-process");
        }
        return s;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BenchmarkOptions.class.getPackage().getImplementationVersion();
            return new String[] {"tracuu-bench " + (v == null ? "(development build)" : v)};
        }
    }
}
