package vn.tracuu.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import vn.tracuu.postgres.DatabaseOptions;

/**
 * The benchmark's own statements beside the gateway's — tidying, settling, counting, picking the
 * numbers to text from — by JDBC on a connection of their own. Blocking: the main thread only.
 */
final class JdbcStatements {

    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private JdbcStatements() {}

    /** Runs {@code statements} in turn, each its own transaction. */
    static void execute(DatabaseOptions db, String... statements) throws SQLException {
        try (Connection c = connect(db);
                Statement st = c.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        }
    }

    /** The first column of the first row, as text (null for SQL NULL). */
    static String firstValue(DatabaseOptions db, String query) throws SQLException {
        return rows(db, query, row -> row.getString(1)).get(0);
    }

    static <T> List<T> rows(DatabaseOptions db, String query, RowReader<T> reader) throws SQLException {
        List<T> out = new ArrayList<>();
        try (Connection c = connect(db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                out.add(reader.read(rs));
            }
        }
        return out;
    }

    private static Connection connect(DatabaseOptions db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }
}
