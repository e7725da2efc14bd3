package vn.tracuu.core.ussd;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.UssdInput;
import vn.tracuu.core.domain.UssdScreen;
import vn.tracuu.core.lookup.ReplyText;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.core.port.in.SessionLookup;

class UssdDialoguesTest {

    private static final Msisdn ALICE = Msisdn.of("84912345678");
    private static final Msisdn BOB = Msisdn.of("84987654321");
    private static final MessageReceiver NO_SMS = new MessageReceiver() {
        @Override
        public Future<AcceptedRequest> receive(InboundMessage message) {
            return Future.failedFuture("no SMS here");
        }

        @Override
        public Future<Boolean> receipt(DeliveryReceipt receipt) {
            return Future.succeededFuture(false);
        }
    };

    private Vertx vertx;
    private final List<InboundMessage> looked = new CopyOnWriteArrayList<>();
    private volatile Promise<String> held;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private UssdDialogues dialogues(Duration screenWait, Duration sessionLimit, int maxSessions) {
        UssdOptions options =
                new UssdOptions("*2024#", 160, screenWait, sessionLimit, maxSessions, Duration.ZERO, Duration.ZERO);
        SessionLookup lookup = m -> {
            looked.add(m);
            if (held != null) {
                return held.future();
            }
            return Future.succeededFuture(
                    m.text().equals("TC CT")
                            ? "Thường trú: Số 12 ngõ 34 phố Nguyễn Chí Thanh, phường Láng Thượng, quận Đống Đa, Hà Nội. "
                                    .repeat(3)
                            : "Họ tên của " + m.sender().masked() + ".");
        };
        return new UssdDialogues(vertx, options, NO_SMS, lookup, String::length, Clock.systemUTC());
    }

    private static UssdInput input(Msisdn who, String session, UssdInput.Kind kind, String text) {
        return new UssdInput("viettel", "in:test", who, session, kind, text, Instant.now());
    }

