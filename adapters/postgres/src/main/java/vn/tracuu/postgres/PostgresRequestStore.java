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
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.out.Answer;
import vn.tracuu.core.port.out.AnsweredRequest;
import vn.tracuu.core.port.out.OutboundReply;
import vn.tracuu.core.port.out.RequestStore;

/**
 * Requests and the reply outbox in the {@code gateway} schema; accepts, replies (each with its
 * audit entry), sent marks and receipts are group-committed.
 *
 * <p>Over the project's 350-line guide: the statements are long SQL, each next to the
 * column mapping that feeds it, which a reader checks together.
 */
public final class PostgresRequestStore implements RequestStore {

    public static final int DEFAULT_MAX_BATCH = 64;
    public static final int DEFAULT_MAX_QUEUED = 10_000;
    public static final int DEFAULT_MAX_IN_FLIGHT = 2;
    private static final int ANSWERED_BATCH_FACTOR = 4;

    // A batch of requests as arrays, one element each; their ids are drawn first so that each
    // caller gets its own, whatever order the insert runs in. A message with a retransmission key
    // ($9, NULL: none) claims that key for its window ($10, seconds) in gateway.retransmission;
    // a key already claimed within its window, by any node, even one still committing (ON CONFLICT
    // waits for it), gives back the request that claimed it, and no request is stored for the
    // resend. The update always happens, so RETURNING always names the key's request: a key past
    // its window is taken over in place. A key given twice in one batch is claimed by its first.
    // A request answered in its session (USSD) is stored without number or text: nothing reads them.
    private static final String ACCEPT =
            "WITH given AS (SELECT nextval('gateway.request_id_seq') AS id, u.* FROM unnest($1::text[], $2::text[], $3::text[], "
                    + "$4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::bool[], $9::text[], $10::float8[]) "
                    + "WITH ORDINALITY AS u(operator_id, bind_id, channel, msisdn, short_code, message_text, received_at, answered, "
                    + "retransmission_key, window_seconds, n)), "
                    + claimKeys()
                    + ", stored AS (INSERT INTO gateway.request (id, operator_id, bind_id, channel, msisdn, short_code, message_text, "
                    + "received_at, answered) SELECT id, operator_id, bind_id, channel, CASE WHEN answered THEN '' ELSE msisdn END, "
                    + "short_code, CASE WHEN answered THEN '' ELSE message_text END, received_at, "
                    + "answered FROM decided WHERE request_id = id) "
                    + "SELECT n, request_id AS id, request_id <> id AS retransmission FROM decided";

    /**
     * The retransmission keys of {@code given} (columns id, retransmission_key, window_seconds, n)
     * claimed, as CTEs: {@code decided} is {@code given} with the {@code request_id} each message
     * is, its own {@code id} when it is a new request.
     */
    private static String claimKeys() {
        return "firsts AS (SELECT DISTINCT ON (retransmission_key) retransmission_key, id, window_seconds FROM given "
                + "WHERE retransmission_key IS NOT NULL ORDER BY retransmission_key, n), "
                + "claimed AS (INSERT INTO gateway.retransmission AS t (fingerprint, request_id, until) "
                + "SELECT retransmission_key, id, now() + make_interval(secs => window_seconds) FROM firsts "
                + "ON CONFLICT (fingerprint) DO UPDATE SET request_id = CASE WHEN t.until <= now() THEN EXCLUDED.request_id ELSE t.request_id END, "
                + "until = CASE WHEN t.until <= now() THEN EXCLUDED.until ELSE t.until END RETURNING fingerprint, request_id), "
                + "decided AS (SELECT g.*, coalesce(c.request_id, g.id) AS request_id FROM given g "
                + "LEFT JOIN claimed c ON c.fingerprint = g.retransmission_key)";
    }

