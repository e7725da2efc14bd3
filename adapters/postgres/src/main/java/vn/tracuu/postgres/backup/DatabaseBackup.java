package vn.tracuu.postgres.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import vn.tracuu.postgres.DatabaseOptions;

/**
 * A consistent copy of the gateway's data: every table of its schemas (population, subscribers,
 * gateway) as PostgreSQL's own COPY text, all read in one repeatable-read snapshot, so the audit
 * chain, the requests and the outbox agree with each other — taken while the gateway runs. The
 * schema itself is not copied: a restore migrates a fresh database to the same version, then
 * loads the rows and sets the sequences. No pg_dump is needed: the embedded server ships none.
 * Blocking JDBC, as the login: the command line only.
 */
public final class DatabaseBackup {

    /** What a backup holds: the schema version and each table's row count, in the order written. */
    public record Summary(String schemaVersion, Map<String, Long> rows) {}

    static final String MANIFEST = "manifest.properties";
    private static final String IN_SCHEMAS = "('population', 'subscribers', 'gateway')";

    private DatabaseBackup() {}

    /** Writes the backup into {@code dir}, which must not hold one already. */
    public static Summary write(DatabaseOptions db, Path dir) throws SQLException, IOException {
        Files.createDirectories(dir);
        if (Files.exists(dir.resolve(MANIFEST))) {
            throw new IOException(dir + " holds a backup already: choose an empty directory");
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            CopyManager copy = new CopyManager(c.unwrap(BaseConnection.class));
            String version = schemaVersion(c);
            Map<String, Long> rows = new LinkedHashMap<>();
            Properties manifest = new Properties();
            manifest.setProperty("schema-version", version);
            for (String table : tables(c)) {
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(table + ".copy.gz")))) {
                    rows.put(table, copy.copyOut("COPY " + table + " TO STDOUT", out));
                }
                manifest.setProperty("rows." + table, Long.toString(rows.get(table)));
            }
            manifest.setProperty("tables", String.join(",", rows.keySet()));
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT schemaname || '.' || sequencename, last_value "
                            + "FROM pg_sequences WHERE schemaname IN " + IN_SCHEMAS + " AND last_value IS NOT NULL")) {
                while (rs.next()) {
                    manifest.setProperty("sequence." + rs.getString(1), Long.toString(rs.getLong(2)));
                }
            }
            c.commit();
            // the manifest last: a directory without one is a backup that did not finish
            try (OutputStream out = Files.newOutputStream(dir.resolve(MANIFEST))) {
                manifest.store(out, "tracuu database backup");
            }
            return new Summary(version, rows);
        }
    }

    /**
     * Loads the backup in {@code dir} into a database migrated to the same schema version that
     * holds no request and no audit entry yet (a fresh one). Needs a login that may set
     * {@code session_replication_role} (a superuser, as the embedded server's is): the rows go in
     * with the foreign keys' triggers off, as they were consistent when copied.
     */
    public static Summary restore(DatabaseOptions db, Path dir) throws SQLException, IOException {
        Properties manifest = new Properties();
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.exists(manifestFile)) {
            throw new IOException("no " + MANIFEST + " in " + dir + ": not a backup, or one that did not finish");
        }
        try (InputStream in = Files.newInputStream(manifestFile)) {
            manifest.load(in);
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            c.setAutoCommit(false);
            String version = schemaVersion(c);
            if (!version.equals(manifest.getProperty("schema-version"))) {
                throw new IOException("the backup is of schema version " + manifest.getProperty("schema-version")
                        + ", this build's database is at " + version + ": restore with the build that made it");
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM gateway.request) "
                            + "+ (SELECT seq FROM gateway.audit_head WHERE chain = 'main')")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new IOException(
                            "the database holds requests or audit entries already: restore into a fresh one");
                }
            }
            List<String> tables = List.of(manifest.getProperty("tables").split(","));
            CopyManager copy = new CopyManager(c.unwrap(BaseConnection.class));
            Map<String, Long> rows = new LinkedHashMap<>();
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL session_replication_role = replica");
                s.execute("TRUNCATE " + String.join(", ", tables(c)));
                for (String table : tables) {
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(table + ".copy.gz")))) {
                        rows.put(table, copy.copyIn("COPY " + table + " FROM STDIN", in));
                    }
                    long expected = Long.parseLong(manifest.getProperty("rows." + table));
                    if (rows.get(table) != expected) {
                        throw new IOException(
                                table + ": " + rows.get(table) + " rows loaded, the backup holds " + expected);
                    }
                }
                for (String key : manifest.stringPropertyNames()) {
                    if (key.startsWith("sequence.")) {
                        s.execute("SELECT setval('" + key.substring("sequence.".length()) + "', "
                                + Long.parseLong(manifest.getProperty(key)) + ")");
                    }
                }
            }
            c.commit();
            return new Summary(version, rows);
        }
    }

    /** The last migration applied (Flyway's history), which a restore must match. */
    private static String schemaVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success "
                        + "ORDER BY installed_rank DESC LIMIT 1")) {
            if (!rs.next()) {
                throw new SQLException("the database has no schema migrations applied");
            }
            return rs.getString(1);
        }
    }

    /** The gateway's tables, schema-qualified, in a stable order. */
    private static List<String> tables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_schema || '.' || table_name FROM information_schema.tables "
                        + "WHERE table_type = 'BASE TABLE' AND table_schema IN " + IN_SCHEMAS
                        + " ORDER BY table_schema, table_name")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
