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
 * lacks: an administrator runs it. Blocking JDBC: the {@code audit purge} command.
 */
public final class AuditPurge {

    private AuditPurge() {}

    /** Returns how many entries were removed. */
    public static long purge(vn.tracuu.postgres.DatabaseOptions db, AuditAnchors anchors, Duration retention)
            throws SQLException, IOException {
        anchors.anchor(db);
        long cutoff = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now().minus(retention));
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT 1 FROM gateway.audit_head WHERE chain = 'main' FOR UPDATE");
            }
            long upTo;
            byte[] hash;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, hash FROM gateway.audit WHERE seq = (SELECT max(seq) FROM gateway.audit WHERE at_micros < ?)")) {
                ps.setLong(1, cutoff);
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
}
