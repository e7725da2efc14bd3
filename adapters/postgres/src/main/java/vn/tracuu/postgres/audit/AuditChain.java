package vn.tracuu.postgres.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The verifier's own computation of the audit chain: {@code sha256(prev_hash || seq as 8 octets
 * || canonical)}, the canonical text being the entry's fields in a fixed order joined by U+001F
 * (the deciding node's id last, when there is one). The chain is defined once, in the database
 * (migration V11: {@code gateway.audit_canonical}, {@code gateway.audit_link}), which every append
 * calls; this class recomputes it apart from the database, as an auditor's check must, and is held
 * to it by PostgresAuditLogTest's fixed vectors.
 */
public final class AuditChain {

    private static final String SEPARATOR = "\u001F";

    private AuditChain() {}

    public static String canonical(
            long requestId,
            long atMicros,
            String operatorId,
            String bindId,
            String channel,
            String command,
            String topic,
            String outcome,
            String reason,
            long latencyMs,
            String msisdnHmac,
            String msisdnKeyId,
            String idHmac,
            String idKeyId,
            String nodeId) {
        String fields = String.join(
                SEPARATOR,
                Long.toString(requestId),
                Long.toString(atMicros),
                operatorId,
                bindId,
                channel,
                command,
                topic,
                outcome,
                reason,
                Long.toString(latencyMs),
                msisdnHmac,
                msisdnKeyId,
                idHmac,
                idKeyId);
        return nodeId.isEmpty() ? fields : fields + SEPARATOR + nodeId;
    }

    /** The canonical text of the entry at {@code row}'s cursor, a row of {@code gateway.audit}. */
    public static String canonical(ResultSet row) throws SQLException {
        return canonical(
                row.getLong("request_id"),
                row.getLong("at_micros"),
                row.getString("operator_id"),
                row.getString("bind_id"),
                row.getString("channel"),
                row.getString("command"),
                row.getString("topic"),
                row.getString("outcome"),
                row.getString("reason"),
                row.getLong("latency_ms"),
                row.getString("msisdn_hmac"),
                row.getString("msisdn_key_id"),
                row.getString("id_hmac"),
                row.getString("id_key_id"),
                row.getString("node_id"));
    }

    public static byte[] hash(byte[] previous, long seq, String canonical) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previous);
            sha.update(ByteBuffer.allocate(8).putLong(seq).array());
            sha.update(canonical.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
