package vn.tracuu.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import vn.tracuu.core.audit.AuditEntry;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.port.OutboundReply;
import vn.tracuu.core.port.RequestStore;

/**
 * Requests and the reply outbox in the {@code gateway} schema; accepts, replies (each with its
 * audit entry), sent marks and receipts are group-committed.
 */
public final class PostgresRequestStore implements RequestStore {

  public static final int DEFAULT_MAX_BATCH = 64;
  public static final int DEFAULT_MAX_QUEUED = 10_000;
  public static final int DEFAULT_MAX_IN_FLIGHT = 2;

  private static final String ACCEPT =
      "INSERT INTO gateway.request (operator_id, bind_id, channel, msisdn, short_code, message_text, received_at, answered) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

  // One statement so it can share a batch: the request's audit entry, the reply row (never a
  // second one), stored claimed by the caller for a lease so no drain takes it while the caller
  // sends it, and the answered flag. One commit makes all three durable: a reply is never stored
  // without its entry, and a request waits for one flush here, not two. The expiry comes back
  // only when this call stored the row. The entry and the reply are stored only for a request
  // that exists (V8 dropped the foreign key, whose check ran a query and locked the request row
  // for every reply); the reply's addressing comes from that request's row. The reply is stored
  // exactly when the entry is, as entry and reply are only ever stored together (a USSD request
  // answered in its session gets an entry and no reply, and is never replied to): this finds a
  // second reply without the speculative insertion of ON CONFLICT, its token lock and its WAL record.
  private static final String REPLY =
      "WITH req AS (SELECT id, operator_id, msisdn, short_code FROM gateway.request WHERE id = $1), "
          + PostgresAuditLog.extendChain("AND EXISTS (SELECT 1 FROM req)") + ", "
          + "stored AS (INSERT INTO gateway.reply (request_id, operator_id, msisdn, short_code, body, state, attempts, due_at, "
          + "expires_at) SELECT id, operator_id, msisdn, short_code, $16, 'pending', 1, now() + make_interval(secs => $18), "
          + "now() + make_interval(secs => $17) FROM req, head RETURNING expires_at) "
          + "UPDATE gateway.request SET answered = true WHERE id = $1 RETURNING (SELECT expires_at FROM stored)";

  private static final String UNANSWERED =
      "SELECT id, operator_id, bind_id, channel, msisdn, short_code, message_text, received_at FROM gateway.request "
          + "WHERE NOT answered AND received_at <= now() - make_interval(secs => $1) ORDER BY received_at LIMIT $2";

  private static final String CLAIM =
      "UPDATE gateway.reply r SET attempts = r.attempts + 1, due_at = now() + make_interval(secs => $3) "
          + "FROM (SELECT request_id FROM gateway.reply WHERE operator_id = $1 AND state = 'pending' "
          + "AND due_at <= now() AND expires_at > now() ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) due "
          + "WHERE r.request_id = due.request_id "
          + "RETURNING r.request_id, r.operator_id, r.msisdn, r.short_code, r.body, r.attempts - 1 AS earlier, r.expires_at";

  private static final String SENT =
      "UPDATE gateway.reply SET state = 'sent', sent_at = now(), body = NULL, message_ids = $2 "
          + "WHERE request_id = $1 AND state = 'pending'";

  // a failed segment outweighs a delivered one: the citizen did not get the whole reply; the
  // non-empty condition is the receipt index's own (V7), so the planner may use it
  private static final String RECEIPT =
      "UPDATE gateway.reply SET delivery = CASE WHEN delivery IN ('undeliverable', 'expired') THEN delivery ELSE $3 END, "
          + "delivery_at = now() WHERE operator_id = $1 AND message_ids @> ARRAY[$2]::text[] AND message_ids <> '{}' "
          + "RETURNING request_id";

  private static final String RETRY =
      "UPDATE gateway.reply SET due_at = now() + make_interval(secs => $2) WHERE request_id = $1 AND state = 'pending'";

  private static final String OUTBOX_STATE =
      "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0) FROM gateway.reply WHERE state = 'pending'";

  private static final String EXPIRE =
      "UPDATE gateway.reply SET state = 'expired', body = NULL WHERE state = 'pending' AND expires_at <= now()";

  private final Pool pool;
  private final GroupCommitter accepts;
  private final GroupCommitter replies;
  private final GroupCommitter sent;
  private final GroupCommitter receipts;

  public PostgresRequestStore(Vertx vertx, Pool pool) {
    this(vertx, pool, DEFAULT_MAX_BATCH, DEFAULT_MAX_QUEUED, DEFAULT_MAX_IN_FLIGHT);
  }

