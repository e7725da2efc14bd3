package vn.tracuu.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import vn.tracuu.app.AuditKeys;
import vn.tracuu.app.Database;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.core.audit.Pseudonymizer;

@Command(name = "keys", description = "Manage the audit's pseudonymisation keys.", subcommands = KeysCommand.Init.class)
final class KeysCommand {

    @Command(name = "init", description = "Create the audit keys for a new database (audit.key-file).")
    static final class Init implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            GatewayConfig c = config.load();
            try (Database db = Database.open(c.database().withoutSeeding())) {
                Pseudonymizer keys = AuditKeys.init(c.audit(), db.options());
                System.out.println("created audit keys " + keys.msisdnKeyId() + " and " + keys.idKeyId() + " in "
                        + c.audit().keyFile()
                        + " and recorded their fingerprint in the database; give every node a copy");
                return 0;
            }
        }
    }
}
