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
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.audit.AccessRecord;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.port.out.AuditLog;

/**
 * The audit log in {@code gateway.audit}: appends are group-committed, and each one extends the
 * hash chain inside the database, under the lock of the chain head, so entries from every node
 * get consecutive numbers in commit order. An entry for a request already audited is skipped.
 */
public final class PostgresAuditLog implements AuditLog {

    private static final String APPEND = "WITH RECURSIVE " + extendChain(false) + " SELECT n FROM fresh";

    /**
     * Extends the chain by a batch of entries, given as arrays in $1..$15 (one element per entry,
     * see {@link #entryColumns}), as a list of CTEs for a statement that starts
     * {@code WITH RECURSIVE}:
     * <ul>
     *   <li>{@code checked}: the batch, numbered from 1 in its order ({@code n}), each entry with
     *       whether its request {@code found}, and whether it {@code extends} the chain: the first
     *       entry of a request not audited yet, and found. With {@code onlyKnownRequests}, an entry
     *       whose request does not exist is not found, one whose request is answered already does not
     *       extend the chain, and the request's {@code request_operator_id},
     *       {@code request_msisdn} and {@code request_short_code} come along; without it, every
     *       request counts as found;
     *   <li>{@code fresh}: those that extend the chain, numbered from 1 ({@code k}), each stored.
     * </ul>
     * The head is locked, read and written once per batch, not once per entry; the hashes chain in
     * a recursive CTE. A reply stored with its entry (PostgresRequestStore) runs the same extension.
     */
    static String extendChain(boolean onlyKnownRequests) {
        return "entries AS (SELECT * FROM " + ENTRY_ARRAYS + "), "
                + (onlyKnownRequests ? answersOnce() : auditedOnce())
                + "), " + chainTail();
    }

    /** The entries' arrays $1..$15 as a table {@code e}, numbered from 1 ({@code n}). */
    static final String ENTRY_ARRAYS = "unnest($1::int8[], $2::int8[], $3::text[], $4::text[], $5::text[], $6::text[], "
            + "$7::text[], $8::text[], $9::text[], $10::int4[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[]) "
            + "WITH ORDINALITY AS e(request_id, at_micros, operator_id, bind_id, channel, command, topic, outcome, reason, "
            + "latency_ms, msisdn_hmac, msisdn_key_id, id_hmac, id_key_id, node_id, n)";

    /**
     * As {@link #extendChain}, for entries of requests stored by the same statement (so found,
     * and audited by none yet): {@code entries} is the body of a CTE with {@link #ENTRY_ARRAYS}'
     * columns; other columns it has come along into {@code fresh}.
     */
    static String extendChainForNewRequests(String entries) {
        return "entries AS (" + entries + "), checked AS (SELECT e.*, true AS found, true AS extends FROM entries e), "
                + chainTail();
    }

    /**
     * An entry of a request not audited yet. A LATERAL subquery with a LIMIT never becomes a join:
     * each entry looks its request up by key, whatever the statistics were when the pool's
     * connection made its one generic plan (a join planned on empty tables scanned a whole index,
     * once per batch: see load-tests/FINDINGS.md).
     */
    private static String auditedOnce() {
        return "checked AS (SELECT e.*, true AS found, "
                + "a.request_id IS NULL AND row_number() OVER (PARTITION BY e.request_id ORDER BY e.n) = 1 AS extends "
                + "FROM entries e LEFT JOIN LATERAL (SELECT request_id FROM gateway.audit a WHERE a.request_id = e.request_id LIMIT 1) a ON true";
    }

    /**
     * An entry of a request that exists and is not answered yet, its row locked: two nodes
     * answering one request at once (a recovery racing a stalled node) queue on that lock, and the
     * second, reading the row as the first left it, finds it answered and stores nothing, where both
     * used to insert and the second batch failed whole on the unique keys. Locked in key order, so
     * two batches sharing requests cannot deadlock. The request's addressing comes along.
     */
    private static String answersOnce() {
        return "locked AS MATERIALIZED (SELECT id, answered, operator_id, msisdn, short_code FROM gateway.request "
                + "WHERE id = ANY($1::int8[]) ORDER BY id FOR UPDATE), "
                + "checked AS (SELECT e.*, r.id IS NOT NULL AS found, r.operator_id AS request_operator_id, r.msisdn AS request_msisdn, "
                + "r.short_code AS request_short_code, r.id IS NOT NULL AND NOT r.answered "
                + "AND row_number() OVER (PARTITION BY e.request_id ORDER BY e.n) = 1 AS extends "
                + "FROM entries e LEFT JOIN locked r ON r.id = e.request_id";
    }

