package vn.tracuu.postgres.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * How an audit entry is hashed into the chain: {@code sha256(prev_hash || seq as 8 octets || canonical)},
 * the canonical text being the entry's fields in a fixed order joined by U+001F. The database
 * computes it on append (so appends from every node chain in commit order); {@link AuditVerifier}
 * recomputes it.
 */
public final class AuditChain {

  private static final String SEPARATOR = "\u001F";

  private AuditChain() {
  }

  public static String canonical(long requestId, long atMicros, String operatorId, String bindId, String channel, String command,
      String topic, String outcome, String reason, long latencyMs, String msisdnHmac, String msisdnKeyId, String idHmac,
      String idKeyId) {
    return String.join(SEPARATOR, Long.toString(requestId), Long.toString(atMicros), operatorId, bindId, channel, command, topic,
        outcome, reason, Long.toString(latencyMs), msisdnHmac, msisdnKeyId, idHmac, idKeyId);
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
