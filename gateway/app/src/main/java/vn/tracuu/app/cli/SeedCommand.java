package vn.tracuu.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vn.tracuu.app.Database;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.app.config.GatewayConfig.DatabaseSettings;
import vn.tracuu.postgres.demo.DemoPopulation;

@Command(
        name = "seed",
        description = "Load synthetic demo citizens and subscribers; --show alone only lists ready-to-text numbers.")
final class SeedCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--citizens", paramLabel = "N", description = "how many (default: database.seed-citizens)")
    Integer citizens;

    @Option(names = "--show", paramLabel = "N", description = "list N demo numbers ready to text")
    Integer show;

    @Override
    public Integer call() {
        GatewayConfig c = config.load();
        DatabaseSettings s = c.database();
        boolean showOnly = show != null && citizens == null;
        int count = citizens == null ? s.seedCitizens() : citizens;
        try (Database db = showOnly ? Database.openForAdministration(s) : Database.open(s.withoutSeeding())) {
            if (!showOnly) {
                long started = System.nanoTime();
                DemoPopulation.seed(db.options(), count, DemoPopulation.DEFAULT_SEED);
                System.out.printf("seeded %d citizens in %.1f s%n", count, (System.nanoTime() - started) / 1e9);
            }
            if (show != null) {
                printSamples(db, show);
            }
            return 0;
        } catch (Exception e) {
            throw new ConfigException("seeding failed: " + e.getMessage());
        }
    }

    static void printSamples(Database db, int n) {
        try {
            System.out.println("Demo numbers ready to text (MSISDN, operator, last 4 digits of the bound ID):");
            for (DemoPopulation.Sample s : DemoPopulation.samples(db.options(), n)) {
                System.out.printf("  %s  %-10s %s%n", s.msisdn(), s.operatorId(), s.idLastFour());
            }
        } catch (Exception e) {
            System.err.println("tracuu: cannot list demo numbers: " + e.getMessage());
        }
    }
}
