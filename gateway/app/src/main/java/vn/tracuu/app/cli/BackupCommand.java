package vn.tracuu.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import vn.tracuu.app.Database;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.postgres.backup.DatabaseBackup;

/**
 * {@code backup DIR} and {@code restore DIR}: the database (a consistent copy, taken while the
 * gateway runs) together with the audit keys and this node's anchor file, which a restored
 * database cannot be verified or pseudonymised without.
 */
final class BackupCommand {

    static final String KEYS = "audit-keys.properties";
    static final String ANCHORS = "audit-anchors.log";

    private BackupCommand() {}

    @Command(
            name = "backup",
            description = "Copy the database (consistently, while the gateway runs), the audit keys and this node's "
                    + "anchor file into DIR.")
    static final class Backup implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "DIR", description = "an empty or new directory")
        Path dir;

        @Override
        public Integer call() {
            GatewayConfig c = config.load();
            try (Database db = Database.openForAdministration(c.database())) {
                DatabaseBackup.Summary summary = DatabaseBackup.write(db.options(), dir);
                copyIfPresent(c.audit().keyFile(), dir.resolve(KEYS));
                copyIfPresent(c.audit().anchorFile(), dir.resolve(ANCHORS));
                System.out.println(said("backed up", summary) + ", with the audit keys and anchors, to " + dir);
                return 0;
            } catch (SQLException | IOException e) {
                throw new ConfigException("backup failed: " + e.getMessage());
            }
        }
    }

    @Command(
            name = "restore",
            description = "Load a backup from DIR into the configured database, which must be new (no requests, no "
                    + "audit entries), and put its audit keys and anchor file where the config names them.")
    static final class Restore implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "DIR", description = "a directory tracuu backup wrote")
        Path dir;

        @Override
        public Integer call() {
            GatewayConfig c = config.load();
            try {
                // first the keys: the database opens with them, and refuses keys other than its own
                placeIfPresent(dir.resolve(KEYS), c.audit().keyFile(), "audit.key-file");
                placeIfPresent(dir.resolve(ANCHORS), c.audit().anchorFile(), "audit.anchor-file");
                try (Database db = Database.open(c.database().withoutSeeding())) {
                    DatabaseBackup.Summary summary = DatabaseBackup.restore(db.options(), dir);
                    System.out.println(said("restored", summary) + ", from " + dir);
                    return 0;
                }
            } catch (SQLException | IOException e) {
                throw new ConfigException("restore failed: " + e.getMessage());
            }
        }
    }

    private static String said(String verb, DatabaseBackup.Summary summary) {
        return verb + " schema version " + summary.schemaVersion() + ", "
                + summary.rows().values().stream().mapToLong(Long::longValue).sum() + " rows in "
                + summary.rows().size() + " tables";
    }

    private static void copyIfPresent(Path from, Path to) throws IOException {
        if (from != null && Files.exists(from)) {
            Files.copy(from, to);
        }
    }

    /** The backup's copy of a file goes where the config names it, unless a different file is there. */
    private static void placeIfPresent(Path from, Path to, String key) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        if (Files.exists(to)) {
            if (Files.mismatch(from, to) != -1) {
                throw new IOException(key + " " + to + " exists and differs from the backup's: move it away first");
            }
            return;
        }
        Files.createDirectories(to.toAbsolutePath().getParent());
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
    }
}
