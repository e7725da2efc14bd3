package vn.tracuu.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.BindType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.tracuu.core.domain.TextNormalizer;
import vn.tracuu.core.lookup.ReplyText;
import vn.tracuu.simulators.PhoneSimulator;
import vn.tracuu.simulators.SmscSimulator;
import vn.tracuu.simulators.UssdCentre;
import vn.tracuu.simulators.UssdScreens;
import vn.tracuu.simulators.UssdScreens.Screen;

/**
 * USSD dialogues end to end, with a jsmpp peer playing the operator's USSD centre in both roles:
 * viettel's centre binds to the gateway (inputs as submit_sm, screens as deliver_sm), and the
 * gateway binds out to mobifone's (inputs as deliver_sm, screens as submit_sm).
 */
class UssdEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CODE = "*2024#";
    private static final int DIAL = UssdScreens.PSSR_INDICATION;
    private static final int ANSWER = UssdScreens.USSR_CONFIRM;
    private static final int ABORT = UssdScreens.ABORT;
    private static final int USSR_REQUEST = UssdScreens.USSR_REQUEST;
    private static final int PSSR_RESPONSE = UssdScreens.PSSR_RESPONSE;

    /** The operator's USSD centre, whichever way it is bound. */
    enum Role {
        CENTRE_BINDS_IN("viettel"),
        GATEWAY_BINDS_OUT("mobifone");

        final String operator;

        Role(String operator) {
            this.operator = operator;
        }
    }

    private static TestGateway gateway;
    private static PhoneSimulator viettelCentre;
    private static SmscSimulator mobifoneCentre;
    private static int offset;

    @BeforeAll
    static void start() throws Exception {
        mobifoneCentre = SmscSimulator.listen(0, "tracuu", "pw123");
        gateway = new TestGateway(
                2000,
                TestGateway.RELAXED_POLICY,
                String.join(
                        "\n",
                        "ussd:",
                        "  screen-timeout: 1s",
                        "  max-sessions: 6",
                        "operators:",
                        "  - id: viettel",
                        "    system-id: viettel",
                        "    password: \"pbkdf2-sha256:100000:UmsXfBFhXx/gd+xrsSVtJQ==:SPUkCTwYc4zN36i5imKYyAjumGyrUgcQQ7YES+xuEfc=\"",
                        "  - id: mobifone",
                        "    bind-out:",
                        "      host: 127.0.0.1",
                        "      port: " + mobifoneCentre.port(),
                        "      system-id: tracuu",
                        "      password: env:MOBIFONE_SMSC_PASSWORD"),
                "0s",
                Map.of("MOBIFONE_SMSC_PASSWORD", "pw123"));
        viettelCentre = gateway.phone("viettel", BindType.BIND_TRX);
        assertTrue(mobifoneCentre.awaitBinds(1, WAIT), "the gateway binds out to mobifone's centre");
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        mobifoneCentre.close();
    }

    @BeforeEach
    void noDialogueLeftOpen() {
        await().atMost(WAIT).until(() -> gateway.gateway().openUssdSessions() == 0);
    }

    private static synchronized String citizen(Role role) throws Exception {
        return gateway.row(
                        "SELECT s.msisdn FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
                                + "WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = ? AND s.sim_changed_at < now() - interval '30 days' "
                                + "ORDER BY s.msisdn OFFSET ? LIMIT 1",
                        role.operator,
                        offset++)
                .get(0);
    }

    private static UssdCentre centre(Role role) {
        return role == Role.CENTRE_BINDS_IN ? viettelCentre : mobifoneCentre;
    }

    private static void input(Role role, String msisdn, int operation, int session, int sequence, String text)
            throws Exception {
        centre(role).ussd(msisdn, CODE, operation, session, sequence, text);
    }

    private static Screen screen(Role role, String msisdn, Duration wait) throws InterruptedException {
        return centre(role).awaitScreen(msisdn, wait);
    }

    private static Screen screen(Role role, String msisdn) throws InterruptedException {
        Screen s = screen(role, msisdn, WAIT);
        assertNotNull(s, "a screen arrives");
        return s;
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void dialInMenuChoiceAnswerWithTheRightOperationsAndSessionBits(Role role) throws Exception {
        String msisdn = citizen(role);
        input(role, msisdn, DIAL, 17, 0, CODE);
        Screen menu = screen(role, msisdn);
        assertEquals(USSR_REQUEST, menu.operation(), "the menu waits for input");
        assertEquals("USSD", menu.serviceType());
        assertEquals(17, menu.session(), "the session number is echoed");
        assertEquals(1, menu.sequence(), "the sequence advances");
        assertFalse(menu.end());
        assertTrue(menu.text().contains("1 Co ban") && menu.text().contains("7 Lich su tra cuu"), menu.text());
        assertEquals(0x00, menu.dataCoding(), "GSM-7 by default");

        input(role, msisdn, ANSWER, 17, 2, "5");
        Screen answer = screen(role, msisdn);
        assertEquals(PSSR_RESPONSE, answer.operation(), "the answer fits one screen and ends the dialogue");
        assertEquals(17, answer.session());
        assertEquals(3, answer.sequence());
        assertTrue(answer.end(), "the end-of-session bit is set on the last screen");
        assertTrue(answer.text().contains("Nhom mau:"), answer.text());

        String pseudonym = gateway.pseudonym(msisdn);
        assertEquals(
                List.of("USSD", "TC", "NM", "ANSWERED"),
                gateway.row(
                        "SELECT channel, command, topic, outcome FROM gateway.audit WHERE msisdn_hmac = ? "
                                + "ORDER BY request_id DESC LIMIT 1",
                        pseudonym));
        assertEquals(
                List.of("1", "1", "0"),
                gateway.row(
                        "SELECT count(*)::text, count(*) FILTER (WHERE r.answered AND r.channel = 'USSD')::text, "
                                + "count(p.request_id)::text FROM gateway.audit a JOIN gateway.request r ON r.id = a.request_id "
                                + "LEFT JOIN gateway.reply p ON p.request_id = r.id WHERE a.msisdn_hmac = ?",
                        pseudonym),
                "recorded, answered, nothing left for the outbox");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void aLongAnswerIsPagedForwardAndEndsOnItsLastPage(Role role) throws Exception {
        String msisdn = citizen(role);
        // five residence lookups by the direct string, each a one-input dialogue, make a history longer than a screen
        for (int i = 0; i < 5; i++) {
            input(role, msisdn, DIAL, 30 + i, 0, "*2024*2#");
            Screen direct = screen(role, msisdn);
            assertTrue(direct.end(), "a direct string answers at once: " + direct.text());
        }
        input(role, msisdn, DIAL, 40, 0, "*2024*7#");
        Screen first = screen(role, msisdn);
        assertEquals(USSR_REQUEST, first.operation());
        assertTrue(first.text().endsWith("9 Tiep / 0 Thoat"), first.text());
        assertTrue(first.text().length() <= 160);
        input(role, msisdn, ANSWER, 40, 2, "9");
        Screen last = screen(role, msisdn);
        assertEquals(PSSR_RESPONSE, last.operation());
        assertTrue(last.end());
        assertFalse(last.text().contains("9 Tiep"));
        String history = first.text().replace("\n9 Tiep / 0 Thoat", "") + " " + last.text();
        assertEquals(
                5, history.split("USSD TC CT").length - 1, "the pages together hold the five accesses: " + history);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void zeroExits(Role role) throws Exception {
        String msisdn = citizen(role);
        input(role, msisdn, DIAL, 50, 0, CODE);
        screen(role, msisdn);
        input(role, msisdn, ANSWER, 50, 2, "0");
        Screen bye = screen(role, msisdn);
        assertTrue(bye.end());
        assertEquals(PSSR_RESPONSE, bye.operation());
        assertEquals(0, gateway.requestsFrom(msisdn), "no lookup");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void noAnswerWithinTheScreenWaitDropsTheDialogueAndALateAnswerIsRefusedCleanly(Role role) throws Exception {
        String msisdn = citizen(role);
        input(role, msisdn, DIAL, 60, 0, CODE);
        screen(role, msisdn);
        await().atMost(WAIT).until(() -> gateway.gateway().openUssdSessions() == 0);
        input(role, msisdn, ANSWER, 60, 2, "1");
        Screen late = screen(role, msisdn);
        assertTrue(late.end());
        assertTrue(late.text().contains("*2024#"), "it says how to start again: " + late.text());
        assertEquals(0, gateway.requestsFrom(msisdn), "no lookup");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void anAbortEndsTheDialogueAndNothingMoreIsSent(Role role) throws Exception {
        String msisdn = citizen(role);
        input(role, msisdn, DIAL, 70, 0, CODE);
        screen(role, msisdn);
        assertEquals(1, gateway.gateway().openUssdSessions());
        input(role, msisdn, ABORT, 70, 2, "");
        await().atMost(WAIT).until(() -> gateway.gateway().openUssdSessions() == 0);
        assertNull(screen(role, msisdn, Duration.ofMillis(300)), "nothing is sent for an aborted dialogue");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void anUnverifiedNumberGetsTheOneRefusalScreen(Role role) throws Exception {
        String unverified = gateway.row(
                        "SELECT msisdn FROM subscribers.subscriber WHERE status = 'unverified' AND operator_id = ? "
                                + "ORDER BY msisdn LIMIT 1",
                        role.operator)
                .get(0);
        input(role, unverified, DIAL, 80, 0, CODE);
        screen(role, unverified);
        input(role, unverified, ANSWER, 80, 2, "2");
        Screen refusal = screen(role, unverified);
        assertTrue(refusal.end());
        assertEquals(TextNormalizer.stripDiacritics(ReplyText.REFUSAL), refusal.text());
    }

    @Test
    void twoHandsetsInParallelDoNotSeeEachOthersDialogues() throws Exception {
        Role role = Role.CENTRE_BINDS_IN;
        String alice = citizen(role);
        String bob = citizen(role);
        // the same session number from the centre for both: the handset tells them apart
        input(role, alice, DIAL, 90, 0, CODE);
        input(role, bob, DIAL, 90, 0, CODE);
        screen(role, alice);
        screen(role, bob);
        input(role, alice, ANSWER, 90, 2, "5");
        input(role, bob, ANSWER, 90, 2, "0");
        Screen aliceAnswer = screen(role, alice);
        Screen bobBye = screen(role, bob);
        assertTrue(aliceAnswer.text().contains("Nhom mau"), aliceAnswer.text());
        assertFalse(bobBye.text().contains("Nhom mau"), bobBye.text());
        assertEquals(1, gateway.requestsFrom(alice));
        assertEquals(0, gateway.requestsFrom(bob));
    }

    @Test
    void pastTheBoundOfOpenDialoguesADialInGetsBusy() throws Exception {
        Role role = Role.GATEWAY_BINDS_OUT;
        List<String> open = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String msisdn = citizen(role);
            input(role, msisdn, DIAL, 100 + i, 0, CODE);
            assertEquals(USSR_REQUEST, screen(role, msisdn).operation());
            open.add(msisdn);
        }
        String seventh = citizen(role);
        input(role, seventh, DIAL, 110, 0, CODE);
        Screen busy = screen(role, seventh);
        assertTrue(busy.end());
        assertEquals(TextNormalizer.stripDiacritics(ReplyText.BUSY), busy.text());
        for (int i = 0; i < open.size(); i++) {
            input(role, open.get(i), ABORT, 100 + i, 2, "");
        }
    }

    /**
     * Not a timing assertion: measures input-to-screen latency for 84 dialogues (menu, then blood type), 6 at
     * a time (the test's bound of open dialogues), with the default answer delay (60 ms + up to 40 ms), and writes the percentiles to
     * target/ussd-latency.txt for the README and the issue note.
     */
    @Test
    void everyDialogueOfALoadGetsItsScreensAndTheLatencyIsRecorded() throws Exception {
        Role role = Role.CENTRE_BINDS_IN;
        List<Long> menus = Collections.synchronizedList(new ArrayList<>());
        List<Long> lookups = Collections.synchronizedList(new ArrayList<>());
        ExecutorService handsets = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int h = 0; h < 6; h++) {
                String msisdn = citizen(role);
                int session = 120 + h;
                done.add(handsets.submit(() -> {
                    for (int i = 0; i < 14; i++) {
                        long t0 = System.nanoTime();
                        input(role, msisdn, DIAL, session, 0, CODE);
                        Screen menu = screen(role, msisdn);
                        long t1 = System.nanoTime();
                        input(role, msisdn, ANSWER, session, 2, "5");
                        Screen answer = screen(role, msisdn);
                        long t2 = System.nanoTime();
                        assertEquals(USSR_REQUEST, menu.operation());
                        assertTrue(answer.end(), answer.text());
                        menus.add((t1 - t0) / 1000);
                        lookups.add((t2 - t1) / 1000);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            handsets.shutdownNow();
        }
        assertEquals(84, menus.size(), "every dial-in got its menu");
        assertEquals(84, lookups.size(), "every choice got its answer");
        List<Long> all = new ArrayList<>(menus);
        all.addAll(lookups);
        String text = line("all inputs", all)
                + line("dial-in to menu", new ArrayList<>(menus))
                + line("choice to answer (lookup, held 60 ms + up to 40 ms)", new ArrayList<>(lookups));
        System.out.print(text);
        Files.writeString(Path.of("target", "ussd-latency.txt"), text);
    }

    private static String line(String what, List<Long> micros) {
        Collections.sort(micros);
        return String.format(
                "USSD input to screen, %s, %d inputs: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                what,
                micros.size(),
                at(micros, 0.50),
                at(micros, 0.90),
                at(micros, 0.99),
                micros.get(micros.size() - 1) / 1000.0);
    }

    private static double at(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1000.0;
    }
}