    // A batch of messages answered before they were acknowledged: each new request stored already
    // answered (no number, no text), with its audit entry ($1..$15, the request id drawn here) and
    // its reply, claimed by the caller for its lease ($24..$26), in one commit: one disk flush per
    // lookup instead of two, and no update of the request row. Retransmissions as in ACCEPT
    // ($21, $22): nothing stored. The reply's addressing comes from the message ($16, $19, $20).
    // No other node can answer a request before this commits, so the entries need no check.
    private static final String ACCEPT_ANSWERED =
            "WITH RECURSIVE given AS (SELECT nextval('gateway.request_id_seq') AS id, u.* "
                    + "FROM unnest($16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::float8[], "
                    + "$23::timestamptz[]) WITH ORDINALITY AS u(operator_id, bind_id, channel, msisdn, short_code, retransmission_key, "
                    + "window_seconds, received_at, n)), "
                    + claimKeys()
                    + ", stored AS (INSERT INTO gateway.request (id, operator_id, bind_id, channel, msisdn, short_code, message_text, "
                    + "received_at, answered) SELECT id, operator_id, bind_id, channel, '', short_code, '', received_at, true "
                    + "FROM decided WHERE request_id = id), "
                    + PostgresAuditLog.extendChainForNewRequests(
                            "SELECT d.id AS request_id, e.at_micros, e.operator_id, e.bind_id, "
                                    + "e.channel, e.command, e.topic, e.outcome, e.reason, e.latency_ms, e.msisdn_hmac, e.msisdn_key_id, e.id_hmac, "
                                    + "e.id_key_id, e.node_id, e.n, d.operator_id AS to_operator_id, d.msisdn AS to_msisdn, "
                                    + "d.short_code AS to_short_code FROM " + PostgresAuditLog.ENTRY_ARRAYS
                                    + " JOIN decided d ON d.n = e.n WHERE d.request_id = d.id")
                    + ", replied AS (INSERT INTO gateway.reply (request_id, operator_id, msisdn, short_code, body, state, attempts, due_at, "
                    + "expires_at) SELECT f.request_id, f.to_operator_id, f.to_msisdn, f.to_short_code, ($24::text[])[f.n], 'pending', 1, "
                    + "clock_timestamp() + make_interval(secs => ($26::float8[])[f.n]), now() + make_interval(secs => ($25::float8[])[f.n]) "
                    + "FROM fresh f CROSS JOIN links) "
                    + "SELECT n, request_id AS id, request_id <> id AS retransmission, "
                    + "CASE WHEN request_id = id THEN now() + make_interval(secs => ($25::float8[])[n]) END AS expires_at FROM decided";

    // Data minimisation: once answered, a request's row keeps no number and no text; the reply row
    // keeps the number and text only until the reply is sent or expires (SENT, EXPIRE).
    // One statement for a batch of replies, so they share a commit: each request's audit entry,
    // the reply row (never a second one), stored claimed by the caller for a lease so no drain
    // takes it while the caller sends it, and the answered flag. One commit makes all three
    // durable: a reply is never stored without its entry, and a request waits for one flush here,
    // not two. A reply's expiry comes back only when this call stored it; a request that does not
    // exist gets no entry and no reply (V8 dropped the foreign key, whose check ran a query of its
    // own), and its row says so. Each request's row is locked and its answered flag read as the lock
    // finds it (PostgresAuditLog.answersOnce): a second answer to a request, from this node or
    // another, stores nothing and fails nothing else in its batch. The reply's addressing comes from
    // the request's row; its text, validity and lease from their arrays by the entry's place, and
    // the expiry returned is the one stored (the same expression of the same now()). The lease runs
    // from the clock once the chain head is ours (stored reads links, which waited for it), not
    // from the transaction's start: a commit held up longer than the lease (another node's batch
    // holding the head) would otherwise store a reply already due, which a drain would send
    // beside its caller.
    private static final String REPLY = "WITH RECURSIVE " + PostgresAuditLog.extendChain(true)
            + ", stored AS (INSERT INTO gateway.reply (request_id, operator_id, msisdn, short_code, body, state, attempts, due_at, "
            + "expires_at) SELECT f.request_id, f.request_operator_id, f.request_msisdn, f.request_short_code, ($16::text[])[f.n], "
            + "'pending', 1, clock_timestamp() + make_interval(secs => ($18::float8[])[f.n]), "
            + "now() + make_interval(secs => ($17::float8[])[f.n]) FROM fresh f CROSS JOIN links), "
            + "answered AS (UPDATE gateway.request SET answered = true, msisdn = '', message_text = '' WHERE id = ANY($1::int8[])) "
            + "SELECT n, found, CASE WHEN extends THEN now() + make_interval(secs => ($17::float8[])[n]) END AS expires_at FROM checked";

