package vn.tracuu.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.app.AuditKeys;
import vn.tracuu.app.Database;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.audit.AuditAnchors;
import vn.tracuu.postgres.audit.AuditVerifier;
import vn.tracuu.postgres.demo.DemoPopulation;

/** The growth benchmark's history: as the gateway would have written it, chained and verifiable. */
class HistoryTest {

    @Test
    void aHistoryIsChainedLikeTheGatewaysAndKeepsRequestsOnlyForTheirRetention(@TempDir Path dir) throws Exception {
        GatewayConfig config = Benchmark.config(dir.resolve("pg"), 50);
        try (Database db = Database.open(config.database())) {
            DatabaseOptions login = db.options().asLogin();
            DemoPopulation.seed(login, 3000, DemoPopulation.DEFAULT_SEED);
            List<String[]> numbers = JdbcStatements.rows(
                    login,
                    "SELECT msisdn, personal_id FROM subscribers.subscriber WHERE status = 'verified' LIMIT 100",
                    row -> new String[] {row.getString(1), row.getString(2)});
            Pseudonymizer keys = AuditKeys.forDatabase(config.audit(), db.options(), true);
            Instant now = Instant.now();

            History.Written written = History.fill(login, keys, numbers, 10, 3, 100, now);

            assertEquals(1000, written.auditEntries());
            assertEquals(300, written.requests(), "requests only for the last 3 days, as retention leaves them");
            assertEquals(
                    "300", JdbcStatements.firstValue(login, "SELECT count(*) FROM gateway.reply WHERE state = 'sent'"));
            assertEquals(
                    "0",
                    JdbcStatements.firstValue(
                            login, "SELECT count(*) FROM gateway.request WHERE msisdn <> '' OR message_text <> ''"),
                    "answered requests hold no number or text");
            assertTrue(
                    Long.parseLong(JdbcStatements.firstValue(login, "SELECT min(at_micros) FROM gateway.audit"))
                            < now.minusSeconds(9 * 86_400).toEpochMilli() * 1000,
                    "the entries go back ten days");
            AuditVerifier.Result verified = AuditVerifier.verify(
                    login, List.of(new AuditAnchors(config.audit().anchorFile())));
            assertTrue(verified.intact(), verified.problem().orElse(""));
            assertEquals(1000, verified.checked());
            assertThrows(
                    IllegalStateException.class,
                    () -> History.fill(login, keys, numbers, 10, 3, 100, now),
                    "a history goes into a fresh database only");
        }
    }
}
