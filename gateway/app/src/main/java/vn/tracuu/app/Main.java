package vn.tracuu.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.app.config.GatewayConfig.DatabaseSettings;
import vn.tracuu.app.config.GatewayConfig.SeedMode;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.postgres.audit.AuditAnchors;
import vn.tracuu.postgres.audit.AuditPurge;
import vn.tracuu.postgres.audit.AuditVerifier;
import vn.tracuu.postgres.demo.DemoPopulation;
import vn.tracuu.smpp.session.PasswordCheck;

/** The command line: run, seed, unlock, audit, keys, hash-password (the handset is tools/phone). */
public final class Main {

    private static final String USAGE = String.join(
            "\n",
            "usage: tracuu <command> [options]",
            "  run            [--config FILE]                      start the gateway",
            "  seed           [--config FILE] [--citizens N] [--show N]",
            "                 load demo data (--show alone only lists ready-to-text numbers)",
            "  unlock         --msisdn MSISDN | --id PERSONAL_ID [--config FILE]",
            "                 lift a KHOA lock (after the citizen identified at a service counter)",
            "  audit verify   [--config FILE] [ANCHOR_FILE ...]    check the audit hash chain against this node's anchors",
            "                 and other nodes' anchor files",
            "  audit purge    [--config FILE]                      remove entries past policy.audit-retention",
            "  keys init      [--config FILE]                      create the audit keys for a new database (audit.key-file)",
            "  hash-password  PASSWORD                            print the config form of an SMPP password");

    private Main() {}

    public static void main(String[] argv) {
        List<String> args = Arrays.asList(argv);
        if (args.isEmpty()) {
            System.err.println(USAGE);
            System.exit(2);
        }
        try {
            List<String> rest = args.subList(1, args.size());
            int code = switch (args.get(0)) {
                case "run" -> run(new Arguments(rest, Set.of("config")));
                case "seed" -> seed(new Arguments(rest, Set.of("config", "citizens", "show")));
                case "hash-password" -> hashPassword(rest);
                case "keys" -> keys(action(rest), afterAction(rest));
                case "unlock" -> unlock(new Arguments(rest, Set.of("config", "msisdn", "id")));
                case "audit" -> audit(action(rest), afterAction(rest));
                default -> {
                    System.err.println(USAGE);
                    yield 2;
                }
            };
            if (code != 0 || !"run".equals(args.get(0))) {
                System.exit(code);
            }
        } catch (ConfigException e) {
            System.err.println("tracuu: config: " + e.getMessage());
            System.exit(2);
        } catch (IllegalArgumentException e) {
            System.err.println("tracuu: " + e.getMessage());
            System.exit(2);
        }
    }

    /** The action word of a two-word command ({@code audit verify}, {@code keys init}); "" when missing. */
    private static String action(List<String> rest) {
        return rest.isEmpty() ? "" : rest.get(0);
    }

    /** The options after the action word: only {@code --config}, and words (anchor files). */
    private static Arguments afterAction(List<String> rest) {
        return new Arguments(rest.subList(Math.min(1, rest.size()), rest.size()), Set.of("config"));
    }

    private static GatewayConfig config(Arguments a) {
        return GatewayConfig.load(a.option("config").map(Path::of), System.getenv());
    }

    private static int run(Arguments a) {
        GatewayConfig config = config(a);
        Gateway.nameInLogs(config);
        Database db = Database.open(config.database());
        Vertx vertx = Gateway.newVertx();
        // set once started: a stop before then has no binds or lookups to drain
        AtomicReference<Gateway> started = new AtomicReference<>();
        db.atExit(() -> stop(started.get(), vertx, config));
        if (db.embedded()) {
            printSamples(db, 5);
        }
        try {
            Gateway.start(vertx, config, db.options()).onSuccess(started::set).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            db.close();
            // a config error (the audit keys, say) names its own key, not the SMPP port
            throw e instanceof ConfigException named
                    ? named
                    : new ConfigException("smpp.port: the SMPP server did not start on "
                            + config.smpp().host() + ":" + config.smpp().port() + ": " + e.getMessage());
        }
        return 0;
    }

