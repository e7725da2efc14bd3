package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsmpp.bean.BindType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.TextNormalizer;
import vn.tracuu.core.lookup.ReplyText;
import vn.tracuu.postgres.audit.AuditAnchors;
import vn.tracuu.postgres.audit.AuditVerifier;
import vn.tracuu.simulators.PhoneSimulator;
import vn.tracuu.simulators.PhoneSimulator.Reply;

/**
 * The privacy policy and the audit through the SMPP front door, with the default policy
 * (72 h SIM window, 5 lookups an hour, 3 mismatches, 300 ms + jitter reply delay).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrivacyEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String REFUSAL = TextNormalizer.stripDiacritics(ReplyText.REFUSAL);
    private static final String GOOD = "SELECT s.msisdn, right(s.personal_id, 4) FROM subscribers.subscriber s "
            + "JOIN population.citizen c USING (personal_id) WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = 'viettel' "
            + "AND s.sim_changed_at < now() - interval '30 days' ORDER BY s.msisdn";

    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    private static TestGateway gateway;
    private static PhoneSimulator phone;
    private static List<List<String>> good;
    private static int nextGood;

    @BeforeAll
    static void start() throws Exception {
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
        // debug too: the lines most likely to carry an identifier are the detailed ones
        ((Logger) LoggerFactory.getLogger("vn.tracuu")).setLevel(ch.qos.logback.classic.Level.DEBUG);
        gateway = new TestGateway(5000, "", "");
        phone = gateway.phone("viettel", BindType.BIND_TRX);
        good = rows(GOOD);
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
        ((Logger) LoggerFactory.getLogger("vn.tracuu")).setLevel(null);
        gateway.close();
    }

    /** A verified number with an old SIM that no other test has used: [msisdn, last four digits]. */
    private static synchronized List<String> fresh() {
        return good.get(nextGood++);
    }

    private static List<List<String>> rows(String sql) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = gateway.jdbc();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** The personal ID a number is bound to. */
    private static String recordOf(String msisdn) throws Exception {
        return gateway.row("SELECT personal_id FROM subscribers.subscriber WHERE msisdn = ?", msisdn)
                .get(0);
    }

    /** Binds one more verified viettel number, its SIM a year old, to the record {@code id}. */
    private static void bindAnotherNumber(String msisdn, String id) throws Exception {
        gateway.execute(
                "INSERT INTO subscribers.subscriber VALUES (?, ?, 'viettel', 'verified', now() - interval '1 year', "
                        + "now() - interval '1 year')",
                msisdn,
                id);
    }

    /** The text's reply; a lookup notice to the number that arrives meanwhile is passed over. */
    private static Reply text(String msisdn, String text) throws Exception {
        phone.send(msisdn, "8088", text);
        Reply reply;
        do {
            reply = phone.awaitReply(msisdn, WAIT);
            assertNotNull(reply, "a reply to \"" + text + "\"");
        } while (reply.text().startsWith(NOTICE));
        return reply;
    }

    private static final String NOTICE = TextNormalizer.stripDiacritics("Hồ sơ của bạn vừa được tra cứu lúc ");

    @Test
    @Order(1)
    void aRecentlyChangedOrUnknownSimIsRefusedLikeEveryOtherFailure() throws Exception {
        String swapped =
                rows("SELECT msisdn FROM subscribers.subscriber WHERE status = 'verified' AND operator_id = 'viettel' "
                                + "AND sim_changed_at > now() - interval '72 hours' ORDER BY msisdn LIMIT 1")
                        .get(0)
                        .get(0);
        String unknownSim =
                rows("SELECT msisdn FROM subscribers.subscriber WHERE status = 'verified' AND operator_id = 'viettel' "
                                + "AND sim_changed_at IS NULL ORDER BY msisdn LIMIT 1")
                        .get(0)
                        .get(0);
        String unverified =
                rows("SELECT msisdn FROM subscribers.subscriber WHERE status = 'unverified' AND operator_id = 'viettel' "
                                + "ORDER BY msisdn LIMIT 1")
                        .get(0)
                        .get(0);
        List<String> mismatching = fresh();
        Reply reference = text(unverified, "TC");
        String wrong = "0000".equals(mismatching.get(1)) ? "TC 1111" : "TC 0000";
        for (Reply r :
                List.of(text(swapped, "TC"), text(unknownSim, "TC CT"), text(mismatching.get(0), wrong), reference)) {
            assertEquals(REFUSAL, r.text());
            assertEquals(reference.segments().size(), r.segments().size());
        }
    }

    @Test
    @Order(2)
    void khoaLocksLookupsUntilAnAdminUnlocks() throws Exception {
        List<String> citizen = fresh();
        String msisdn = citizen.get(0);
        assertTrue(text(msisdn, "TC NM").text().startsWith("So DD"));
        assertEquals(
                TextNormalizer.stripDiacritics(ReplyText.LOCK_CONFIRMED),
                text(msisdn, "KHOA").text());
        assertEquals(REFUSAL, text(msisdn, "TC NM").text());
        assertEquals(REFUSAL, text(msisdn, "LS").text());

        Vertx vertx = Vertx.vertx();
        try {
            assertTrue(AdminCommands.unlock(
                            vertx,
                            gateway.database().options().asLogin(),
                            AuditKeys.load(gateway.config().audit()),
                            Msisdn.of(msisdn))
                    .await(10, TimeUnit.SECONDS));
        } finally {
            vertx.close();
        }
        assertTrue(text(msisdn, "TC NM").text().startsWith("So DD"));
    }

    @Test
    @Order(3)
    void pastFiveLookupsAnHourTheNumberIsToldToTryLater() throws Exception {
        String msisdn;
        String past;
        Instant started;
        do {
            // a new hour starting among the six restarts the count, as it should: once more, with a
            // fresh number, well inside the next hour
            started = Instant.now();
            msisdn = fresh().get(0);
            for (int i = 0; i < 5; i++) {
                assertTrue(text(msisdn, "TC NM").text().startsWith("So DD"), "lookup " + (i + 1));
            }
            past = text(msisdn, "TC NM").text();
        } while (!started.truncatedTo(ChronoUnit.HOURS).equals(Instant.now().truncatedTo(ChronoUnit.HOURS)));
        assertTrue(
                past.startsWith(TextNormalizer.stripDiacritics(ReplyText.HOURLY_LIMIT))
                        && past.matches(".* [0-2][0-9]:00\\.$"),
                "the number is told the hour it may try again: " + past);
        assertEquals(
                TextNormalizer.stripDiacritics(ReplyText.HELP),
                text(msisdn, "HD").text(),
                "help is not limited");
    }

    @Test
    @Order(3)
    void pastThirtyLookupsADayTheRecordItselfIsLimitedWhicheverNumberAsks() throws Exception {
        List<String> owner = fresh();
        String id = recordOf(owner.get(0));
        List<String> numbers = new ArrayList<>(List.of(owner.get(0)));
        for (int i = 0; i < 6; i++) {
            // more numbers bound to the same record, e.g. a family's SIMs registered to one person
            String extra = "8439" + String.format("%07d", 9_000_000 + i);
            bindAnotherNumber(extra, id);
            numbers.add(extra);
        }
        int answered = 0;
        for (String n : numbers) {
            for (int i = 0; i < 5; i++) {
                if (text(n, "TC NM").text().startsWith("So DD")) {
                    answered++;
                }
            }
        }
        assertEquals(30, answered, "35 asked, 30 answered");
    }

    @Test
    @Order(3)
    void aLookupFromOneBoundNumberTellsTheOtherOnceAnHourAndLsAgrees() throws Exception {
        List<String> asker = fresh();
        String id = recordOf(asker.get(0));
        String other = "8438" + String.format("%07d", 9_100_000);
        bindAnotherNumber(other, id);

        assertTrue(text(asker.get(0), "TC").text().startsWith("Ho ten"));
        Reply notice = phone.awaitReply(other, WAIT);
        assertNotNull(notice, "the other number bound to the record is told");
        String masked =
                "0" + asker.get(0).substring(2, 4) + "*****" + asker.get(0).substring(9);
        assertTrue(notice.text().startsWith(NOTICE), notice.text());
        assertTrue(notice.text().contains(" (SMS TC) tu so " + masked + "."), notice.text());
        assertTrue(notice.text().contains("nhan KHOA"), "it says how to lock: " + notice.text());
        assertFalse(notice.text().contains(asker.get(0).substring(2))
                || notice.text().contains(id.substring(8)));
        assertNull(phone.awaitReply(asker.get(0), Duration.ofSeconds(1)), "the asker is not told of its own lookup");

        assertTrue(text(asker.get(0), "TC NM").text().startsWith("So DD"));
        List<String> hours = gateway.rows(
                "SELECT DISTINCT date_trunc('hour', to_timestamp(at_micros / 1e6)) FROM gateway.audit "
                        + "WHERE msisdn_hmac = '" + gateway.pseudonym(asker.get(0)) + "'",
                10);
        if (hours.size() == 1) {
            assertNull(phone.awaitReply(other, Duration.ofSeconds(2)), "no second notice within the hour");
        }

        String when = notice.text().replaceAll(".* luc ([0-9/]+ [0-9:]+) .*", "$1");
        Reply history = text(other, "LS");
        assertTrue(
                history.text().contains(when + " SMS TC (so khac)"),
                "LS shows the lookup the notice told of: " + history.text());
    }

    @Test
    @Order(4)
    void threeMismatchesLockOutTheSendingNumberOnly() throws Exception {
        List<String> guesser = fresh();
        String wrong = "0000".equals(guesser.get(1)) ? "1111" : "0000";
        for (int i = 0; i < 3; i++) {
            assertEquals(REFUSAL, text(guesser.get(0), "TC " + wrong).text());
        }
        assertEquals(
                REFUSAL,
                text(guesser.get(0), "TC " + guesser.get(1)).text(),
                "even the right ID is refused while locked out");
        List<String> other = fresh();
        assertTrue(
                text(other.get(0), "TC " + other.get(1)).text().startsWith("Ho ten"), "another number is not affected");
    }

    @Test
    @Order(5)
    void lsListsTheLatestAccessesToTheSendersOwnRecord() throws Exception {
        String msisdn = fresh().get(0);
        text(msisdn, "TC CT");
        text(msisdn, "TC NM");
        String history = text(msisdn, "LS").text();
        assertTrue(history.startsWith("Tra cuu gan nhat: "), history);
        assertTrue(history.contains("SMS TC NM (so nay); "), history);
        assertTrue(history.contains("SMS TC CT (so nay)."), history);
        assertTrue(history.indexOf("TC NM") < history.indexOf("TC CT"), "newest first: " + history);
    }

    /** Every table of the gateway's schema whose rows, as text, hold {@code needle}. */
    private static List<String> tablesHolding(String needle) throws Exception {
        List<String> holding = new ArrayList<>();
        for (List<String> table : rows(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'gateway' AND table_type = 'BASE TABLE'")) {
            String name = table.get(0);
            if (!rows("SELECT 1 FROM gateway." + name + " x WHERE x::text LIKE '%" + needle + "%' LIMIT 1")
                    .isEmpty()) {
                holding.add(name);
            }
        }
        return holding;
    }

    @Test
    @Order(6)
    void onceTheReplyIsSentNoGatewayTableHoldsTheNumberOrTheTypedId() throws Exception {
        List<String> citizen = rows("SELECT s.msisdn, s.personal_id FROM subscribers.subscriber s "
                        + "WHERE s.msisdn = '" + fresh().get(0) + "'")
                .get(0);
        String msisdn = citizen.get(0);
        String id = citizen.get(1);
        assertTrue(text(msisdn, "TC CT " + id).text().startsWith("So DD"), "answered");
        // the number without its country code, as a handset may send it, matches both forms
        String number = msisdn.substring(2);
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(List.of(), tablesHolding(number), "tables holding the number " + msisdn);
            assertEquals(List.of(), tablesHolding(id), "tables holding the typed ID");
        });
    }

    @Test
    @Order(6)
    void hdBmExplainsWhatIsLoggedAndHowToLock() throws Exception {
        String notice = text(fresh().get(0), "HD BM").text();
        assertEquals(TextNormalizer.stripDiacritics(ReplyText.privacyNotice(Duration.ofDays(180))), notice);
        assertTrue(notice.contains("180 ngay") && notice.contains("KHOA"), notice);
    }

    @Test
    @Order(7)
    void refusalsDoNotComeBackMeasurablyFasterThanAnswers() throws Exception {
        // unverified numbers of every network: through this viettel bind all are refused
        List<String> unverified = rows("SELECT msisdn FROM subscribers.subscriber WHERE status = 'unverified' "
                        + "ORDER BY msisdn LIMIT 100")
                .stream()
                .map(r -> r.get(0))
                .toList();
        List<String> answering = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            answering.add(fresh().get(0));
        }
        List<Long> answered = Collections.synchronizedList(new ArrayList<>());
        List<Long> refused = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (String m : answering) {
                all.add(pool.submit(() -> timeTwice(m, false, answered)));
            }
            for (String m : unverified) {
                all.add(pool.submit(() -> timeTwice(m, true, refused)));
            }
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200, answered.size());
        assertEquals(200, refused.size());
        long difference = Math.abs(median(answered) - median(refused));
        System.out.printf(
                "reply time medians over 200 + 200 requests: answered %d ms, refused %d ms%n",
                median(answered), median(refused));
        assertTrue(difference < 100, "medians " + median(answered) + " ms and " + median(refused) + " ms");
    }

    /** Texts "TC NM" twice from the number, adding each submit-to-reply time in milliseconds. */
    private static Void timeTwice(String msisdn, boolean refusal, List<Long> into) throws Exception {
        for (int i = 0; i < 2; i++) {
            long started = System.nanoTime();
            Reply r = text(msisdn, "TC NM");
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(refusal, REFUSAL.equals(r.text()), r.text());
            into.add(millis);
        }
        return null;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    @Test
    @Order(8)
    void aRefusedSenderNeverReadsThePopulationDatabase() throws Exception {
        String unverified =
                rows("SELECT msisdn FROM subscribers.subscriber WHERE status = 'unverified' AND operator_id = 'viettel' "
                                + "ORDER BY msisdn DESC LIMIT 1")
                        .get(0)
                        .get(0);
        List<String> guesser = fresh();
        // with the population table gone, any read of it would answer "busy" instead of the refusal
        gateway.execute("ALTER TABLE population.citizen RENAME TO citizen_away");
        try {
            assertEquals(REFUSAL, text(unverified, "TC").text());
            assertEquals(
                    REFUSAL,
                    text(guesser.get(0), "TC " + ("0000".equals(guesser.get(1)) ? "1111" : "0000"))
                            .text());
            assertEquals(
                    TextNormalizer.stripDiacritics(ReplyText.BUSY),
                    text(fresh().get(0), "TC").text(),
                    "the check itself works");
        } finally {
            gateway.execute("ALTER TABLE population.citizen_away RENAME TO citizen");
        }
    }

    @Test
    @Order(9)
    void everyRequestIsAuditedOnceAndTheChainVerifies() throws Exception {
        long requests = Long.parseLong(
                gateway.row("SELECT count(*) FROM gateway.request").get(0));
        long audited = Long.parseLong(gateway.row("SELECT count(DISTINCT request_id) FROM gateway.audit")
                .get(0));
        assertEquals(requests, audited);
        assertEquals(
                "0",
                gateway.row("SELECT count(*) FROM gateway.audit WHERE msisdn_hmac ~ '^84[0-9]{9}$' "
                                + "OR id_hmac ~ '^[0-9]{12}$'")
                        .get(0),
                "no plain identifier in the audit");
        AuditVerifier.Result result = AuditVerifier.verify(
                gateway.database().options(),
                List.of(new AuditAnchors(gateway.config().audit().anchorFile())));
        assertTrue(result.intact(), result.problem().orElse(""));
        assertEquals(requests, result.checked());
    }

    @Test
    @Order(10)
    void noLogLineHoldsASeededMsisdnOrPersonalId() throws Exception {
        Set<String> identifiers = new HashSet<>();
        rows("SELECT msisdn FROM subscribers.subscriber").forEach(r -> identifiers.add(r.get(0)));
        rows("SELECT personal_id FROM population.citizen").forEach(r -> identifiers.add(r.get(0)));
        rows("SELECT relative_id FROM population.relation").forEach(r -> identifiers.add(r.get(0)));
        Pattern digits = Pattern.compile("\\d{9,12}");
        List<String> lines;
        synchronized (LOGS.list) {
            lines = LOGS.list.stream()
                    .map(e -> e.getFormattedMessage()
                            + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())))
                    .toList();
        }
        assertTrue(lines.size() > 100, "the run logged " + lines.size() + " lines");
        for (String line : lines) {
            Matcher m = digits.matcher(line);
            while (m.find()) {
                String found = m.group();
                assertFalse(
                        identifiers.contains(found)
                                || identifiers.contains("84" + found.substring(1))
                                || identifiers.stream().anyMatch(id -> id.endsWith(found) && found.length() >= 9),
                        "identifier in a log line: " + line);
            }
        }
    }
}