    // an audit entry's; the message's operator, bind, channel, number, short code and
    // retransmission key, window and arrival; the reply's text, validity and lease
    private static final List<Class<?>> ACCEPT_ANSWERED_TYPES = Stream.of(
                    PostgresAuditLog.ENTRY_TYPES,
                    Collections.<Class<?>>nCopies(6, String.class),
                    List.<Class<?>>of(Double.class, OffsetDateTime.class, String.class, Double.class, Double.class))
            .flatMap(List::stream)
            .toList();
    private static final List<Class<?>> RECEIPT_TYPES = List.of(String.class, String.class, String.class);
    private static final List<Class<?>> ACCEPT_TYPES = List.of(
            String.class,
            String.class,
            String.class,
            String.class,
            String.class,
            String.class,
            OffsetDateTime.class,
            Boolean.class,
            String.class,
            Double.class);
    // an audit entry's, then the reply's text, validity and lease
    private static final List<Class<?>> REPLY_TYPES = Stream.concat(
                    PostgresAuditLog.ENTRY_TYPES.stream(), Stream.of(String.class, Double.class, Double.class))
            .toList();

    // SKIP LOCKED: a request another node is claiming, or answering (the reply statement locks its
    // row), is left to it. The outer condition is read again on the row as locked, so a request
    // answered between the scan and the claim is not taken.
    private static final String CLAIM_UNANSWERED =
            "UPDATE gateway.request q SET claimed_by = $3, claimed_until = now() + make_interval(secs => $4) "
                    + "WHERE q.id = ANY(ARRAY(SELECT id FROM gateway.request WHERE NOT answered AND received_at <= now() - make_interval(secs => $1) "
                    + "AND (claimed_until IS NULL OR claimed_until <= now()) ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)) "
                    + "AND NOT q.answered "
                    + "RETURNING q.id, q.operator_id, q.bind_id, q.channel, q.msisdn, q.short_code, q.message_text, q.received_at";

    // the due replies' keys as an array, not a join, so the update reads them by key whatever the
    // statistics were when the pool's connection made its one generic plan
    private static final String CLAIM =
            "UPDATE gateway.reply r SET attempts = r.attempts + 1, due_at = now() + make_interval(secs => $3) "
                    + "WHERE r.request_id = ANY(ARRAY(SELECT request_id FROM gateway.reply WHERE operator_id = $1 AND state = 'pending' "
                    + "AND due_at <= now() AND expires_at > now() ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)) "
                    + "RETURNING r.request_id, r.operator_id, r.msisdn, r.short_code, r.body, r.attempts - 1 AS earlier, r.expires_at";

    // a batch of sent marks: request ids in $1; every reply's message ids one after another in $2,
    // each reply's from $3 to $4 (an empty slice when it has none). The key condition on $1 bounds
    // the read of the replies to the batch's, whichever join a plan made on empty tables chose.
    // Its commit is asynchronous (set_config's setting ends with this statement's transaction):
    // the mark rides on the next flush of the server's WAL, at most three wal_writer_delay later,
    // instead of a disk flush of its own (docs/architecture.md, "Durability, step by step"). A
    // crash of the gateway loses none: the server flushes it. A crash of the database server can
    // forget the last fraction of a second of marks; those replies go out again after the lease,
    // as the ones whose deliver_sm_resp a crash cuts off do.
    private static final String SENT =
            "UPDATE gateway.reply r SET state = 'sent', sent_at = now(), body = NULL, msisdn = '', message_ids = ($2::text[])[u.first:u.last] "
                    + "FROM unnest($1::int8[], $3::int4[], $4::int4[]) AS u(request_id, first, last) "
                    + "WHERE r.request_id = ANY($1::int8[]) AND r.request_id = u.request_id AND r.state = 'pending' "
                    + "AND set_config('synchronous_commit', 'off', true) = 'off'";

