package vn.tracuu.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.app.Database;
import vn.tracuu.app.Gateway;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.demo.DemoPopulation;

/** The database floor runs the gateway's mix, under a pseudonym per number and per ID, as the gateway's runs do. */
class DatabaseFloorTest {

    @Test
    void runsTheMixWithAPseudonymPerNumberAndId(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(Benchmark.config(dir.resolve("pg"), 50).database())) {
            DatabaseOptions login = db.options().asLogin();
            DemoPopulation.seed(login, 3000, DemoPopulation.DEFAULT_SEED);
            Vertx vertx = Gateway.newVertx();
            try {
                DatabaseFloor.Traffic traffic = new DatabaseFloor.Traffic(
                        Benchmark.verifiedNumbers(login, 1000),
                        Benchmark.unverifiedNumbers(login, 100),
                        LoadRun.Mix.REALISTIC,
                        7L);
                double perSecond = DatabaseFloor.measure(
                                vertx, db.options(), traffic, 20, Duration.ZERO, Duration.ofSeconds(2))
                        .await(60, TimeUnit.SECONDS);
                assertTrue(perSecond > 0, "requests completed: " + perSecond);
                List<String[]> outcomes = JdbcStatements.rows(
                        login,
                        "SELECT outcome, count(*)::text, count(DISTINCT msisdn_hmac)::text, count(DISTINCT id_hmac)::text "
                                + "FROM gateway.audit WHERE bind_id = 'floor' GROUP BY outcome",
                        r -> new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4)});
                Map<String, long[]> by = new java.util.HashMap<>();
                for (String[] o : outcomes) {
                    by.put(o[0], new long[] {Long.parseLong(o[1]), Long.parseLong(o[2]), Long.parseLong(o[3])});
                }
                long all = by.values().stream().mapToLong(c -> c[0]).sum();
                long answered = by.get("ANSWERED")[0];
                // REALISTIC: 75 % lookups, 10 % help, 15 % refused (mismatched IDs and unverified numbers)
                assertTrue(answered > all * 0.6 && answered < all * 0.9, "lookups' share: " + answered + " of " + all);
                assertTrue(by.get("HELP")[0] > 0, "help requests in the mix");
                assertTrue(by.get("REFUSED")[0] > 0, "refusals in the mix");
                // the numbers are taken in turn, so a lookup's pseudonyms repeat only once all 1,000 were used
                long distinctLookups = Math.min(answered, 1000);
                assertTrue(
                        by.get("ANSWERED")[1] >= distinctLookups / 2 && by.get("ANSWERED")[2] >= distinctLookups / 2,
                        "a pseudonym per number and per ID, not one for all: " + by.get("ANSWERED")[1] + " numbers, "
                                + by.get("ANSWERED")[2] + " IDs in " + answered + " lookups");
            } finally {
                vertx.close().await(30, TimeUnit.SECONDS);
            }
        }
    }
}
