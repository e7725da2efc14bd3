package vn.tracuu.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.audit.AuditChain;

/**
 * A busy service's past in the gateway tables, as retention leaves it: the audit for
 * {@code days} (at most {@code policy.audit-retention}), answered requests and their sent replies
 * for at most {@code requestDays} ({@code policy.request-retention}), {@code perDay} a day, spread
 * evenly up to a minute ago. Entries are chained like the gateway's (they verify), made by the
 * gateway's keys for the benchmark's own numbers, so its lookups and {@code LS} meet this past in
 * the indexes as they would in service. Written by COPY, the numbers streamed from a seeded random.
 */
final class History {

    private static final Logger LOG = LoggerFactory.getLogger(History.class);
    private static final String[] TOPICS = {"", "CT", "CM", "VC", "NM", "DD"};
    private static final char CANONICAL_SEPARATOR = '\u001F';

    private History() {}

    /** What was written: audit entries and requests (each with its reply). */
    record Written(long auditEntries, long requests) {}

    /** Fills an empty gateway history; refuses one that has entries already. */
    static Written fill(
            DatabaseOptions login,
            Pseudonymizer keys,
            List<String[]> numbersAndIds,
            int days,
            int requestDays,
            int perDay,
            Instant now)
            throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(login.jdbcUrl(), login.user(), login.password())) {
            c.setAutoCommit(false);
            long firstId;
            byte[] hash;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM gateway.audit), seq, hash, "
                            + "nextval('gateway.request_id_seq') FROM gateway.audit_head WHERE chain = 'main'")) {
                rs.next();
                if (rs.getLong(1) > 0 || rs.getLong(2) > 0) {
                    throw new IllegalStateException(
                            "the gateway's audit is not empty: history goes into a fresh database");
                }
                hash = rs.getBytes(3);
                firstId = rs.getLong(4);
            }
            long entries = (long) days * perDay;
            long requestsFrom = entries - (long) Math.min(days, requestDays) * perDay;
            Instant start = now.minus(Duration.ofDays(days));
            long span = ChronoUnit.MICROS.between(start, now.minus(Duration.ofMinutes(1)));
            CopyManager copy = new CopyManager(c.unwrap(BaseConnection.class));
            SplittableRandom rng = new SplittableRandom(180);
            String[][] pseudonyms = pseudonyms(keys, numbersAndIds);
            HexFormat hex = HexFormat.of();
            LOG.info(
                    "writing {} days of history: {} audit entries, the last {} with their requests",
                    days,
                    entries,
                    entries - requestsFrom);
            try (Rows audit = new Rows(copy.copyIn(
                    "COPY gateway.audit (seq, request_id, at_micros, operator_id, bind_id, channel, command, "
                            + "topic, outcome, reason, latency_ms, msisdn_hmac, msisdn_key_id, id_hmac, id_key_id, node_id, "
                            + "prev_hash, hash) FROM STDIN"))) {
                for (long n = 0; n < entries; n++) {
                    long seq = n + 1;
                    long requestId = firstId + n;
                    long atMicros = ChronoUnit.MICROS.between(Instant.EPOCH, start) + span * n / entries;
                    String[] who = pseudonyms[rng.nextInt(pseudonyms.length)];
                    String topic = TOPICS[rng.nextInt(TOPICS.length)];
                    String canonical = AuditChain.canonical(
                            requestId,
                            atMicros,
                            "viettel",
                            "viettel#1",
                            "SMS",
                            "TC",
                            topic,
                            "ANSWERED",
                            "",
                            400,
                            who[0],
                            keys.msisdnKeyId(),
                            who[1],
                            keys.idKeyId(),
                            "history");
                    byte[] next = AuditChain.hash(hash, seq, canonical);
                    // the columns in the canonical text's order: its fields are the row's
                    audit.row(
                            seq,
                            canonical.replace(CANONICAL_SEPARATOR, '\t'),
                            "\\\\x" + hex.formatHex(hash),
                            "\\\\x" + hex.formatHex(next));
                    hash = next;
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE gateway.audit_head SET seq = " + entries + ", prev_hash = hash, hash = '\\x"
                        + hex.formatHex(hash) + "' WHERE chain = 'main'");
                s.execute("SELECT setval('gateway.request_id_seq', " + (firstId + entries) + ")");
            }
            try (Rows requests =
                    new Rows(copy.copyIn("COPY gateway.request (id, operator_id, bind_id, channel, msisdn, "
                            + "short_code, message_text, received_at, answered) FROM STDIN"))) {
                for (long n = requestsFrom; n < entries; n++) {
                    requests.row(
                            firstId + n,
                            "viettel",
                            "viettel#1",
                            "SMS",
                            "",
                            "8088",
                            "",
                            start.plus(span * n / entries, ChronoUnit.MICROS),
                            true);
                }
            }
            try (Rows replies = new Rows(copy.copyIn("COPY gateway.reply (request_id, operator_id, msisdn, short_code, "
                    + "body, state, attempts, due_at, expires_at, created_at, sent_at, message_ids, delivery, "
                    + "delivery_at) FROM STDIN"))) {
                for (long n = requestsFrom; n < entries; n++) {
                    Instant at = start.plus(span * n / entries, ChronoUnit.MICROS);
                    replies.row(
                            firstId + n,
                            "viettel",
                            "",
                            "8088",
                            "\\N",
                            "sent",
                            1,
                            at,
                            at.plus(Duration.ofDays(1)),
                            at,
                            at,
                            "{" + Long.toHexString(0x10000000L + n) + "}",
                            "delivered",
                            at);
                }
            }
            c.commit();
            return new Written(entries, entries - requestsFrom);
        }
    }

    /** [msisdn pseudonym, ID pseudonym] of each number, as the gateway's keys make them. */
    private static String[][] pseudonyms(Pseudonymizer keys, List<String[]> numbersAndIds) {
        String[][] out = new String[numbersAndIds.size()][];
        for (int i = 0; i < out.length; i++) {
            String[] n = numbersAndIds.get(i);
            out[i] = new String[] {
                keys.msisdn(Msisdn.of(n[0])).value(),
                keys.id(PersonalId.of(n[1])).value()
            };
        }
        return out;
    }

    /** One COPY in text format, a buffer at a time. */
    private static final class Rows implements AutoCloseable {
        private final CopyIn in;
        private final StringBuilder buffer = new StringBuilder(1 << 20);

        Rows(CopyIn in) {
            this.in = in;
        }

        void row(Object... fields) throws SQLException {
            for (int i = 0; i < fields.length; i++) {
                buffer.append(i == 0 ? "" : "\t").append(fields[i]);
            }
            buffer.append('\n');
            if (buffer.length() > (1 << 20) - 4096) {
                flush();
            }
        }

        private void flush() throws SQLException {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }

        @Override
        public void close() throws SQLException {
            flush();
            in.endCopy();
        }
    }
}