    // A batch of receipts as arrays, one element each. A failed segment outweighs a delivered one:
    // the citizen did not get the whole reply; so a reply's receipts in one batch leave the first
    // failure among them, else the latest. The non-empty condition is the receipt index's own
    // (V7), so the planner may use it. An SMSC may give an id again (its counter restarted): the
    // receipt is about the latest reply sent with it. One statement for the batch, so PostgreSQL
    // starts one, not one per receipt, and each reply's row is updated once. Committed
    // asynchronously, as the sent marks: a database server's crash can forget the last fraction of
    // a second of receipts, leaving those replies' delivery unknown, nothing more.
    private static final String RECEIPT = "WITH given AS (SELECT u.*, (SELECT request_id FROM gateway.reply "
            + "WHERE operator_id = u.operator_id AND message_ids @> ARRAY[u.message_id] AND message_ids <> '{}' "
            + "ORDER BY sent_at DESC LIMIT 1) AS request_id "
            + "FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(operator_id, message_id, delivery, n)), "
            + "outcome AS (SELECT request_id, coalesce((array_agg(delivery ORDER BY n) "
            + "FILTER (WHERE delivery IN ('undeliverable', 'expired')))[1], (array_agg(delivery ORDER BY n DESC))[1]) AS delivery "
            + "FROM given WHERE request_id IS NOT NULL GROUP BY request_id), "
            + "recorded AS (UPDATE gateway.reply r SET delivery = CASE WHEN r.delivery IN ('undeliverable', 'expired') "
            + "THEN r.delivery ELSE o.delivery::gateway.delivery_outcome END, delivery_at = now() FROM outcome o "
            + "WHERE r.request_id = ANY(ARRAY(SELECT request_id FROM outcome)) AND r.request_id = o.request_id "
            + "AND set_config('synchronous_commit', 'off', true) = 'off') "
            + "SELECT n, request_id IS NOT NULL AS found FROM given";

    // pending is tested in the SET, not the WHERE: a WHERE on the state would let a plan made on
    // empty tables read the whole outbox (the due replies' partial index) instead of the key
    private static final String RETRY =
            "UPDATE gateway.reply SET due_at = CASE WHEN state = 'pending' THEN now() + make_interval(secs => $2) ELSE due_at END "
                    + "WHERE request_id = $1";

    private static final String OUTBOX_STATE =
            "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0) FROM gateway.reply WHERE state = 'pending'";

    // the retransmission keys past their window go with it: the table stays about a window's traffic
    private static final String EXPIRE = "WITH forgotten AS (DELETE FROM gateway.retransmission WHERE until <= now()) "
            + "UPDATE gateway.reply SET state = 'expired', body = NULL, msisdn = '' WHERE state = 'pending' AND expires_at <= now()";

    // A notice is due at once; its validity is $5 seconds. Single rows: a notice follows a lookup
    // of a record with several numbers, and at most once an hour per number.
    private static final String NOTICE =
            "INSERT INTO gateway.reply (request_id, operator_id, msisdn, short_code, body, "
                    + "state, attempts, due_at, expires_at, notice) VALUES (nextval('gateway.request_id_seq'), $1, $2, $3, $4, "
                    + "'pending', 0, now(), now() + make_interval(secs => $5), true)";

    private final Pool pool;
    private final GroupCommitter<Tuple, Row> accepts;
    private final GroupCommitter<Tuple, Row> replies;
    private final GroupCommitter<Tuple, Row> acceptsAnswered;
    private final GroupCommitter<SentMark, Row> sent;
    private final GroupCommitter<Tuple, Row> receipts;

    private record SentMark(long requestId, List<String> messageIds) {}

    /** A store whose sent marks commit at once (the gateway passes {@code outbox.sent-mark-linger}). */
    public PostgresRequestStore(Vertx vertx, Pool pool) {
        this(vertx, pool, Duration.ZERO);
    }

    /** {@code sentMarkLinger}: how long a sent mark waits for others to share its commit. */
    public PostgresRequestStore(Vertx vertx, Pool pool, Duration sentMarkLinger) {
        this(vertx, pool, DEFAULT_MAX_BATCH, DEFAULT_MAX_QUEUED, DEFAULT_MAX_IN_FLIGHT, sentMarkLinger);
    }

