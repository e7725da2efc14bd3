package vn.tracuu.postgres.audit;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Removes audit entries past their retention while keeping the chain verifiable: the head is
 * anchored first, and the head row remembers the last removed entry's hash, which the first
 * remaining entry continues from. Needs DELETE on the audit table, which the gateway's role
 * lacks: it runs as the database login, from the {@code audit purge} command or the gateway's
 * hourly retention. Blocking JDBC: on a worker thread.
 */
public final class AuditPurge {

    private AuditPurge() {}

    /** The entries a purge removes in one transaction: the chain head is locked meanwhile. */
    public static final int DEFAULT_BATCH = 1_000;

    /** Removes entries older than {@code retention}; returns how many. */
    public static long purge(vn.tracuu.postgres.DatabaseOptions db, AuditAnchors anchors, Duration retention)
            throws SQLException, IOException {
        return purge(db, anchors, Instant.now().minus(retention), DEFAULT_BATCH);
    }

    /**
     * Removes entries written before {@code cutoff}, at most {@code batch} per transaction (each
     * holds the chain head's lock, which every append waits for), oldest first; returns how many.
     * Two nodes purging at once take turns on the head's lock and remove each entry once.
     */
    public static long purge(vn.tracuu.postgres.DatabaseOptions db, AuditAnchors anchors, Instant cutoff, int batch)
            throws SQLException, IOException {
        anchors.anchor(db);
        long cutoffMicros = ChronoUnit.MICROS.between(Instant.EPOCH, cutoff);
        long removed = 0;
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            c.setAutoCommit(false);
            while (true) {
                long now = purgeBatch(c, anchors, cutoffMicros, batch);
                removed += now;
                if (now < batch) {
                    return removed;
                }
            }
        }
    }

    private static long purgeBatch(Connection c, AuditAnchors anchors, long cutoffMicros, int batch)
            throws SQLException, IOException {
        long from;
        try (Statement s = c.createStatement();
                ResultSet head =
                        s.executeQuery("SELECT purged_to FROM gateway.audit_head WHERE chain = 'main' FOR UPDATE")) {
            head.next();
            from = head.getLong(1);
        }
        long upTo;
        byte[] hash;
        // the last entry of this batch: old enough, and no further than a batch past what is purged
        try (PreparedStatement ps =
                c.prepareStatement("SELECT seq, hash FROM gateway.audit WHERE seq = (SELECT max(seq) "
                        + "FROM gateway.audit WHERE at_micros < ? AND seq <= ?)")) {
            ps.setLong(1, cutoffMicros);
            ps.setLong(2, from + batch);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    c.rollback();
                    return 0;
                }
                upTo = rs.getLong(1);
                hash = rs.getBytes(2);
            }
        }
        long removed;
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM gateway.audit WHERE seq <= ?");
                PreparedStatement head = c.prepareStatement(
                        "UPDATE gateway.audit_head SET purged_to = ?, purged_hash = ? WHERE chain = 'main'")) {
            delete.setLong(1, upTo);
            removed = delete.executeUpdate();
            head.setLong(1, upTo);
            head.setBytes(2, hash);
            head.executeUpdate();
        }
        anchors.append(new AuditAnchors.Anchor(upTo, hash, true));
        c.commit();
        return removed;
    }
}