    /** On SIGTERM or Ctrl-C, before the database closes: binds, lookups, the anchor, the pool. */
    private static void stop(Gateway gateway, Vertx vertx, GatewayConfig config) {
        if (gateway != null) {
            try {
                // draining binds, then lookups, each within drain-timeout
                gateway.stop().await(2 * config.smpp().drainTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }
        try {
            // awaited apart: a continuation of the stop could run on an event loop this ends
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // shutting down anyway
        }
    }

    private static int seed(Arguments a) {
        GatewayConfig config = config(a);
        DatabaseSettings s = config.database();
        boolean showOnly = a.option("show").isPresent() && a.option("citizens").isEmpty();
        int citizens = a.integer("citizens", s.seedCitizens());
        DatabaseSettings settings = showOnly ? s : withoutSeeding(s);
        try (Database db = Database.open(settings)) {
            if (!showOnly) {
                long started = System.nanoTime();
                DemoPopulation.seed(db.options(), citizens, DemoPopulation.DEFAULT_SEED);
                System.out.printf("seeded %d citizens in %.1f s%n", citizens, (System.nanoTime() - started) / 1e9);
            }
            a.option("show").ifPresent(n -> printSamples(db, Integer.parseInt(n)));
            return 0;
        } catch (Exception e) {
            throw new ConfigException("seeding failed: " + e.getMessage());
        }
    }

    private static void printSamples(Database db, int n) {
        try {
            System.out.println("Demo numbers ready to text (MSISDN, operator, last 4 digits of the bound ID):");
            for (DemoPopulation.Sample s : DemoPopulation.samples(db.options(), n)) {
                System.out.printf("  %s  %-10s %s%n", s.msisdn(), s.operatorId(), s.idLastFour());
            }
        } catch (Exception e) {
            System.err.println("tracuu: cannot list demo numbers: " + e.getMessage());
        }
    }

    private static int unlock(Arguments a) {
        GatewayConfig config = config(a);
        Optional<String> msisdnArg = a.option("msisdn");
        Optional<String> idArg = a.option("id");
        if (msisdnArg.isPresent() == idArg.isPresent()) {
            throw new IllegalArgumentException("unlock takes either --msisdn or --id");
        }
        try (Database db = Database.open(withoutSeeding(config.database()))) {
            // the keys the database's pseudonyms were made with, or the lock would not be found
            Pseudonymizer pseudonyms = AuditKeys.forDatabase(config.audit(), db.options(), false);
            Vertx vertx = Vertx.vertx();
            try {
                Future<Boolean> lifted;
                String which;
                if (idArg.isPresent()) {
                    PersonalId id = PersonalId.parse(idArg.get())
                            .orElseThrow(() -> new IllegalArgumentException("--id is not a valid personal ID"));
                    lifted = AdminCommands.unlock(vertx, db.options().asLogin(), pseudonyms, id);
                    which = "the record " + id.masked();
                } else {
                    Msisdn msisdn = Msisdn.parse(msisdnArg.get(), Msisdn.TON_UNKNOWN)
                            .orElseThrow(
                                    () -> new IllegalArgumentException("--msisdn is not a Vietnamese mobile number"));
                    lifted = AdminCommands.unlock(vertx, db.options().asLogin(), pseudonyms, msisdn);
                    which = "the record bound to " + msisdn.masked();
                }
                System.out.println(
                        lifted.await(30, TimeUnit.SECONDS) ? "unlocked " + which : which + " was not locked");
                return 0;
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (Exception e) {
                throw new ConfigException("unlock failed: " + e.getMessage());
            } finally {
                vertx.close();
            }
        }
    }

    private static int audit(String action, Arguments a) {
        GatewayConfig config = config(a);
        AuditAnchors anchors = new AuditAnchors(config.audit().anchorFile());
        try (Database db = Database.open(withoutSeeding(config.database()))) {
            switch (action) {
                case "verify" -> {
                    // this node's anchors, and those of the other nodes named on the command line
                    List<AuditAnchors> all = new java.util.ArrayList<>(List.of(anchors));
                    a.words().forEach(file -> all.add(new AuditAnchors(Path.of(file))));
                    AuditVerifier.Result result = AuditVerifier.verify(db.options(), all);
                    if (result.intact()) {
                        System.out.println("audit chain intact: " + result.checked() + " entries verified");
                        return 0;
                    }
                    System.out.println("audit chain BROKEN after " + result.checked() + " good entries: "
                            + result.problem().get());
                    return 1;
                }
                case "purge" -> {
                    long removed = AuditPurge.purge(
                            db.options(), anchors, config.policy().auditRetention());
                    System.out.println("removed " + removed + " audit entries older than "
                            + config.policy().auditRetention().toDays() + " days");
                    return 0;
                }
                default -> throw new IllegalArgumentException("audit takes verify or purge");
            }
        } catch (SQLException | IOException e) {
            throw new ConfigException("audit " + action + " failed: " + e.getMessage());
        }
    }

    private static int keys(String action, Arguments a) {
        if (!"init".equals(action)) {
            throw new IllegalArgumentException("keys takes init");
        }
        GatewayConfig config = config(a);
        try (Database db = Database.open(withoutSeeding(config.database()))) {
            Pseudonymizer keys = AuditKeys.init(config.audit(), db.options());
            System.out.println("created audit keys " + keys.msisdnKeyId() + " and " + keys.idKeyId() + " in "
                    + config.audit().keyFile()
                    + " and recorded their fingerprint in the database; give every node a copy");
            return 0;
        }
    }

    private static DatabaseSettings withoutSeeding(DatabaseSettings s) {
        return new DatabaseSettings(
                s.url(),
                s.user(),
                s.password(),
                s.poolSize(),
                s.poolWaitQueue(),
                s.readConnections(),
                s.role(),
                s.embeddedDataDir(),
                SeedMode.NEVER,
                s.seedCitizens());
    }

    private static int hashPassword(List<String> args) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("hash-password takes exactly one password");
        }
        System.out.println(PasswordCheck.hash(args.get(0)));
        return 0;
    }
}
