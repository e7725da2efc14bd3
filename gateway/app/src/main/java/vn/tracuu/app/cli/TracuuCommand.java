package vn.tracuu.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import vn.tracuu.app.config.ConfigException;

/**
 * The {@code tracuu} command line: one class per subcommand. A mistyped word or option is
 * refused with the usage (exit 2) before anything starts; a configuration error is one line
 * naming the key (exit 2). The handset is {@code tools/phone}.
 */
@Command(
        name = "tracuu",
        mixinStandardHelpOptions = true,
        // every subcommand gets --help and --version too
        scope = ScopeType.INHERIT,
        versionProvider = TracuuCommand.Version.class,
        description = "SMS and USSD gateway: a citizen reads their own record in the population database.",
        subcommands = {
            RunCommand.class,
            SeedCommand.class,
            UnlockCommand.class,
            AuditCommand.class,
            KeysCommand.class,
            HashPasswordCommand.class,
            ConfigCommand.class,
            BackupCommand.Backup.class,
            BackupCommand.Restore.class
        })
public final class TracuuCommand implements Callable<Integer> {

    /** What {@link #execute} returns while the gateway runs on after {@code run} started it. */
    public static final int RUNNING = RunCommand.RUNNING;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    /** Parses {@code args} and runs the command they name; returns its exit code. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, with usage and errors written to {@code err}. */
    static int execute(PrintWriter err, String... args) {
        return new CommandLine(new TracuuCommand())
                .setErr(err)
                .setExecutionExceptionHandler((e, commandLine, parsed) -> {
                    if (e instanceof ConfigException) {
                        commandLine.getErr().println("tracuu: config: " + e.getMessage());
                        return 2;
                    }
                    if (e instanceof IllegalArgumentException) {
                        commandLine.getErr().println("tracuu: " + e.getMessage());
                        return 2;
                    }
                    throw e;
                })
                .execute(args);
    }

    /** The jar's Implementation-Version (from the Maven build). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TracuuCommand.class.getPackage().getImplementationVersion();
            return new String[] {"tracuu " + (version == null ? "(development build)" : version)};
        }
    }
}