    private static Optional<UssdScreen> screen(Future<Optional<UssdScreen>> f) {
        try {
            return f.await(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no screen within 10 s", e);
        }
    }

    @Test
    void aChoiceIsLookedUpOnTheUssdChannelAndTheAnswerEndsTheDialogue() {
        UssdDialogues d = dialogues(Duration.ofSeconds(60), Duration.ofSeconds(180), 10);
        UssdScreen menu =
                screen(d.ussd(input(ALICE, "7", UssdInput.Kind.DIAL, "*2024#"))).orElseThrow();
        assertFalse(menu.last());
        assertEquals(1, d.openSessions());

        UssdScreen answer =
                screen(d.ussd(input(ALICE, "7", UssdInput.Kind.ANSWER, "1"))).orElseThrow();
        assertTrue(answer.last());
        assertTrue(answer.text().startsWith("Họ tên của"), answer.text());
        assertEquals(Channel.USSD, looked.get(0).channel());
        assertEquals("TC", looked.get(0).text());
        assertEquals(0, d.openSessions());
    }

    @Test
    void twoHandsetsKeepTheirOwnDialogues() {
        UssdDialogues d = dialogues(Duration.ofSeconds(60), Duration.ofSeconds(180), 10);
        screen(d.ussd(input(ALICE, "1", UssdInput.Kind.DIAL, "*2024#")));
        screen(d.ussd(input(BOB, "1", UssdInput.Kind.DIAL, "*2024#")));
        UssdScreen alicePage =
                screen(d.ussd(input(ALICE, "1", UssdInput.Kind.ANSWER, "2"))).orElseThrow();
        assertTrue(alicePage.text().endsWith("9 Tiếp / 0 Thoát"));
        // Bob is still at the menu: his "1" is his own choice, not Alice's next page
        UssdScreen bob =
                screen(d.ussd(input(BOB, "1", UssdInput.Kind.ANSWER, "1"))).orElseThrow();
        assertTrue(bob.text().contains(BOB.masked()), bob.text());
        UssdScreen aliceNext =
                screen(d.ussd(input(ALICE, "1", UssdInput.Kind.ANSWER, "9"))).orElseThrow();
        assertFalse(aliceNext.text().equals(alicePage.text()));
    }

    @Test
    void withoutASessionIdOneDialoguePerHandsetAndANewDialInReplacesTheOld() {
        UssdDialogues d = dialogues(Duration.ofSeconds(60), Duration.ofSeconds(180), 10);
        screen(d.ussd(input(ALICE, "", UssdInput.Kind.DIAL, "*2024#")));
        screen(d.ussd(input(ALICE, "", UssdInput.Kind.DIAL, "*2024#")));
        assertEquals(1, d.openSessions());
    }

    @Test
    void noAnswerWithinTheScreenWaitDropsTheDialogueAndALateAnswerGetsAFinalScreen() {
        UssdDialogues d = dialogues(Duration.ofMillis(200), Duration.ofSeconds(180), 10);
        screen(d.ussd(input(ALICE, "3", UssdInput.Kind.DIAL, "*2024#")));
        await().atMost(5, TimeUnit.SECONDS).until(() -> d.openSessions() == 0);

        UssdScreen late =
                screen(d.ussd(input(ALICE, "3", UssdInput.Kind.ANSWER, "1"))).orElseThrow();
        assertTrue(late.last());
        assertTrue(late.text().contains("*2024#"), late.text());
        assertTrue(looked.isEmpty(), "nothing looked up for an expired dialogue");
    }

    @Test
    void theWholeDialogueHasALimitEvenWhileTheCitizenKeepsAnswering() {
        UssdDialogues d = dialogues(Duration.ofSeconds(60), Duration.ofMillis(400), 10);
        screen(d.ussd(input(ALICE, "4", UssdInput.Kind.DIAL, "*2024#")));
        screen(d.ussd(input(ALICE, "4", UssdInput.Kind.ANSWER, "x")));
        await().atMost(5, TimeUnit.SECONDS).until(() -> d.openSessions() == 0);
    }

    @Test
    void anAbortSendsNothingAndALookupFinishingAfterItSendsNothingEither() {
        UssdDialogues d = dialogues(Duration.ofSeconds(60), Duration.ofSeconds(180), 10);
        screen(d.ussd(input(ALICE, "5", UssdInput.Kind.DIAL, "*2024#")));
        held = Promise.promise();
        Future<Optional<UssdScreen>> pending = d.ussd(input(ALICE, "5", UssdInput.Kind.ANSWER, "1"));
        assertEquals(Optional.empty(), screen(d.ussd(input(ALICE, "5", UssdInput.Kind.ABORT, ""))));
        held.complete("Họ tên.");
        assertEquals(Optional.empty(), screen(pending));
        assertEquals(0, d.openSessions());
    }

    @Test
    void pastTheBoundADialInGetsTheBusyScreen() {
        UssdDialogues d = dialogues(Duration.ofSeconds(60), Duration.ofSeconds(180), 2);
        screen(d.ussd(input(ALICE, "1", UssdInput.Kind.DIAL, "*2024#")));
        screen(d.ussd(input(ALICE, "2", UssdInput.Kind.DIAL, "*2024#")));
        UssdScreen busy =
                screen(d.ussd(input(BOB, "1", UssdInput.Kind.DIAL, "*2024#"))).orElseThrow();
        assertEquals(new UssdScreen(ReplyText.BUSY, true), busy);
        assertEquals(2, d.openSessions());
    }

    @Test
    void aFailingLookupAnswersBusyAndClosesTheDialogue() {
        UssdDialogues d = dialogues(Duration.ofSeconds(60), Duration.ofSeconds(180), 10);
        held = Promise.promise();
        held.fail("database down");
        UssdScreen screen = screen(d.ussd(input(ALICE, "6", UssdInput.Kind.DIAL, "*2024*1#")))
                .orElseThrow();
        assertEquals(new UssdScreen(ReplyText.BUSY, true), screen);
        assertEquals(0, d.openSessions());
    }
}