    /** The rest of {@link #extendChain}: the entries that extend the chain, stored, and the head moved. */
    private static String chainTail() {
        return "fresh AS (SELECT c.*, row_number() OVER (ORDER BY c.n)::int4 AS k FROM checked c WHERE c.extends), "
                // FOR UPDATE waits for another writer's commit and then reads the head it left
                + "head AS (SELECT seq, hash FROM gateway.audit_head WHERE chain = 'main' FOR UPDATE), "
                // the chain steps through arrays, not joins, so no step's plan depends on an estimate
                // the chain's one definition: gateway.audit_canonical and gateway.audit_link (V11)
                + "batch AS MATERIALIZED (SELECT array_agg(gateway.audit_canonical(request_id, at_micros, operator_id, bind_id, "
                + "channel, command, topic, outcome, reason, latency_ms, msisdn_hmac, msisdn_key_id, id_hmac, id_key_id, node_id) "
                + "ORDER BY k) AS canonicals FROM fresh), "
                + "chain (k, seq, hash) AS (SELECT 0, seq, hash FROM head UNION ALL "
                + "SELECT c.k + 1, c.seq + 1, gateway.audit_link(c.hash, c.seq + 1, b.canonicals[c.k + 1]) "
                + "FROM chain c, batch b WHERE c.k < cardinality(b.canonicals)), "
                // hashes[1] is the head's hash, hashes[k + 1] the hash of fresh entry k
                + "links AS (SELECT min(seq) AS base, array_agg(hash ORDER BY k) AS hashes FROM chain), "
                + "entry AS (INSERT INTO gateway.audit (seq, request_id, at_micros, operator_id, bind_id, channel, command, topic, "
                + "outcome, reason, latency_ms, msisdn_hmac, msisdn_key_id, id_hmac, id_key_id, node_id, prev_hash, hash) "
                + "SELECT l.base + f.k, f.request_id, f.at_micros, f.operator_id, f.bind_id, f.channel, f.command, f.topic, f.outcome, "
                + "f.reason, f.latency_ms, f.msisdn_hmac, f.msisdn_key_id, f.id_hmac, f.id_key_id, f.node_id, l.hashes[f.k], "
                + "l.hashes[f.k + 1] "
                + "FROM fresh f, links l), "
                + "moved AS (UPDATE gateway.audit_head h SET seq = l.base + cardinality(l.hashes) - 1, "
                + "prev_hash = l.hashes[cardinality(l.hashes) - 1], hash = l.hashes[cardinality(l.hashes)] "
                + "FROM links l WHERE h.chain = 'main' AND cardinality(l.hashes) > 1)";
    }

    /** The record index's key: this many characters of the pseudonym (migration V14). */
    private static final int RECORD_KEY_LENGTH = 11;

    /** An era of the audit, the record index's first column: this many entries (2^20, migration V15). */
    static final int ERA_BITS = 20;

    // Each era still kept (from the head's down to the first unpurged entry's) is read by the
    // record index (V15), newest first, at most $2 entries each, and the newest $2 of them kept.
    // The pseudonym's first characters ($3) are the index key and the whole pseudonym is compared
    // after; the index's own conditions are spelled out: without them, a generic plan (the pool
    // keeps one) cannot use that partial index and reads the whole trail newest first
    private static final String RECENT = "SELECT a.at_micros, a.channel, a.command, a.topic, a.msisdn_hmac "
            + "FROM gateway.audit_head h CROSS JOIN LATERAL generate_series(h.seq >> " + ERA_BITS
            + ", (h.purged_to + 1) >> "
            + ERA_BITS + ", -1) AS era CROSS JOIN LATERAL (SELECT seq, at_micros, channel, command, topic, msisdn_hmac "
            + "FROM gateway.audit WHERE (seq >> " + ERA_BITS + ") = era AND left(id_hmac, " + RECORD_KEY_LENGTH
            + ") = $3 AND id_hmac = $1 AND id_hmac <> '' AND outcome = 'ANSWERED' ORDER BY seq DESC LIMIT $2) a "
            + "WHERE h.chain = 'main' ORDER BY a.seq DESC LIMIT $2";

    /** The element types of {@link #extendChain}'s arrays $1..$15, in order. */
    static final List<Class<?>> ENTRY_TYPES = List.of(
            Long.class,
            Long.class,
            String.class,
            String.class,
            String.class,
            String.class,
            String.class,
            String.class,
            String.class,
            Integer.class,
            String.class,
            String.class,
            String.class,
            String.class,
            String.class);

    private final Pool pool;
    private final GroupCommitter<Tuple, Row> appends;

    public PostgresAuditLog(Vertx vertx, Pool pool) {
        this.pool = pool;
        // one transaction at a time: they would only queue on the chain head's lock
        this.appends = GroupCommitter.oneStatement(
                vertx,
                pool,
                APPEND,
                PostgresAuditLog::entryColumns,
                PostgresRequestStore.DEFAULT_MAX_BATCH,
                PostgresRequestStore.DEFAULT_MAX_QUEUED,
                1,
                Duration.ZERO);
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
        return Tuple.tuple()
                .addLong(e.requestId())
                .addLong(atMicros)
                .addString(e.operatorId())
                .addString(e.bindId())
                .addString(e.channel().name())
                .addString(e.command())
                .addString(e.topic())
                .addString(e.outcome().name())
                .addString(e.reason())
                .addInteger((int) Math.min(Integer.MAX_VALUE, e.latencyMs()))
                .addString(e.msisdn().value())
                .addString(e.msisdn().keyId())
                .addString(e.id().value())
                .addString(e.id().keyId())
                .addString(e.nodeId());
    }

    @Override
    public Future<List<AccessRecord>> recentAccesses(String idPseudonym, int limit) {
        // a citizen's LS: read again, as every lookup's reads are, when a connection was lost under it
        String key = idPseudonym.substring(0, Math.min(RECORD_KEY_LENGTH, idPseudonym.length()));
        return PostgresDatabase.read(pool, RECENT, Tuple.of(idPseudonym, limit, key))
                .map(rows -> {
                    List<AccessRecord> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new AccessRecord(
                                Instant.EPOCH.plus(r.getLong("at_micros"), ChronoUnit.MICROS),
                                Channel.valueOf(r.getString("channel")),
                                r.getString("command"),
                                r.getString("topic"),
                                r.getString("msisdn_hmac")));
                    }
                    return out;
                });
    }
}
