package vn.tracuu.postgres.audit;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import vn.tracuu.postgres.DatabaseOptions;

/**
 * Walks the audit chain and reports the first broken link: an entry changed (its hash no
 * longer matches its fields), deleted (a gap in the numbers), reordered (an entry that does not
 * continue from the one before), or entries cut off the end (an anchored head missing or
 * different). Blocking JDBC: the {@code audit verify} command.
 */
public final class AuditVerifier {

    /** What a verification found: how many entries it checked and the first problem, if any. */
    public record Result(long checked, Optional<String> problem) {
        public boolean intact() {
            return problem.isEmpty();
        }
    }

    private AuditVerifier() {}

    /**
     * {@code anchors}: every node's anchor file. The nodes anchor one chain, so an entry anchored
     * in several files has one hash in all of them; two that differ are reported as a rewrite.
     */
    public static Result verify(DatabaseOptions db, List<AuditAnchors> anchors) throws SQLException, IOException {
        Map<Long, byte[]> anchored = new HashMap<>();
        long lastAnchored = 0;
        for (AuditAnchors file : anchors) {
            for (AuditAnchors.Anchor a : file.read()) {
                byte[] earlier = anchored.putIfAbsent(a.seq(), a.hash());
                if (earlier != null && !Arrays.equals(earlier, a.hash())) {
                    return new Result(
                            0,
                            Optional.of("entry " + a.seq()
                                    + " is anchored with two different hashes (the log was rewritten "
                                    + "after one of the anchors)"));
                }
                lastAnchored = Math.max(lastAnchored, a.seq());
            }
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            c.setAutoCommit(false);
            long expectedSeq;
            byte[] previous;
            long headSeq;
            byte[] headHash;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT seq, hash, purged_to, purged_hash FROM gateway.audit_head WHERE chain = 'main'")) {
                rs.next();
                headSeq = rs.getLong(1);
                headHash = rs.getBytes(2);
                expectedSeq = rs.getLong(3) + 1;
                previous = rs.getBytes(4);
            }
            long checked = 0;
            try (Statement s = c.createStatement()) {
                s.setFetchSize(10_000);
                try (ResultSet rs = s.executeQuery(
                        "SELECT seq, request_id, at_micros, operator_id, bind_id, channel, command, topic, outcome, "
                                + "reason, latency_ms, msisdn_hmac, msisdn_key_id, id_hmac, id_key_id, node_id, prev_hash, hash FROM gateway.audit "
                                + "ORDER BY seq")) {
                    while (rs.next()) {
                        long seq = rs.getLong("seq");
                        if (seq != expectedSeq) {
                            return new Result(
                                    checked,
                                    Optional.of("entry " + expectedSeq + " is missing (deleted)"
                                            + (seq > expectedSeq ? "; the log resumes at entry " + seq : "")));
                        }
                        if (!Arrays.equals(previous, rs.getBytes("prev_hash"))) {
                            return new Result(
                                    checked,
                                    Optional.of("entry " + seq + " does not continue from entry " + (seq - 1)
                                            + " (entries reordered, or the one before changed)"));
                        }
                        String canonical = AuditChain.canonical(rs);
                        byte[] hash = rs.getBytes("hash");
                        if (!Arrays.equals(hash, AuditChain.hash(previous, seq, canonical))) {
                            return new Result(
                                    checked,
                                    Optional.of("entry " + seq + " was changed (its hash does not match its fields)"));
                        }
                        byte[] anchor = anchored.get(seq);
                        if (anchor != null && !Arrays.equals(anchor, hash)) {
                            return new Result(
                                    checked,
                                    Optional.of("entry " + seq
                                            + " differs from its anchored hash (the log was rewritten)"));
                        }
                        previous = hash;
                        expectedSeq = seq + 1;
                        checked++;
                    }
                }
            }
            long last = expectedSeq - 1;
            if (last < lastAnchored) {
                return new Result(
                        checked,
                        Optional.of("entries " + (last + 1) + " to " + lastAnchored
                                + " are missing (the log was cut short)"));
            }
            if (headSeq != last || !Arrays.equals(headHash, previous)) {
                return new Result(
                        checked,
                        Optional.of(
                                "the chain head (entry " + headSeq + ") does not match the last entry (" + last + ")"));
            }
            return new Result(checked, Optional.empty());
        }
    }
}
