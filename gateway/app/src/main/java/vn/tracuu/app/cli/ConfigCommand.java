package vn.tracuu.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import vn.tracuu.app.config.GatewayConfig;

@Command(name = "config", description = "Work with the configuration.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

    @Command(
            name = "check",
            description = "Read and validate the configuration (the bundled defaults and --config on top), then exit: "
                    + "0 when it would start, 2 with one line naming the first bad key.")
    static final class Check implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            GatewayConfig c = config.load();
            System.out.println("config OK: " + config.describe() + "; "
                    + c.smpp().operators().size()
                    + " operator(s), database "
                    + (c.database().embedded() ? "embedded in " + c.database().embeddedDataDir() : "at database.url"));
            return 0;
        }
    }
}
