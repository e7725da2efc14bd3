package vn.tracuu.postgres.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import vn.tracuu.postgres.DatabaseOptions;

/**
 * Which audit keys this database's pseudonyms were made with ({@code gateway.audit_keys}): a
 * fingerprint of the keys, never the keys. Every node compares its own keys with it at start, so
 * two nodes, or one node started from another directory, never pseudonymise one citizen two
 * ways. Blocking JDBC, as the login: start-up and the command line only.
 */
public final class AuditKeyRecord {

    /** What a database recorded of its keys: their ids and their fingerprint. */
    public record Recorded(String msisdnKeyId, String idKeyId, String fingerprint) {}

    /** The recorded keys, if any, and whether the database holds audit entries (now or purged). */
    public record State(Optional<Recorded> recorded, boolean audited) {}

    private static final String RECORDED = "SELECT msisdn_key_id, id_key_id, fingerprint FROM gateway.audit_keys";

    private AuditKeyRecord() {}

    public static State read(DatabaseOptions db) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet head = s.executeQuery(
                        "SELECT seq > 0 OR purged_to > 0 FROM gateway.audit_head WHERE chain = 'main'")) {
            head.next();
            boolean audited = head.getBoolean(1);
            try (ResultSet rs = s.executeQuery(RECORDED)) {
                return new State(rs.next() ? Optional.of(recorded(rs)) : Optional.empty(), audited);
            }
        }
    }

    private static Recorded recorded(ResultSet rs) throws SQLException {
        return new Recorded(rs.getString(1), rs.getString(2), rs.getString(3));
    }

    /**
     * Records the fingerprint unless one is recorded already, and returns the one recorded after
     * this call: two nodes starting at once on a new database agree on the first.
     */
    public static Recorded record(DatabaseOptions db, String msisdnKeyId, String idKeyId, String fingerprint)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            try (PreparedStatement insert =
                    c.prepareStatement("INSERT INTO gateway.audit_keys (msisdn_key_id, id_key_id, fingerprint) "
                            + "VALUES (?, ?, ?) ON CONFLICT (only_row) DO NOTHING")) {
                insert.setString(1, msisdnKeyId);
                insert.setString(2, idKeyId);
                insert.setString(3, fingerprint);
                insert.executeUpdate();
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(RECORDED)) {
                rs.next();
                return recorded(rs);
            }
        }
    }
}
