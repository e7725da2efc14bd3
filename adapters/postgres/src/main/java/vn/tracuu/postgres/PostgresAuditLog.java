package vn.tracuu.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
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

  private static final String APPEND = "WITH RECURSIVE " + extendChain("")
      + " SELECT f.n FROM fresh f JOIN entry USING (request_id)";

  /**
   * Extends the chain by a batch of entries, given as arrays in $1..$15 (one element per entry,
   * see {@link #entryColumns}), as a list of CTEs for a statement that starts
   * {@code WITH RECURSIVE}:
   * <ul>
   *   <li>{@code entries}: the batch, numbered from 1 in its order ({@code n});
   *   <li>{@code fresh}: those that extend the chain, numbered from 1 ({@code k}): the first entry
   *       of each request not audited yet, if {@code onlyIf} (a condition on {@code e} starting
   *       with AND, or empty) holds;
   *   <li>{@code entry}: the insert, returning the {@code request_id}s it stored.
   * </ul>
   * The head is locked, read and written once per batch, not once per entry; the hashes chain in
   * a recursive CTE. A reply stored with its entry (PostgresRequestStore) runs the same extension.
   */
  static String extendChain(String onlyIf) {
    return "entries AS (SELECT * FROM unnest($1::int8[], $2::int8[], $3::text[], $4::text[], $5::text[], $6::text[], "
        + "$7::text[], $8::text[], $9::text[], $10::int4[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[]) "
        + "WITH ORDINALITY AS e(request_id, at_micros, operator_id, bind_id, channel, command, topic, outcome, reason, "
        + "latency_ms, msisdn_hmac, msisdn_key_id, id_hmac, id_key_id, canonical, n)), "
        + "fresh AS (SELECT d.*, row_number() OVER (ORDER BY d.n) AS k FROM (SELECT DISTINCT ON (e.request_id) e.* FROM entries e "
        + "WHERE NOT EXISTS (SELECT 1 FROM gateway.audit a WHERE a.request_id = e.request_id) " + onlyIf
        + " ORDER BY e.request_id, e.n) d), "
        // FOR UPDATE waits for another writer's commit and then reads the head it left
        + "head AS (SELECT seq, hash FROM gateway.audit_head WHERE chain = 'main' FOR UPDATE), "
        + "chain (k, seq, prev_hash, hash) AS (SELECT 0::int8, seq, NULL::bytea, hash FROM head UNION ALL "
        + "SELECT c.k + 1, c.seq + 1, c.hash, sha256(c.hash || int8send(c.seq + 1) || convert_to(f.canonical, 'UTF8')) "
        + "FROM chain c JOIN fresh f ON f.k = c.k + 1), "
        + "entry AS (INSERT INTO gateway.audit (seq, request_id, at_micros, operator_id, bind_id, channel, command, topic, "
        + "outcome, reason, latency_ms, msisdn_hmac, msisdn_key_id, id_hmac, id_key_id, prev_hash, hash) "
        + "SELECT c.seq, f.request_id, f.at_micros, f.operator_id, f.bind_id, f.channel, f.command, f.topic, f.outcome, f.reason, "
        + "f.latency_ms, f.msisdn_hmac, f.msisdn_key_id, f.id_hmac, f.id_key_id, c.prev_hash, c.hash "
        + "FROM fresh f JOIN chain c ON c.k = f.k RETURNING request_id), "
        + "moved AS (UPDATE gateway.audit_head h SET seq = c.seq, prev_hash = c.prev_hash, hash = c.hash "
        + "FROM (SELECT * FROM chain ORDER BY k DESC LIMIT 1) c WHERE h.chain = 'main' AND c.k > 0)";
  }

  private static final String RECENT =
      "SELECT at_micros, channel, command, topic, msisdn_hmac FROM gateway.audit "
          + "WHERE id_hmac = $1 AND outcome = 'ANSWERED' ORDER BY seq DESC LIMIT $2";

  /** The element types of {@link #extendChain}'s arrays $1..$15, in order. */
  static final List<Class<?>> ENTRY_TYPES = List.of(Long.class, Long.class, String.class, String.class, String.class,
      String.class, String.class, String.class, String.class, Integer.class, String.class, String.class, String.class,
      String.class, String.class);

  private final Pool pool;
  private final GroupCommitter<Tuple, Row> appends;

  public PostgresAuditLog(Vertx vertx, Pool pool) {
    this.pool = pool;
    // one transaction at a time: they would only queue on the chain head's lock
    this.appends = GroupCommitter.oneStatement(vertx, pool, APPEND, PostgresAuditLog::entryColumns,
        PostgresRequestStore.DEFAULT_MAX_BATCH, PostgresRequestStore.DEFAULT_MAX_QUEUED, 1, Duration.ZERO);
  }

  @Override
  public Future<Void> append(AuditEntry e) {
    return appends.submit(entryRow(e)).mapEmpty();
  }

  /** The arrays $1..$15 of {@link #extendChain} from the batch's {@link #entryRow}s. */
  static Tuple entryColumns(List<Tuple> rows) {
    return GroupCommitter.columns(rows, ENTRY_TYPES);
  }

  /** An entry's elements of {@link #extendChain}'s arrays $1..$15. */
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
