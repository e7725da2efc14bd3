package vn.tracuu.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import vn.tracuu.core.audit.AccessRecord;
import vn.tracuu.core.audit.AuditEntry;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.port.AuditLog;
import vn.tracuu.postgres.audit.AuditChain;

/**
 * The audit log in {@code gateway.audit}: appends are group-committed, and each one extends the
 * hash chain inside the database, under the lock of the chain head, so entries from every node
 * get consecutive numbers in commit order. An entry for a request already audited is skipped.
 */
public final class PostgresAuditLog implements AuditLog {

  private static final String APPEND = "WITH " + extendChain("") + " SELECT count(*) FROM entry";

  /**
   * Extends the chain by the entry in $1..$15 unless its request is audited already, and only if
   * {@code onlyIf} (a condition starting with AND, or empty) holds, as a list of CTEs: a reply
   * stored with its entry (PostgresRequestStore) runs the same extension.
   */
  static String extendChain(String onlyIf) {
    return "head AS (UPDATE gateway.audit_head SET seq = seq + 1, prev_hash = hash, "
        + "hash = sha256(hash || int8send(seq + 1) || convert_to($15, 'UTF8')) WHERE chain = 'main' "
        + "AND NOT EXISTS (SELECT 1 FROM gateway.audit WHERE request_id = $1) " + onlyIf + " RETURNING seq, hash, prev_hash), "
        + "entry AS (INSERT INTO gateway.audit (seq, request_id, at_micros, operator_id, bind_id, channel, command, topic, "
        + "outcome, reason, latency_ms, msisdn_hmac, msisdn_key_id, id_hmac, id_key_id, prev_hash, hash) "
        + "SELECT head.seq, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, head.prev_hash, head.hash FROM head "
        + "RETURNING seq)";
  }

  private static final String RECENT =
      "SELECT at_micros, channel, command, topic, msisdn_hmac FROM gateway.audit "
          + "WHERE id_hmac = $1 AND outcome = 'ANSWERED' ORDER BY seq DESC LIMIT $2";

  private final Pool pool;
  private final GroupCommitter appends;

  public PostgresAuditLog(Vertx vertx, Pool pool) {
    this.pool = pool;
    // one transaction at a time: they would only queue on the chain head's lock
    this.appends = new GroupCommitter(vertx, pool, APPEND, PostgresRequestStore.DEFAULT_MAX_BATCH,
        PostgresRequestStore.DEFAULT_MAX_QUEUED, 1);
  }

  @Override
  public Future<Void> append(AuditEntry e) {
    return appends.submit(entryRow(e)).mapEmpty();
  }

  /** The parameters $1..$15 of {@link #extendChain} for an entry. */
  static Tuple entryRow(AuditEntry e) {
    long atMicros = ChronoUnit.MICROS.between(Instant.EPOCH, e.at());
    String canonical = AuditChain.canonical(e.requestId(), atMicros, e.operatorId(), e.bindId(), e.channel().name(), e.command(),
        e.topic(), e.outcome().name(), e.reason(), e.latencyMs(), e.msisdn().value(), e.msisdn().keyId(), e.id().value(),
        e.id().keyId());
    return Tuple.tuple().addLong(e.requestId()).addLong(atMicros).addString(e.operatorId()).addString(e.bindId())
        .addString(e.channel().name()).addString(e.command()).addString(e.topic()).addString(e.outcome().name())
        .addString(e.reason()).addInteger((int) Math.min(Integer.MAX_VALUE, e.latencyMs())).addString(e.msisdn().value())
        .addString(e.msisdn().keyId()).addString(e.id().value()).addString(e.id().keyId()).addString(canonical);
  }

  @Override
  public Future<List<AccessRecord>> recentAccesses(String idPseudonym, int limit) {
    return pool.preparedQuery(RECENT).execute(Tuple.of(idPseudonym, limit)).map(rows -> {
      List<AccessRecord> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new AccessRecord(Instant.EPOCH.plus(r.getLong("at_micros"), ChronoUnit.MICROS), Channel.valueOf(r.getString("channel")),
            r.getString("command"), r.getString("topic"), r.getString("msisdn_hmac")));
      }
      return out;
    });
  }
}
