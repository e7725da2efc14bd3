package vn.tracuu.load;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import vn.tracuu.postgres.DatabaseOptions;

/**
 * CPU time used so far, in nanoseconds, by whom: this JVM less the driver's event loop (the
 * in-process gateway, and the JVM's own threads: garbage collection and compilation of both), the
 * driver's event loop, and the PostgreSQL server (its postmaster and every process under it).
 * -1 where not measured: a gateway or a database on another machine.
 */
record CpuTime(long gatewayNanos, long driverNanos, long databaseNanos) {

    CpuTime minus(CpuTime earlier) {
        return new CpuTime(
                difference(gatewayNanos, earlier.gatewayNanos),
                difference(driverNanos, earlier.driverNanos),
                difference(databaseNanos, earlier.databaseNanos));
    }

    private static long difference(long later, long earlier) {
        return later < 0 || earlier < 0 ? -1 : later - earlier;
    }

    /** Reads the three: blocking (it reads /proc), so off the event loops. */
    static final class Meter {
        private final boolean gatewayInProcess;
        private final Optional<ProcessHandle> postmaster;
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final OperatingSystemMXBean process =
                (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        private Meter(boolean gatewayInProcess, Optional<ProcessHandle> postmaster) {
            this.gatewayInProcess = gatewayInProcess;
            this.postmaster = postmaster;
        }

        /** Only the driver's loop: a gateway and a database running apart. */
        static Meter driverOnly() {
            return new Meter(false, Optional.empty());
        }

        /**
         * The in-process gateway, and the server behind {@code db}, on this machine: the parent of the backend
         * serving a connection, found while that connection is open, and a {@code postgres} itself.
         */
        static Meter inProcess(DatabaseOptions db) throws SQLException {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                Optional<ProcessHandle> server = ProcessHandle.of(rs.getLong(1))
                        .filter(backend -> backend.info().command().orElse("").endsWith("postgres"))
                        .flatMap(ProcessHandle::parent);
                return new Meter(true, server);
            }
        }

        /** {@code driverThread}: the id of the thread the driver's run is on. */
        CpuTime read(long driverThread) {
            long driver = threads.getThreadCpuTime(driverThread);
            long gateway = gatewayInProcess && driver >= 0 ? process.getProcessCpuTime() - driver : -1;
            long database = postmaster
                    .filter(ProcessHandle::isAlive)
                    .map(p -> Stream.concat(Stream.of(p), p.descendants())
                            .mapToLong(h -> h.info()
                                    .totalCpuDuration()
                                    .map(Duration::toNanos)
                                    .orElse(0L))
                            .sum())
                    .orElse(-1L);
            return new CpuTime(gateway, driver, database);
        }
    }
}
