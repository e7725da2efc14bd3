package vn.tracuu.app.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import vn.tracuu.app.AdminCommands;
import vn.tracuu.app.AuditKeys;
import vn.tracuu.app.Database;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;

@Command(
        name = "unlock",
        description = "Lift a KHOA lock, after the citizen identified themselves at a service counter.")
final class UnlockCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @ArgGroup(multiplicity = "1")
    Which which;

    @Spec
    CommandSpec spec;

    /** Exactly one of the two. */
    static final class Which {
        @Option(names = "--msisdn", required = true, description = "the number the record is bound to")
        String msisdn;

        @Option(names = "--id", required = true, description = "the record's 12-digit personal ID")
        String id;
    }

    @Override
    public Integer call() {
        GatewayConfig c = config.load();
        try (Database db = Database.openForAdministration(c.database())) {
            // the keys the database's pseudonyms were made with, or the lock would not be found
            Pseudonymizer pseudonyms = AuditKeys.forDatabase(c.audit(), db.options(), false);
            Vertx vertx = Vertx.vertx();
            try {
                Future<Boolean> lifted;
                String what;
                if (which.id != null) {
                    PersonalId id = PersonalId.parse(which.id)
                            .orElseThrow(() ->
                                    new ParameterException(spec.commandLine(), "--id is not a valid personal ID"));
                    lifted = AdminCommands.unlock(vertx, db.options().asLogin(), pseudonyms, id);
                    what = "the record " + id.masked();
                } else {
                    Msisdn msisdn = Msisdn.parse(which.msisdn, Msisdn.TON_UNKNOWN)
                            .orElseThrow(() -> new ParameterException(
                                    spec.commandLine(), "--msisdn is not a Vietnamese mobile number"));
                    lifted = AdminCommands.unlock(vertx, db.options().asLogin(), pseudonyms, msisdn);
                    what = "the record bound to " + msisdn.masked();
                }
                System.out.println(lifted.await(30, TimeUnit.SECONDS) ? "unlocked " + what : what + " was not locked");
                return 0;
            } catch (ParameterException e) {
                throw e;
            } catch (Exception e) {
                throw new ConfigException("unlock failed: " + e.getMessage());
            } finally {
                vertx.close();
            }
        }
    }
}