  public PostgresRequestStore(Vertx vertx, Pool pool, int maxBatch, int maxQueued, int maxInFlight) {
    this.pool = pool;
    this.accepts = new GroupCommitter(vertx, pool, ACCEPT, maxBatch, maxQueued, maxInFlight);
    // one transaction at a time, as the audit log's appends: they would only queue on the chain head's lock
    this.replies = new GroupCommitter(vertx, pool, REPLY, maxBatch, maxQueued, 1);
    // one commit per acknowledged reply would cap the outbox at the disk's fsync rate
    this.sent = new GroupCommitter(vertx, pool, SENT, maxBatch, maxQueued, maxInFlight);
    // every sent segment brings a receipt: as many as sends, so not one commit each either
    this.receipts = new GroupCommitter(vertx, pool, RECEIPT, maxBatch, maxQueued, maxInFlight);
  }

  @Override
  public Future<AcceptedRequest> accept(InboundMessage m) {
    return accept(m, false);
  }

  @Override
  public Future<AcceptedRequest> acceptInSession(InboundMessage m) {
    return accept(m, true);
  }

  // both kinds share one statement, so they share the group commit
  private Future<AcceptedRequest> accept(InboundMessage m, boolean answered) {
    Tuple row = Tuple.of(m.operatorId(), m.bindId(), m.channel().name(), m.sender().digits(), m.shortCode(), m.text(),
        utc(m.receivedAt()), answered);
    return accepts.submit(row).map(rs -> new AcceptedRequest(rs.iterator().next().getLong(0), m));
  }

  @Override
  public Future<Optional<OutboundReply>> reply(AcceptedRequest request, String text, Duration validity, Duration lease,
      AuditEntry entry) {
    if (entry.requestId() != request.id()) {
      throw new IllegalArgumentException("audit entry of request " + entry.requestId() + " given for request " + request.id());
    }
    InboundMessage m = request.message();
    Tuple row = PostgresAuditLog.entryRow(entry).addString(text).addDouble(seconds(validity)).addDouble(seconds(lease));
    return replies.submit(row).map(rows -> {
      if (rows.size() == 0) {
        throw new IllegalStateException("no request " + request.id() + " to reply to");
      }
      OffsetDateTime expiresAt = rows.iterator().next().getOffsetDateTime(0);
      return Optional.ofNullable(expiresAt)
          .map(e -> new OutboundReply(request.id(), m.operatorId(), m.sender(), m.shortCode(), text, 0, e.toInstant()));
    });
  }

  @Override
  public Future<List<AcceptedRequest>> unanswered(Duration olderThan, int limit) {
    return pool.preparedQuery(UNANSWERED).execute(Tuple.of(seconds(olderThan), limit)).map(rows -> {
      List<AcceptedRequest> out = new ArrayList<>();
      for (Row r : rows) {
        InboundMessage m = new InboundMessage(r.getString("operator_id"), r.getString("bind_id"), Channel.valueOf(r.getString("channel")),
            Msisdn.of(r.getString("msisdn")), r.getString("short_code"), r.getString("message_text"),
            r.getOffsetDateTime("received_at").toInstant());
        out.add(new AcceptedRequest(r.getLong("id"), m));
      }
      return out;
    });
  }

  @Override
  public Future<List<OutboundReply>> claimDue(String operatorId, int limit, Duration lease) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(operatorId, limit, seconds(lease))).map(rows -> {
      List<OutboundReply> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new OutboundReply(r.getLong("request_id"), r.getString("operator_id"), Msisdn.of(r.getString("msisdn")),
            r.getString("short_code"), r.getString("body"), r.getInteger("earlier"),
            r.getOffsetDateTime("expires_at").toInstant()));
      }
      return out;
    });
  }

  @Override
  public Future<Void> markSent(long requestId, List<String> messageIds) {
    return sent.submit(Tuple.of(requestId, (Object) messageIds.toArray(new String[0]))).mapEmpty();
  }

  @Override
  public Future<Boolean> receipt(DeliveryReceipt receipt) {
    return receipts.submit(Tuple.of(receipt.operatorId(), receipt.messageId(), receipt.state().name().toLowerCase(Locale.ROOT)))
        .map(rows -> rows.rowCount() > 0);
  }

  @Override
  public Future<Void> retryLater(long requestId, Duration delay) {
    return pool.preparedQuery(RETRY).execute(Tuple.of(requestId, seconds(delay))).mapEmpty();
  }

  @Override
  public Future<Integer> expireOverdue() {
    return pool.query(EXPIRE).execute().map(rows -> rows.rowCount());
  }

  /** How many replies wait in the outbox, and how long the oldest has waited (seconds), for metrics. */
  public Future<double[]> outboxState() {
    return pool.query(OUTBOX_STATE).execute().map(rows -> {
      Row r = rows.iterator().next();
      return new double[] {r.getLong(0), r.getNumeric(1).doubleValue()};
    });
  }

  /** Whether the database answers at all, for readiness. */
  public Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