    public PostgresRequestStore(
            Vertx vertx, Pool pool, int maxBatch, int maxQueued, int maxInFlight, Duration sentMarkLinger) {
        this.pool = pool;
        this.accepts = GroupCommitter.oneStatement(
                vertx,
                pool,
                ACCEPT,
                rows -> GroupCommitter.columns(rows, ACCEPT_TYPES),
                maxBatch,
                maxQueued,
                maxInFlight,
                Duration.ZERO);
        // one transaction at a time, as the audit log's appends: they would only queue on the chain head's lock
        this.replies = GroupCommitter.oneStatement(
                vertx,
                pool,
                REPLY,
                rows -> GroupCommitter.columns(rows, REPLY_TYPES),
                maxBatch,
                maxQueued,
                1,
                Duration.ZERO);
        // one transaction at a time, as the replies: each extends the audit chain; so under load
        // only a larger batch lets more through, where the accepts had a second transaction beside
        this.acceptsAnswered = GroupCommitter.oneStatement(
                vertx,
                pool,
                ACCEPT_ANSWERED,
                rows -> GroupCommitter.columns(rows, ACCEPT_ANSWERED_TYPES),
                maxBatch * ANSWERED_BATCH_FACTOR,
                maxQueued,
                1,
                Duration.ZERO);
        // one commit per acknowledged reply would cap the outbox at the disk's fsync rate
        this.sent = GroupCommitter.oneStatement(
                vertx, pool, SENT, PostgresRequestStore::sentColumns, maxBatch, maxQueued, maxInFlight, sentMarkLinger);
        // every sent segment brings a receipt: as many as sends, so not one commit each either, and
        // they linger as the sent marks do (the SMSC was answered already: no one waits for them);
        // one transaction at a time, as a reply's segments' receipts update one row: two batches
        // holding them side by side deadlocked (PostgreSQL rolled one back, and its receipts were lost)
        this.receipts = GroupCommitter.oneStatement(
                vertx,
                pool,
                RECEIPT,
                rows -> GroupCommitter.columns(rows, RECEIPT_TYPES),
                maxBatch,
                maxQueued,
                1,
                sentMarkLinger);
    }

    @Override
    public Future<AcceptedRequest> accept(InboundMessage m) {
        return accept(m, false, null, Duration.ZERO);
    }

    @Override
    public Future<AcceptedRequest> accept(InboundMessage m, String retransmissionKey, Duration window) {
        return window.isZero() ? accept(m) : accept(m, false, retransmissionKey, window);
    }

    @Override
    public Future<AcceptedRequest> acceptInSession(InboundMessage m) {
        return accept(m, true, null, Duration.ZERO);
    }

    // all kinds share one statement, so they share the group commit
    private Future<AcceptedRequest> accept(
            InboundMessage m, boolean answered, String retransmissionKey, Duration window) {
        Tuple row = Tuple.of(
                m.operatorId(),
                m.bindId(),
                m.channel().name(),
                m.sender().digits(),
                m.shortCode(),
                m.text(),
                utc(m.receivedAt()),
                answered,
                retransmissionKey,
                seconds(window));
        return accepts.submit(row).map(r -> new AcceptedRequest(r.getLong("id"), m, r.getBoolean("retransmission")));
    }

    @Override
    public Future<AnsweredRequest> acceptAnswered(
            InboundMessage m, String retransmissionKey, Duration window, Future<Answer> answer) {
        if (!acceptsAnswered.reserve()) {
            return Future.failedFuture(new Overloaded("durable write queue"));
        }
        return answer.transform(decided -> {
            if (decided.failed()) {
                acceptsAnswered.release();
                return Future.failedFuture(decided.cause());
            }
            Answer a = decided.result();
            Tuple row = PostgresAuditLog.entryRow(a.entry())
                    .addString(m.operatorId())
                    .addString(m.bindId())
                    .addString(m.channel().name())
                    .addString(m.sender().digits())
                    .addString(m.shortCode())
                    .addString(window.isZero() ? null : retransmissionKey)
                    .addDouble(seconds(window))
                    .addOffsetDateTime(utc(m.receivedAt()))
                    .addString(a.text())
                    .addDouble(seconds(a.validity()))
                    .addDouble(seconds(a.lease()));
            return acceptsAnswered.submitReserved(row).map(r -> {
                long id = r.getLong("id");
                if (r.getBoolean("retransmission")) {
                    return new AnsweredRequest(new AcceptedRequest(id, m, true), Optional.empty());
                }
                return new AnsweredRequest(
                        new AcceptedRequest(id, m),
                        Optional.of(new OutboundReply(
                                id,
                                m.operatorId(),
                                m.sender(),
                                m.shortCode(),
                                a.text(),
                                0,
                                r.getOffsetDateTime("expires_at").toInstant())));
            });
        });
    }

