package vn.tracuu.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.DeliveryState;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.domain.audit.Outcome;
import vn.tracuu.core.domain.audit.Pseudonym;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.out.Answer;
import vn.tracuu.core.port.out.AnsweredRequest;
import vn.tracuu.core.port.out.OutboundReply;
import vn.tracuu.postgres.audit.AuditVerifier;

class PostgresRequestStoreTest {

    private static TestDatabase db;
    private PostgresRequestStore store;
    private PostgresRequestRetention retention;

    @BeforeAll
    static void start() {
        db = TestDatabase.start();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @BeforeEach
    void clean() throws Exception {
        db.database()
                .pool()
                .query("DELETE FROM gateway.reply")
                .execute()
                .compose(v -> db.database()
                        .pool()
                        .query("DELETE FROM gateway.request")
                        .execute())
                .compose(v -> db.database()
                        .pool()
                        .query("DELETE FROM gateway.retransmission")
                        .execute())
                .await(5, TimeUnit.SECONDS);
        store = new PostgresRequestStore(db.vertx(), db.database().pool());
        retention = new PostgresRequestRetention(db.database().pool());
    }

    private static InboundMessage message(String operator, String text) {
        return new InboundMessage(
                operator, "viettel#1", Channel.SMS, Msisdn.of("84912345678"), "8088", text, Instant.now());
    }

    private <T> T await(Future<T> f) throws Exception {
        return f.await(10, TimeUnit.SECONDS);
    }

    private Future<Optional<OutboundReply>> reply(AcceptedRequest r, String text, Duration validity, Duration lease) {
        return store.reply(r, text, validity, lease, entry(r));
    }

    private static AuditEntry entry(AcceptedRequest r) {
        return new AuditEntry(
                r.id(),
                Instant.now(),
                r.message().operatorId(),
                r.message().bindId(),
                Channel.SMS,
                "TC",
                "CT",
                Outcome.ANSWERED,
                "",
                3,
                new Pseudonym("k1", "msisdn-hmac"),
                new Pseudonym("k1", "id-hmac"),
                "node-a");
    }

    /** How many transactions wrote the rows of {@code rows} (a table, and a condition): their distinct xmin. */
    private long transactionsThatWrote(String rows) throws Exception {
        return await(db.database()
                        .pool()
                        .query("SELECT count(DISTINCT xmin::text) FROM " + rows)
                        .execute())
                .iterator()
                .next()
                .getLong(0);
    }

    private long count(String sql, long id) throws Exception {
        return await(db.database().pool().preparedQuery(sql).execute(Tuple.of(id)))
                .iterator()
                .next()
                .getLong(0);
    }

    @Test
    void retentionRemovesAnsweredRequestsAndTheirFinishedRepliesOnly() throws Exception {
        AcceptedRequest sent = await(store.accept(message("viettel", "TC")));
        OutboundReply out = await(reply(sent, "answer", Duration.ofHours(24), Duration.ZERO))
                .orElseThrow();
        await(store.markSent(out.requestId(), List.of("m1")));
        AcceptedRequest pending = await(store.accept(message("viettel", "TC CT")));
        await(reply(pending, "answer", Duration.ofHours(24), Duration.ZERO));
        AcceptedRequest unanswered = await(store.accept(message("viettel", "TC NM")));
        await(db.vertx().timer(20));

        assertEquals(
                0, await(retention.purgeAnswered(Instant.now().minus(Duration.ofDays(1)), 10)), "nothing old enough");
        int removed = await(retention.purgeAnswered(Instant.now().plusSeconds(1), 10));

        assertEquals(1, removed, "only the answered request whose reply was sent");
        assertEquals(0, count("SELECT count(*) FROM gateway.request WHERE id = $1", sent.id()));
        assertEquals(0, count("SELECT count(*) FROM gateway.reply WHERE request_id = $1", sent.id()));
        assertEquals(
                1, count("SELECT count(*) FROM gateway.request WHERE id = $1", pending.id()), "its reply is pending");
        assertEquals(1, count("SELECT count(*) FROM gateway.reply WHERE request_id = $1", pending.id()));
        assertEquals(1, count("SELECT count(*) FROM gateway.request WHERE id = $1", unanswered.id()), "not answered");
    }

    @Test
    void aNoticeIsSentLikeAReplyThenKeepsNoNumberAndGoesWithItsRetention() throws Exception {
        AcceptedRequest request = await(store.accept(message("viettel", "TC")));
        await(store.notice("mobifone", Msisdn.of("84902340002"), "9099", "notice text", Duration.ofHours(24)));
        List<OutboundReply> due = await(store.claimDue("mobifone", 10, Duration.ofSeconds(30)));
        assertEquals(1, due.size(), "due at once, for the recipient's operator");
        OutboundReply notice = due.get(0);
        assertEquals("84902340002", notice.recipient().digits());
        assertEquals("9099", notice.shortCode());
        assertEquals("notice text", notice.text());
        assertTrue(notice.requestId() > request.id(), "its id from the requests' sequence, no request's");
        await(store.markSent(notice.requestId(), List.of("n1")));
        assertEquals(
                0,
                count(
                        "SELECT count(*) FROM gateway.reply WHERE request_id = $1 AND (msisdn <> '' OR body IS NOT NULL)",
                        notice.requestId()),
                "once sent it keeps neither number nor text");
        await(db.vertx().timer(20));

        assertEquals(
                0, await(retention.purgeNotices(Instant.now().minus(Duration.ofDays(1)), 10)), "nothing old enough");
        assertEquals(1, await(retention.purgeNotices(Instant.now().plusSeconds(1), 10)));
        assertEquals(0, count("SELECT count(*) FROM gateway.reply WHERE request_id = $1", notice.requestId()));
        assertEquals(
                1, count("SELECT count(*) FROM gateway.request WHERE id = $1", request.id()), "requests untouched");
    }

    @Test
    void concurrentAcceptsShareTransactionsAndEachGetsItsOwnId() throws Exception {
        List<Future<AcceptedRequest>> accepts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            accepts.add(store.accept(message("viettel", "TC " + i)));
        }
        await(Future.all(accepts));
        HashSet<Long> ids = new HashSet<>();
        for (Future<AcceptedRequest> f : accepts) {
            AcceptedRequest r = f.result();
            ids.add(r.id());
            Row row = await(db.database()
                            .pool()
                            .preparedQuery("SELECT message_text FROM gateway.request WHERE id = $1")
                            .execute(Tuple.of(r.id())))
                    .iterator()
                    .next();
            assertEquals(r.message().text(), row.getString(0), "each caller's id is the row holding its own message");
        }
        assertEquals(500, ids.size());
        long xacts = transactionsThatWrote("gateway.request");
        assertTrue(xacts < 500, "500 accepts were committed in " + xacts + " transactions");
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        PostgresRequestStore tiny =
                new PostgresRequestStore(db.vertx(), db.database().pool(), 1, 1, 1, Duration.ZERO);
        List<Future<AcceptedRequest>> accepts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            accepts.add(tiny.accept(message("viettel", "TC")));
        }
        // already failed when accept returned: the lookup starts nothing for a message refused so
        List<Future<AcceptedRequest>> refusedAtOnce =
                accepts.stream().filter(Future::failed).toList();
        Future.join(accepts).otherwiseEmpty().await(10, TimeUnit.SECONDS);
        assertFalse(refusedAtOnce.isEmpty(), "20 accepts against a queue of one");
        assertEquals(refusedAtOnce, accepts.stream().filter(Future::failed).toList(), "none refused later");
        assertInstanceOf(Overloaded.class, refusedAtOnce.get(0).cause());
    }

    private static Answer answer(String text) {
        return new Answer(
                text,
                Duration.ofHours(1),
                Duration.ofSeconds(30),
                entry(new AcceptedRequest(0, message("viettel", "TC"))));
    }

    @Test
    void aMessageAnsweredBeforeItsAcceptIsStoredAnsweredWithItsReplyAndEntryInOneCommit() throws Exception {
        List<Future<AnsweredRequest>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(store.acceptAnswered(
                    message("viettel", "TC " + i),
                    "key-" + i,
                    Duration.ofSeconds(10),
                    Future.succeededFuture(answer("reply " + i))));
        }
        await(Future.all(all));
        HashSet<Long> ids = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            AnsweredRequest a = all.get(i).result();
            long id = a.request().id();
            ids.add(id);
            assertFalse(a.request().retransmission());
            OutboundReply reply = a.reply().orElseThrow();
            assertEquals(id, reply.requestId());
            assertEquals("reply " + i, reply.text());
            assertEquals(Msisdn.of("84912345678"), reply.recipient());
            assertTrue(reply.expiresAt().isAfter(Instant.now().plus(Duration.ofMinutes(59))));
            Row row = await(db.database()
                            .pool()
                            .preparedQuery(
                                    "SELECT q.answered, q.msisdn, q.message_text, r.body, r.msisdn, r.state, "
                                            + "(SELECT count(*) FROM gateway.audit a WHERE a.request_id = q.id) "
                                            + "FROM gateway.request q JOIN gateway.reply r ON r.request_id = q.id WHERE q.id = $1")
                            .execute(Tuple.of(id)))
                    .iterator()
                    .next();
            assertEquals(
                    List.of(true, "", "", "reply " + i, "84912345678", "pending", 1L),
                    List.of(
                            row.getBoolean(0),
                            row.getString(1),
                            row.getString(2),
                            row.getString(3),
                            row.getString(4),
                            row.getString(5),
                            row.getLong(6)));
        }
        assertEquals(200, ids.size());
        assertTrue(
                await(store.claimUnanswered("node-a", Duration.ZERO, 10, Duration.ZERO))
                        .isEmpty(),
                "nothing to recover");
        assertTrue(
                await(store.claimDue("viettel", 10, Duration.ofSeconds(30))).isEmpty(), "its sender holds the lease");
        long xacts = transactionsThatWrote("gateway.request");
        assertTrue(xacts < 200, "200 answered accepts were committed in " + xacts + " transactions");
        assertTrue(AuditVerifier.verify(db.options(), List.of()).intact());
    }

    @Test
    void aResendOfAMessageAnsweredBeforeItsAcceptIsTheFirstRequestAndStoresNothing() throws Exception {
        AnsweredRequest first = await(store.acceptAnswered(
                message("viettel", "TC"), "key", Duration.ofSeconds(10), Future.succeededFuture(answer("first"))));
        // the resend in one batch with another message's first sending, and through the two-step way
        Future<AnsweredRequest> again = store.acceptAnswered(
                message("viettel", "TC"), "key", Duration.ofSeconds(10), Future.succeededFuture(answer("again")));
        Future<AnsweredRequest> other = store.acceptAnswered(
                message("viettel", "TC CT"), "other", Duration.ofSeconds(10), Future.succeededFuture(answer("other")));
        AcceptedRequest twoStep = await(store.accept(message("viettel", "TC"), "key", Duration.ofSeconds(10)));
        await(Future.all(again, other));
        assertTrue(again.result().request().retransmission());
        assertEquals(first.request().id(), again.result().request().id());
        assertTrue(again.result().reply().isEmpty(), "no reply of its own");
        assertTrue(twoStep.retransmission());
        assertEquals(first.request().id(), twoStep.id());
        assertFalse(other.result().request().retransmission());
        assertEquals(
                2,
                count(
                        "SELECT count(*) FROM gateway.request WHERE id >= $1",
                        first.request().id()));
        assertEquals(
                2,
                count(
                        "SELECT count(*) FROM gateway.reply WHERE request_id >= $1",
                        first.request().id()));
        assertEquals(
                2,
                count(
                        "SELECT count(*) FROM gateway.audit WHERE request_id >= $1",
                        first.request().id()));
    }

    @Test
    void aFullQueueRefusesAnAnsweredAcceptBeforeItsAnswerAndAFailedAnswerStoresNothing() throws Exception {
        PostgresRequestStore tiny =
                new PostgresRequestStore(db.vertx(), db.database().pool(), 1, 1, 1, Duration.ZERO);
        Promise<Answer> pending = Promise.promise();
        Future<AnsweredRequest> holding =
                tiny.acceptAnswered(message("viettel", "TC"), "k1", Duration.ofSeconds(10), pending.future());
        // the place is taken while the answer is decided: refused at once, before any answer is made
        Future<AnsweredRequest> refused = tiny.acceptAnswered(
                message("viettel", "TC CT"), "k2", Duration.ofSeconds(10), Future.failedFuture("never asked"));
        assertTrue(refused.failed());
        assertInstanceOf(Overloaded.class, refused.cause());
        pending.fail("decided the two-step way");
        assertTrue(holding.failed());
        // the place is given back
        assertTrue(await(tiny.acceptAnswered(
                        message("viettel", "TC NS"), "k3", Duration.ofSeconds(10), Future.succeededFuture(answer("x"))))
                .reply()
                .isPresent());
        assertEquals(1, count("SELECT count(*) FROM gateway.request WHERE id > $1", 0));
    }

    @Test
    void aRequestAnsweredInItsSessionIsStoredAnsweredAndLeavesNothingForTheOutbox() throws Exception {
        AcceptedRequest r = await(store.acceptInSession(message("viettel", "TC NM")));
        assertTrue(r.id() > 0);
        assertTrue(
                await(store.claimUnanswered("node-a", Duration.ZERO, 10, Duration.ofSeconds(30)))
                        .isEmpty(),
                "never recovered into an SMS reply");
        assertTrue(await(store.claimDue("viettel", 10, Duration.ofSeconds(30))).isEmpty());
    }

    @Test
    void aRequestHasOneReplyHoweverOftenItIsAnswered() throws Exception {
        AcceptedRequest r = await(store.accept(message("viettel", "TC")));
        assertEquals(
                1,
                await(store.claimUnanswered("node-a", Duration.ZERO, 10, Duration.ZERO))
                        .size());
        Optional<OutboundReply> first = await(reply(r, "first", Duration.ofHours(1), Duration.ofSeconds(30)));
        Optional<OutboundReply> second = await(reply(r, "second", Duration.ofHours(1), Duration.ofSeconds(30)));
        assertTrue(await(store.claimUnanswered("node-a", Duration.ZERO, 10, Duration.ZERO))
                .isEmpty());
        assertEquals("first", first.orElseThrow().text(), "the first answer is handed back to be sent");
        assertEquals(0, first.get().attempts());
        assertEquals(Msisdn.of("84912345678"), first.get().recipient());
        assertTrue(first.get().expiresAt().isAfter(Instant.now().plus(Duration.ofMinutes(59))));
        assertTrue(second.isEmpty(), "a second answer is not sent");
        assertTrue(
                await(store.claimDue("viettel", 10, Duration.ofSeconds(30))).isEmpty(), "its sender holds the lease");
    }

    @Test
    void anUnansweredRequestIsClaimedByOneNodeUntilItsLeaseEnds() throws Exception {
        AcceptedRequest r = await(store.accept(message("viettel", "TC")));
        PostgresRequestStore other =
                new PostgresRequestStore(db.vertx(), db.database().pool());
        List<Future<List<AcceptedRequest>>> scans = List.of(
                store.claimUnanswered("node-a", Duration.ZERO, 10, Duration.ofMillis(300)),
                other.claimUnanswered("node-b", Duration.ZERO, 10, Duration.ofMillis(300)));
        await(Future.all(scans));
        assertEquals(
                1,
                scans.get(0).result().size() + scans.get(1).result().size(),
                "two nodes' scans at once: one claims it");
        assertTrue(
                await(store.claimUnanswered("node-a", Duration.ZERO, 10, Duration.ofMillis(300)))
                        .isEmpty(),
                "not while the lease runs");
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> !await(other.claimUnanswered("node-b", Duration.ZERO, 10, Duration.ZERO))
                        .isEmpty());
        Row row = await(db.database()
                        .pool()
                        .preparedQuery("SELECT claimed_by FROM gateway.request WHERE id = $1")
                        .execute(Tuple.of(r.id())))
                .iterator()
                .next();
        assertEquals("node-b", row.getString(0), "the claimant is recorded");
        await(reply(r, "answered", Duration.ofHours(1), Duration.ofSeconds(30)));
        assertTrue(
                await(other.claimUnanswered("node-b", Duration.ZERO, 10, Duration.ZERO))
                        .isEmpty(),
                "an answered request is not claimed");
    }

    @Test
    void aResendThroughAnyNodeWithinItsWindowIsTheFirstRequest() throws Exception {
        PostgresRequestStore other =
                new PostgresRequestStore(db.vertx(), db.database().pool());
        Duration window = Duration.ofMillis(800);
        // the same message at once through two nodes, and twice in one node's batch
        List<Future<AcceptedRequest>> at = List.of(
                store.accept(message("viettel", "TC"), "key-1", window),
                store.accept(message("viettel", "TC"), "key-1", window),
                other.accept(message("viettel", "TC"), "key-1", window));
        await(Future.all(at));
        long first = at.get(0).result().id();
        assertTrue(at.stream().allMatch(f -> f.result().id() == first), "one request for the three");
        assertEquals(2, at.stream().filter(f -> f.result().retransmission()).count(), "two of them resends");
        AcceptedRequest different = await(other.accept(message("viettel", "TC CT"), "key-2", Duration.ofMillis(100)));
        assertFalse(different.retransmission());
        assertEquals(
                2,
                await(db.database()
                                .pool()
                                .query("SELECT count(*) FROM gateway.request")
                                .execute())
                        .iterator()
                        .next()
                        .getLong(0));
        // past the window, the same text is a new request
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            AcceptedRequest later = await(other.accept(message("viettel", "TC"), "key-1", Duration.ofSeconds(60)));
            return later.id() != first && !later.retransmission();
        });
        await(store.expireOverdue());
        assertEquals(
                1,
                await(db.database()
                                .pool()
                                .query("SELECT count(*) FROM gateway.retransmission")
                                .execute())
                        .iterator()
                        .next()
                        .getLong(0),
                "keys past their window are removed, the live one kept");
    }

    @Test
    void aSecondAnswerFromAnotherNodeFailsNothingInItsBatch() throws Exception {
        List<AcceptedRequest> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(await(store.accept(message("viettel", "TC " + i))));
        }
        // two nodes answer overlapping sets at the same moment, each as one group-committed batch
        PostgresRequestStore other =
                new PostgresRequestStore(db.vertx(), db.database().pool());
        List<Future<Optional<OutboundReply>>> mine = new ArrayList<>();
        List<Future<Optional<OutboundReply>>> theirs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            mine.add(reply(requests.get(i), "from a", Duration.ofHours(1), Duration.ofSeconds(30)));
            AcceptedRequest r = requests.get(19 - i);
            theirs.add(other.reply(r, "from b", Duration.ofHours(1), Duration.ofSeconds(30), entry(r)));
        }
        await(Future.join(mine));
        await(Future.join(theirs));
        int handedBack = 0;
        for (Future<Optional<OutboundReply>> f : mine) {
            assertTrue(f.succeeded(), "node a's answers: " + f.cause());
            handedBack += f.result().isPresent() ? 1 : 0;
        }
        for (Future<Optional<OutboundReply>> f : theirs) {
            assertTrue(f.succeeded(), "node b's answers: " + f.cause());
            handedBack += f.result().isPresent() ? 1 : 0;
        }
        assertEquals(20, handedBack, "each request's reply handed to exactly one node to send");
        Row row = await(db.database()
                        .pool()
                        .query("SELECT (SELECT count(*) FROM gateway.reply), (SELECT count(*) FROM gateway.audit "
                                + "WHERE request_id IN (SELECT id FROM gateway.request))")
                        .execute())
                .iterator()
                .next();
        assertEquals(20, row.getLong(0), "one reply per request");
        assertEquals(20, row.getLong(1), "one audit entry per request");
    }

    @Test
    void aReplyAndItsAuditEntryAreCommittedTogetherAndOnlyOnce() throws Exception {
        AcceptedRequest r = await(store.accept(message("viettel", "TC")));
        await(reply(r, "first", Duration.ofHours(1), Duration.ofSeconds(30)));
        await(reply(r, "second", Duration.ofHours(1), Duration.ofSeconds(30)));
        Row row = await(db.database()
                        .pool()
                        .preparedQuery("SELECT count(*), min(a.xmin::text) = min(p.xmin::text), min(a.outcome) "
                                + "FROM gateway.audit a JOIN gateway.reply p USING (request_id) WHERE request_id = $1")
                        .execute(Tuple.of(r.id())))
                .iterator()
                .next();
        assertEquals(1, row.getLong(0), "one entry for the request, however often it is answered");
        assertTrue(row.getBoolean(1), "the entry and the reply were written by one transaction");
        assertEquals("ANSWERED", row.getString(2));
    }

    @Test
    void anAuditEntryOfAnotherRequestIsRefused() throws Exception {
        AcceptedRequest r = await(store.accept(message("viettel", "TC")));
        AcceptedRequest other = await(store.accept(message("viettel", "TC")));
        assertThrows(
                IllegalArgumentException.class,
                () -> store.reply(r, "text", Duration.ofHours(1), Duration.ZERO, entry(other)));
    }

    @Test
    void aReplyToARequestNeverAcceptedIsRefusedAndStoresNeitherReplyNorAuditEntry() throws Exception {
        AcceptedRequest never = new AcceptedRequest(Long.MAX_VALUE, message("viettel", "TC"));
        Exception refused =
                assertThrows(Exception.class, () -> await(reply(never, "text", Duration.ofHours(1), Duration.ZERO)));
        assertTrue(refused.getMessage().contains("no request"), refused.getMessage());
        long stored = await(db.database()
                        .pool()
                        .query("SELECT count(*) FROM gateway.reply")
                        .execute())
                .iterator()
                .next()
                .getLong(0);
        assertEquals(0, stored);
        long audited = await(db.database()
                        .pool()
                        .preparedQuery("SELECT count(*) FROM gateway.audit WHERE request_id = $1")
                        .execute(Tuple.of(Long.MAX_VALUE)))
                .iterator()
                .next()
                .getLong(0);
        assertEquals(0, audited, "no audit entry for a request that does not exist");
    }

    @Test
    void aStoredReplyWhoseSenderVanishedIsClaimedOnceItsLeaseEndsAsARetry() throws Exception {
        AcceptedRequest r = await(store.accept(message("viettel", "TC")));
        await(reply(r, "text", Duration.ofHours(1), Duration.ZERO));
        List<OutboundReply> due = await(store.claimDue("viettel", 10, Duration.ofSeconds(30)));
        assertEquals(1, due.size());
        assertEquals("text", due.get(0).text());
        assertEquals(Msisdn.of("84912345678"), due.get(0).recipient(), "the reply goes back to the number that asked");
        assertEquals("8088", due.get(0).shortCode());
        assertEquals(1, due.get(0).attempts(), "the vanished sender may have sent it once");
    }

    @Test
    void aClaimedReplyIsLeasedThenDueAgainAfterAFailedSend() throws Exception {
        AcceptedRequest r = await(store.accept(message("viettel", "TC")));
        assertTrue(await(reply(r, "text", Duration.ofHours(1), Duration.ofSeconds(30)))
                .isPresent());
        assertTrue(await(store.claimDue("viettel", 10, Duration.ofSeconds(30))).isEmpty(), "leased");
        await(store.retryLater(r.id(), Duration.ZERO));
        List<OutboundReply> again = await(store.claimDue("viettel", 10, Duration.ofSeconds(30)));
        assertEquals(1, again.size());
        assertEquals(1, again.get(0).attempts(), "a retry is told from a first send");
        await(store.markSent(r.id(), List.of()));
        await(store.retryLater(r.id(), Duration.ZERO));
        assertTrue(
                await(store.claimDue("viettel", 10, Duration.ofSeconds(30))).isEmpty(),
                "a sent reply is never due again");
        Row row = await(db.database()
                        .pool()
                        .preparedQuery("SELECT state, body FROM gateway.reply WHERE request_id = $1")
                        .execute(Tuple.of(r.id())))
                .iterator()
                .next();
        assertEquals("sent", row.getString("state"));
        assertNull(row.getString("body"), "the personal data in a sent reply is not kept");
    }

    /** A viettel text answered, its reply claimed and sent as the segments {@code messageIds}. */
    private AcceptedRequest sent(String text, String... messageIds) throws Exception {
        AcceptedRequest r = await(store.accept(message("viettel", text)));
        await(reply(r, "text", Duration.ofHours(1), Duration.ZERO));
        await(store.claimDue("viettel", 10, Duration.ofSeconds(30)));
        await(store.markSent(r.id(), List.of(messageIds)));
        return r;
    }

    @Test
    void aReceiptNamesTheReplyByTheOperatorsMessageIdAndAFailedSegmentWins() throws Exception {
        AcceptedRequest r = sent("TC", "a1", "a2");
        assertTrue(await(store.receipt(new DeliveryReceipt("viettel", "a2", DeliveryState.UNDELIVERABLE))));
        assertTrue(await(store.receipt(new DeliveryReceipt("viettel", "a1", DeliveryState.DELIVERED))));
        assertFalse(await(store.receipt(new DeliveryReceipt("viettel", "zz", DeliveryState.DELIVERED))), "unknown id");
        assertFalse(
                await(store.receipt(new DeliveryReceipt("mobifone", "a1", DeliveryState.DELIVERED))),
                "another operator's id");
        Row row = await(db.database()
                        .pool()
                        .preparedQuery("SELECT delivery FROM gateway.reply WHERE request_id = $1")
                        .execute(Tuple.of(r.id())))
                .iterator()
                .next();
        assertEquals("undeliverable", row.getString("delivery"));
    }

    @Test
    void aReceiptForAnIdTheSmscGaveAgainIsAboutTheLatestReplySentWithIt() throws Exception {
        AcceptedRequest earlier = sent("TC", "r1");
        await(db.vertx().timer(5));
        AcceptedRequest later = sent("TC CT", "r1");

        assertTrue(await(store.receipt(new DeliveryReceipt("viettel", "r1", DeliveryState.UNDELIVERABLE))));

        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM gateway.reply WHERE request_id = $1 AND delivery = 'undeliverable'",
                        later.id()));
        assertEquals(
                0,
                count(
                        "SELECT count(*) FROM gateway.reply WHERE request_id = $1 AND delivery = 'undeliverable'",
                        earlier.id()),
                "the earlier reply's outcome is its own");
    }

    @Test
    void receiptsArrivingTogetherShareTransactionsAndEachFindsItsReply() throws Exception {
        List<Future<Boolean>> receipts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            AcceptedRequest r = await(store.accept(message("viettel", "TC " + i)));
            await(reply(r, "text", Duration.ofHours(1), Duration.ZERO));
            await(store.markSent(r.id(), List.of("m" + i)));
        }
        for (int i = 0; i < 20; i++) {
            receipts.add(store.receipt(new DeliveryReceipt("viettel", "m" + i, DeliveryState.DELIVERED)));
        }
        await(Future.all(receipts));
        assertTrue(receipts.stream().allMatch(Future::result), "every receipt found its reply");
        long xacts = transactionsThatWrote("gateway.reply WHERE delivery = 'delivered'");
        assertTrue(xacts < 20, "20 receipts were committed in " + xacts + " transactions");
    }

    @Test
    void aFailedSegmentWinsAmongOneReplysReceiptsInOneBatch() throws Exception {
        List<AcceptedRequest> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AcceptedRequest r = await(store.accept(message("viettel", "TC " + i)));
            await(reply(r, "text", Duration.ofHours(1), Duration.ZERO));
            await(store.markSent(r.id(), List.of("s" + i + "a", "s" + i + "b")));
            sent.add(r);
        }
        // the first takes the one transaction slot; the others queue, and share the next
        List<Future<Boolean>> receipts = List.of(
                store.receipt(new DeliveryReceipt("viettel", "none", DeliveryState.DELIVERED)),
                store.receipt(new DeliveryReceipt("viettel", "s0a", DeliveryState.UNDELIVERABLE)),
                store.receipt(new DeliveryReceipt("viettel", "s0b", DeliveryState.DELIVERED)),
                store.receipt(new DeliveryReceipt("viettel", "s1a", DeliveryState.DELIVERED)),
                store.receipt(new DeliveryReceipt("viettel", "s1b", DeliveryState.EXPIRED)),
                store.receipt(new DeliveryReceipt("viettel", "s2a", DeliveryState.DELIVERED)),
                store.receipt(new DeliveryReceipt("viettel", "s2b", DeliveryState.DELIVERED)));
        await(Future.all(receipts));
        assertEquals(
                List.of(false, true, true, true, true, true, true),
                receipts.stream().map(Future::result).toList());
        List<String> outcomes = new ArrayList<>();
        for (AcceptedRequest r : sent) {
            outcomes.add(await(db.database()
                            .pool()
                            .preparedQuery("SELECT delivery FROM gateway.reply WHERE request_id = $1")
                            .execute(Tuple.of(r.id())))
                    .iterator()
                    .next()
                    .getString(0));
        }
        assertEquals(List.of("undeliverable", "expired", "delivered"), outcomes);
    }

    @Test
    void receiptsOfOneReplysSegmentsInBatchesCrossingEachOtherAreAllRecorded() throws Exception {
        // A two-segment reply gets two receipts, which may land in two batches. Each round: two
        // receipts for no reply take both transaction slots, so that the next two batches start
        // together, one with the replies' first segments in one order, one with their second
        // segments in the other. Side by side, they deadlocked and one batch was lost.
        int perBatch = PostgresRequestStore.DEFAULT_MAX_BATCH;
        for (int round = 0; round < 4; round++) {
            List<AcceptedRequest> sent = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                AcceptedRequest r = await(store.accept(message("viettel", "TC " + round + " " + i)));
                await(reply(r, "text", Duration.ofHours(1), Duration.ZERO));
                await(store.markSent(r.id(), List.of("x" + r.id() + "a", "x" + r.id() + "b")));
                sent.add(r);
            }
            List<Future<Boolean>> receipts = new ArrayList<>();
            receipts.add(store.receipt(new DeliveryReceipt("viettel", "none1", DeliveryState.DELIVERED)));
            receipts.add(store.receipt(new DeliveryReceipt("viettel", "none2", DeliveryState.DELIVERED)));
            for (int i = 0; i < perBatch; i++) {
                receipts.add(store.receipt(
                        new DeliveryReceipt("viettel", "x" + sent.get(i).id() + "a", DeliveryState.DELIVERED)));
            }
            for (int i = perBatch - 1; i >= 0; i--) {
                receipts.add(store.receipt(
                        new DeliveryReceipt("viettel", "x" + sent.get(i).id() + "b", DeliveryState.DELIVERED)));
            }
            await(Future.join(receipts).otherwiseEmpty());
            assertEquals(
                    List.of(),
                    receipts.stream()
                            .filter(Future::failed)
                            .map(f -> f.cause().toString())
                            .distinct()
                            .toList());
            assertEquals(
                    2 * perBatch, receipts.stream().filter(Future::result).count(), "receipts that found their reply");
        }
    }

    @Test
    void sentMarksAndReceiptsCommitAsynchronouslyAndLeaveTheConnectionDurable() throws Exception {
        PostgresDatabase single = db.openOneConnectionEach();
        try {
            PostgresRequestStore oneConnection = new PostgresRequestStore(db.vertx(), single.pool());
            AcceptedRequest r = await(oneConnection.accept(message("viettel", "TC")));
            assertTrue(await(oneConnection.reply(r, "text", Duration.ofHours(1), Duration.ZERO, entry(r)))
                    .isPresent());
            await(oneConnection.markSent(r.id(), List.of("m1")));
            assertTrue(await(oneConnection.receipt(new DeliveryReceipt("viettel", "m1", DeliveryState.DELIVERED))));

            assertEquals(
                    1,
                    count(
                            "SELECT count(*) FROM gateway.reply WHERE request_id = $1 AND state = 'sent' AND delivery = 'delivered'",
                            r.id()));
            // the setting ends with the mark's and the receipt's statements: the accepts and replies
            // the same (only) connection commits next stay synchronous
            String setting = await(
                            single.pool().query("SHOW synchronous_commit").execute())
                    .iterator()
                    .next()
                    .getString(0);
            assertEquals("on", setting);
        } finally {
            single.close().await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBatchOfRepliesIsNotPlannedAnewEachTime() throws Exception {
        // one connection, so every batch runs the same prepared statement
        PostgresDatabase single = db.openOneConnectionEach();
        try {
            PostgresRequestStore oneConnection = new PostgresRequestStore(db.vertx(), single.pool());
            for (int i = 0; i < 8; i++) {
                AcceptedRequest r = await(oneConnection.accept(message("viettel", "TC " + i)));
                assertTrue(await(oneConnection.reply(r, "text", Duration.ofHours(1), Duration.ZERO, entry(r)))
                        .isPresent());
            }
            Row plans = await(single.pool()
                            .query("SELECT custom_plans, generic_plans FROM pg_prepared_statements "
                                    + "WHERE statement LIKE '%gateway.audit_head%'")
                            .execute())
                    .iterator()
                    .next();
            // planning it for a batch's own arrays took longer than running a small batch
            assertEquals(0, plans.getLong("custom_plans"), "planned anew for a batch");
            assertEquals(8, plans.getLong("generic_plans"));
        } finally {
            single.close().await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void twoAnswersToOneRequestInOneBatchStoreOneReplyAndOneEntry() throws Exception {
        AcceptedRequest ahead = await(store.accept(message("viettel", "TC")));
        AcceptedRequest r = await(store.accept(message("viettel", "TC")));
        // the two answers queue while the one ahead commits, and go together
        List<Optional<OutboundReply>> answers = await(Future.all(
                        reply(ahead, "ahead", Duration.ofHours(1), Duration.ofSeconds(30)),
                        reply(r, "first", Duration.ofHours(1), Duration.ofSeconds(30)),
                        reply(r, "second", Duration.ofHours(1), Duration.ofSeconds(30))))
                .list();
        assertEquals("first", answers.get(1).orElseThrow().text());
        assertTrue(answers.get(2).isEmpty(), "a second answer is not sent");
        Row row = await(db.database()
                        .pool()
                        .preparedQuery("SELECT (SELECT count(*) FROM gateway.audit WHERE request_id = $1), "
                                + "(SELECT count(*) FROM gateway.reply WHERE request_id = $1)")
                        .execute(Tuple.of(r.id())))
                .iterator()
                .next();
        assertEquals(1, row.getLong(0));
        assertEquals(1, row.getLong(1));
    }

    @Test
    void sentMarksArrivingTogetherEachKeepTheirOwnMessageIds() throws Exception {
        List<AcceptedRequest> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AcceptedRequest r = await(store.accept(message("viettel", "TC " + i)));
            await(reply(r, "text", Duration.ofHours(1), Duration.ZERO));
            sent.add(r);
        }
        await(Future.all(
                store.markSent(sent.get(0).id(), List.of("a1", "a2")),
                store.markSent(sent.get(1).id(), List.of()),
                store.markSent(sent.get(2).id(), List.of("c1"))));
        List<String> ids = new ArrayList<>();
        for (AcceptedRequest r : sent) {
            Row row = await(db.database()
                            .pool()
                            .preparedQuery("SELECT state, message_ids FROM gateway.reply WHERE request_id = $1")
                            .execute(Tuple.of(r.id())))
                    .iterator()
                    .next();
            assertEquals("sent", row.getString("state"));
            ids.add(String.join(",", row.getArrayOfStrings("message_ids")));
        }
        assertEquals(List.of("a1,a2", "", "c1"), ids);
        assertTrue(await(store.receipt(new DeliveryReceipt("viettel", "c1", DeliveryState.DELIVERED))));
    }

    @Test
    void theSchemaStillRefusesAChannelStateOrDeliveryOutsideTheAllowedOnes() throws Exception {
        AcceptedRequest r = await(store.accept(message("viettel", "TC")));
        await(reply(r, "text", Duration.ofHours(1), Duration.ZERO));
        for (String wrong : List.of(
                "UPDATE gateway.request SET channel = 'MMS'",
                "UPDATE gateway.reply SET state = 'lost'",
                "UPDATE gateway.reply SET delivery = 'maybe'")) {
            Exception refused = assertThrows(
                    Exception.class,
                    () -> await(db.database().pool().query(wrong).execute()),
                    wrong);
            assertTrue(refused.getMessage().contains("violates check constraint"), refused.getMessage());
        }
    }

    @Test
    void repliesAreClaimedOnlyForTheirOwnOperator() throws Exception {
        AcceptedRequest r = await(store.accept(message("mobifone", "TC")));
        await(reply(r, "text", Duration.ofHours(1), Duration.ZERO));
        assertTrue(await(store.claimDue("viettel", 10, Duration.ofSeconds(30))).isEmpty());
        assertEquals(
                1, await(store.claimDue("mobifone", 10, Duration.ofSeconds(30))).size());
    }

    @Test
    void aReplyPastItsValidityExpiresInsteadOfBeingSent() throws Exception {
        AcceptedRequest r = await(store.accept(message("viettel", "TC")));
        await(reply(r, "text", Duration.ofMillis(1), Duration.ZERO));
        await(db.database().pool().query("SELECT pg_sleep(0.01)").execute());
        assertTrue(await(store.claimDue("viettel", 10, Duration.ofSeconds(30))).isEmpty());
        assertEquals(1, await(store.expireOverdue()));
    }
}
