package vn.tracuu.postgres.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import vn.tracuu.postgres.DatabaseOptions;

/**
 * The chain head written now and then to an append-only file outside the database, so that
 * rewriting the log and its head together (or cutting its tail) still shows: the anchored
 * hashes no longer match. One line per anchor: {@code <seq> <hash hex> <time> [purge]}.
 * Blocking file and JDBC I/O: call from a worker or the command line.
 */
public final class AuditAnchors {

    /** One anchored head; {@code purge} marks the last entry a purge removed. */
    public record Anchor(long seq, byte[] hash, boolean purge) {}

    private final Path file;

    public AuditAnchors(Path file) {
        this.file = file;
    }

    /** Appends the current head unless the file already ends with it; returns the anchored seq. */
    public long anchor(DatabaseOptions db) throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq, hash FROM gateway.audit_head WHERE chain = 'main'")) {
            rs.next();
            long seq = rs.getLong(1);
            byte[] hash = rs.getBytes(2);
            List<Anchor> existing = read();
            if (seq > 0
                    && (existing.isEmpty() || existing.get(existing.size() - 1).seq() != seq)) {
                append(new Anchor(seq, hash, false));
            }
            return seq;
        }
    }

    public void append(Anchor anchor) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        String line = anchor.seq() + " " + HexFormat.of().formatHex(anchor.hash()) + " " + Instant.now()
                + (anchor.purge() ? " purge" : "") + "\n";
        Files.writeString(
                file,
                line,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
    }

    public List<Anchor> read() throws IOException {
        List<Anchor> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.trim().split(" ");
            if (parts.length >= 2) {
                out.add(new Anchor(
                        Long.parseLong(parts[0]),
                        HexFormat.of().parseHex(parts[1]),
                        parts.length > 3 && "purge".equals(parts[3])));
            }
        }
        return out;
    }
}