    @Override
    public Future<Optional<OutboundReply>> reply(
            AcceptedRequest request, String text, Duration validity, Duration lease, AuditEntry entry) {
        if (entry.requestId() != request.id()) {
            throw new IllegalArgumentException(
                    "audit entry of request " + entry.requestId() + " given for request " + request.id());
        }
        InboundMessage m = request.message();
        Tuple row = PostgresAuditLog.entryRow(entry)
                .addString(text)
                .addDouble(seconds(validity))
                .addDouble(seconds(lease));
        return replies.submit(row).map(r -> {
            if (!r.getBoolean("found")) {
                throw new IllegalStateException("no request " + request.id() + " to reply to");
            }
            OffsetDateTime expiresAt = r.getOffsetDateTime("expires_at");
            return Optional.ofNullable(expiresAt)
                    .map(e -> new OutboundReply(
                            request.id(), m.operatorId(), m.sender(), m.shortCode(), text, 0, e.toInstant()));
        });
    }

    @Override
    public Future<List<AcceptedRequest>> claimUnanswered(
            String claimant, Duration olderThan, int limit, Duration lease) {
        return pool.preparedQuery(CLAIM_UNANSWERED)
                .execute(Tuple.of(seconds(olderThan), limit, claimant, seconds(lease)))
                .map(rows -> {
                    List<AcceptedRequest> out = new ArrayList<>();
                    for (Row r : rows) {
                        InboundMessage m = new InboundMessage(
                                r.getString("operator_id"),
                                r.getString("bind_id"),
                                Channel.valueOf(r.getString("channel")),
                                Msisdn.of(r.getString("msisdn")),
                                r.getString("short_code"),
                                r.getString("message_text"),
                                r.getOffsetDateTime("received_at").toInstant());
                        out.add(new AcceptedRequest(r.getLong("id"), m));
                    }
                    return out;
                });
    }

    @Override
    public Future<List<OutboundReply>> claimDue(String operatorId, int limit, Duration lease) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(operatorId, limit, seconds(lease)))
                .map(rows -> {
                    List<OutboundReply> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new OutboundReply(
                                r.getLong("request_id"),
                                r.getString("operator_id"),
                                Msisdn.of(r.getString("msisdn")),
                                r.getString("short_code"),
                                r.getString("body"),
                                r.getInteger("earlier"),
                                r.getOffsetDateTime("expires_at").toInstant()));
                    }
                    return out;
                });
    }

    @Override
    public Future<Void> markSent(long requestId, List<String> messageIds) {
        return sent.submit(new SentMark(requestId, messageIds)).mapEmpty();
    }

    private static Tuple sentColumns(List<SentMark> marks) {
        Long[] ids = new Long[marks.size()];
        Integer[] first = new Integer[marks.size()];
        Integer[] last = new Integer[marks.size()];
        List<String> messageIds = new ArrayList<>();
        for (int i = 0; i < marks.size(); i++) {
            ids[i] = marks.get(i).requestId();
            first[i] = messageIds.size() + 1;
            messageIds.addAll(marks.get(i).messageIds());
            last[i] = messageIds.size();
        }
        return Tuple.of(ids, messageIds.toArray(new String[0]), first, last);
    }

    @Override
    public Future<Boolean> receipt(DeliveryReceipt receipt) {
        return receipts.submit(Tuple.of(
                        receipt.operatorId(),
                        receipt.messageId(),
                        receipt.state().name().toLowerCase(Locale.ROOT)))
                .map(row -> row.getBoolean("found"));
    }

    @Override
    public Future<Void> retryLater(long requestId, Duration delay) {
        return pool.preparedQuery(RETRY)
                .execute(Tuple.of(requestId, seconds(delay)))
                .mapEmpty();
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

    /** Commits the sent marks and receipts still gathering company; for a graceful stop, before the pool closes. */
    public Future<Void> drain() {
        return Future.all(sent.drain(), receipts.drain()).mapEmpty();
    }

    /**
     * Whether the database takes writes, for readiness: a standby (in recovery) or a read-only
     * session answers reads and refuses every accept, so answering alone is not ready.
     */
    public Future<Void> writable() {
        return pool.query("SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'")
                .execute()
                .compose(rows -> rows.iterator().next().getBoolean(0)
                        ? Future.succeededFuture()
                        : Future.failedFuture(new IllegalStateException(
                                "the database is read-only (a standby, or default_transaction_read_only)")));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    @Override
    public Future<Void> notice(String operatorId, Msisdn to, String shortCode, String text, Duration validity) {
        return pool.preparedQuery(NOTICE)
                .execute(Tuple.of(operatorId, to.digits(), shortCode, text, seconds(validity)))
                .mapEmpty();
    }
}
