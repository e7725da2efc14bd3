package vn.tracuu.app.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import vn.tracuu.app.config.GatewayConfig;

/**
 * {@code --config FILE}, shared by every command that reads the configuration; without it, the
 * file {@code TRACUU_CONFIG} names (the installed packages set it to /etc/tracuu/gateway.yaml).
 */
final class ConfigOption {

    static final String ENV_CONFIG = "TRACUU_CONFIG";

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "override file on top of the bundled config/gateway.yaml (default: $TRACUU_CONFIG, if set)")
    Path file;

    GatewayConfig load() {
        return GatewayConfig.load(chosen(), System.getenv());
    }

    /** What was read, for messages. */
    String describe() {
        return chosen().map(f -> "bundled defaults and " + f).orElse("bundled defaults");
    }

    private Optional<Path> chosen() {
        if (file != null) {
            return Optional.of(file);
        }
        String env = System.getenv(ENV_CONFIG);
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(Path.of(env));
    }
}
