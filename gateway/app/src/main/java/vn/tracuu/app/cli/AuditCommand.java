package vn.tracuu.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import vn.tracuu.app.Database;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.postgres.audit.AuditAnchors;
import vn.tracuu.postgres.audit.AuditPurge;
import vn.tracuu.postgres.audit.AuditVerifier;

@Command(
        name = "audit",
        description = "Check or prune the audit trail.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Purge.class})
final class AuditCommand {

    @Command(
            name = "verify",
            description = "Check the audit hash chain against this node's anchors and other nodes' anchor files.")
    static final class Verify implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "ANCHOR_FILE", arity = "0..*", description = "other nodes' anchor files")
        List<Path> otherAnchors = new ArrayList<>();

        @Override
        public Integer call() {
            GatewayConfig c = config.load();
            List<AuditAnchors> all =
                    new ArrayList<>(List.of(new AuditAnchors(c.audit().anchorFile())));
            otherAnchors.forEach(file -> all.add(new AuditAnchors(file)));
            try (Database db = Database.openForAdministration(c.database())) {
                AuditVerifier.Result result = AuditVerifier.verify(db.options(), all);
                if (result.intact()) {
                    System.out.println("audit chain intact: " + result.checked() + " entries verified");
                    return 0;
                }
                System.out.println("audit chain BROKEN after " + result.checked() + " good entries: "
                        + result.problem().get());
                return 1;
            } catch (SQLException | IOException e) {
                throw new ConfigException("audit verify failed: " + e.getMessage());
            }
        }
    }

    @Command(name = "purge", description = "Remove entries older than policy.audit-retention.")
    static final class Purge implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            GatewayConfig c = config.load();
            try (Database db = Database.openForAdministration(c.database())) {
                long removed = AuditPurge.purge(
                        db.options(),
                        new AuditAnchors(c.audit().anchorFile()),
                        c.policy().auditRetention());
                System.out.println("removed " + removed + " audit entries older than "
                        + c.policy().auditRetention().toDays() + " days");
                return 0;
            } catch (SQLException | IOException e) {
                throw new ConfigException("audit purge failed: " + e.getMessage());
            }
        }
    }
}
