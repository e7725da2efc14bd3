package vn.tracuu.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.app.Database;
import vn.tracuu.app.Gateway;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.demo.DemoPopulation;

/** The machine's three reference figures, measured on the embedded PostgreSQL as the benchmark measures them. */
class MachineReferenceTest {

    @Test
    void measuresReadsCommitsAndTenRowTransactionsAndDropsItsTable(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(Benchmark.config(dir.resolve("pg"), 50).database())) {
            DatabaseOptions login = db.options().asLogin();
            DemoPopulation.seed(login, 3000, DemoPopulation.DEFAULT_SEED);
            Vertx vertx = Gateway.newVertx();
            try {
                MachineReference.Figures f = MachineReference.measure(
                        vertx, login, Benchmark.verifiedNumbers(login, 1000), Duration.ZERO, Duration.ofSeconds(1));
                assertEquals(login.poolSize(), f.connections());
                assertTrue(f.primaryKeyReads() > 0, "reads that found their row: " + f);
                assertTrue(f.singleRowCommits() > 0, f.toString());
                assertTrue(f.rowsTenToATransaction() > 0, f.toString());
                assertEquals(10.0, f.rowsPerBatchedTransaction(), "a batch of ten is one transaction, one commit");
                assertNull(
                        JdbcStatements.firstValue(login, "SELECT to_regclass('" + MachineReference.TABLE + "')::text"),
                        "the scratch table is dropped");
                assertEquals(
                        "3000",
                        JdbcStatements.firstValue(login, "SELECT count(*) FROM population.citizen"),
                        "the population only read");
            } finally {
                vertx.close().await(30, TimeUnit.SECONDS);
            }
        }
    }
}
