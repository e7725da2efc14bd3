package vn.tracuu.app.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import vn.tracuu.app.config.GatewayConfig;

/** {@code --config FILE}, shared by every command that reads the configuration. */
final class ConfigOption {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "override file on top of the bundled config/gateway.yaml")
    Path file;

    GatewayConfig load() {
        return GatewayConfig.load(Optional.ofNullable(file), System.getenv());
    }
}
