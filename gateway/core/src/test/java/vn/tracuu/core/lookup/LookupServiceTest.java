package vn.tracuu.core.lookup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.CitizenRecord;
import vn.tracuu.core.domain.Gender;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.RefusalReason;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.domain.audit.AuditEntry;
import vn.tracuu.core.domain.audit.Outcome;
import vn.tracuu.core.outbox.OutboxOptions;
import vn.tracuu.core.outbox.OutboxSender;
import vn.tracuu.core.policy.PolicyOptions;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.out.LookupObserver;

@ExtendWith(VertxExtension.class)
class LookupServiceTest {

    private static final Msisdn CITIZEN = Msisdn.of("84912345678");
    private static final Msisdn UNVERIFIED = Msisdn.of("84912345679");
    private static final Msisdn DECEASED = Msisdn.of("84912345670");
    private static final Msisdn OTHER_NETWORK = Msisdn.of("84912345671");
    private static final Msisdn SWAPPED = Msisdn.of("84912345672");
    private static final Msisdn SWAP_UNKNOWN = Msisdn.of("84912345673");
    private static final Msisdn UNKNOWN = Msisdn.of("84987654321");
    private static final Msisdn GUESSER = Msisdn.of("84912345674");
    private static final PersonalId ID = PersonalId.of("001087012345");
    private static final PersonalId DEAD_ID = PersonalId.of("036150000001");
    static final Pseudonymizer PSEUDONYMS = new Pseudonymizer(
            new Pseudonymizer.Key("m1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)),
            new Pseudonymizer.Key("i1", "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII)));

    private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
    private final InMemoryPorts.Population population = new InMemoryPorts.Population();
    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final InMemoryPorts.Requests requests = new InMemoryPorts.Requests(audit);
    private final InMemoryPorts.Policy policyStore = new InMemoryPorts.Policy();
    private final InMemoryPorts.Channel channel = new InMemoryPorts.Channel();
    private final Instant received = Instant.now();
    private LookupService service;
    private long decided;
    private Vertx vertx;
    private PolicyOptions policy;
    private OutboxSender outbox;

    @BeforeEach
    void setUp(Vertx vertx) {
        Instant longAgo = Instant.parse("2024-01-01T00:00:00Z");
        registry.bindings.put(CITIZEN, new SubscriberBinding(CITIZEN, ID, "viettel", longAgo, longAgo));
        registry.bindings.put(UNVERIFIED, new SubscriberBinding(UNVERIFIED, ID, "viettel", null, longAgo));
        registry.bindings.put(DECEASED, new SubscriberBinding(DECEASED, DEAD_ID, "viettel", longAgo, longAgo));
        registry.bindings.put(OTHER_NETWORK, new SubscriberBinding(OTHER_NETWORK, ID, "mobifone", longAgo, longAgo));
        registry.bindings.put(
                SWAPPED, new SubscriberBinding(SWAPPED, ID, "viettel", longAgo, received.minus(Duration.ofHours(71))));
        registry.bindings.put(GUESSER, new SubscriberBinding(GUESSER, ID, "viettel", longAgo, longAgo));
        registry.bindings.put(SWAP_UNKNOWN, new SubscriberBinding(SWAP_UNKNOWN, ID, "viettel", longAgo, null));
        population.records.put(
                ID,
                new CitizenRecord(
                        ID,
                        false,
                        new CitizenRecord.Identity(
                                "Nguyễn Văn An",
                                LocalDate.of(1987, 3, 12),
                                Gender.MALE,
                                "Hà Nội",
                                "Nam Định",
                                "Kinh",
                                "Việt Nam"),
                        null,
                        null,
                        null));
        population.records.put(DEAD_ID, new CitizenRecord(DEAD_ID, true, null, null, null, null));
        PolicyOptions policy = PolicyOptions.defaults()
                .withLookupsPerOperatorPerMinute(12)
                .withReplyHold(Duration.ZERO, Duration.ZERO);
        this.vertx = vertx;
        this.policy = policy;
        this.outbox = new OutboxSender(vertx, OutboxOptions.defaults(), requests, channel);
        service = service(LookupOptions.defaults());
    }

    private LookupService service(LookupOptions options) {
        return new LookupService(
                vertx,
                options,
                policy,
                new LookupPorts(requests, registry, population, policyStore, audit),
                PSEUDONYMS,
                outbox,
                LookupObserver.NONE,
                Clock.fixed(received.plusMillis(250), ZoneOffset.UTC));
    }

    private Decision decide(Msisdn from, String text) throws Exception {
        return service.decide(new AcceptedRequest(++decided, sms(from, text)), true)
                .await(5, TimeUnit.SECONDS);
    }

    private String answer(Msisdn from, String text) throws Exception {
        return decide(from, text).text();
    }

    @Test
    void aVerifiedNumberGetsItsOwnRecordWithTheIdMasked() throws Exception {
        String reply = answer(CITIZEN, "TC");
        assertTrue(reply.contains("Nguyễn Văn An"), reply);
        assertTrue(reply.contains("********2345"), reply);
        assertFalse(reply.contains("001087012345"), "the full ID never appears");
        assertEquals(reply, answer(CITIZEN, "TC 2345"));
        assertEquals(reply, answer(CITIZEN, "tc 001087012345"));
    }

    @Test
    void everyAuthorizationFailureGetsTheSameText() throws Exception {
        Map<String, String> replies = Map.of(
                "unverified", answer(UNVERIFIED, "TC"),
                "mismatched last four", answer(CITIZEN, "TC 9999"),
                "deceased", answer(DECEASED, "TC"),
                "not registered", answer(UNKNOWN, "TC"),
                "registered on another network", answer(OTHER_NETWORK, "TC"),
                "SIM changed 71 hours ago", answer(SWAPPED, "TC"),
                "SIM change date unknown", answer(SWAP_UNKNOWN, "TC"));
        replies.forEach((why, text) -> assertEquals(ReplyText.REFUSAL, text, why));
    }

    @Test
    void aRefusedSenderNeverReachesThePopulationDatabase() throws Exception {
        answer(UNVERIFIED, "TC");
        answer(CITIZEN, "TC 9999");
        answer(UNKNOWN, "TC CT");
        answer(SWAPPED, "TC NM");
        assertEquals(0, population.calls.get());
    }

    @Test
    void aSyntaxErrorTouchesNoDataSystem() throws Exception {
        assertEquals(ReplyText.INVALID_ID, answer(CITIZEN, "TC 12345"));
        assertEquals(ReplyText.HELP, answer(CITIZEN, "xin chao"));
        assertEquals(0, registry.calls.get());
        assertEquals(0, population.calls.get());
    }

    @Test
    void aFailingPopulationDatabaseGivesBusyNotSilence() throws Exception {
        population.failure = new IllegalStateException("connection refused");
        assertEquals(ReplyText.BUSY, answer(CITIZEN, "TC"));
    }

    @Test
    void khoaLocksTheRecordForEveryNumberBoundToItUntilAnAdminUnlocks() throws Exception {
        assertEquals(ReplyText.LOCK_CONFIRMED, answer(CITIZEN, "KHOA"));
        assertEquals(ReplyText.REFUSAL, answer(CITIZEN, "TC"));
        assertEquals(ReplyText.REFUSAL, answer(CITIZEN, "LS"));
        assertEquals(ReplyText.LOCK_CONFIRMED, answer(CITIZEN, "khoá"), "locking twice is harmless");
        assertEquals(ReplyText.REFUSAL, answer(UNVERIFIED, "KHOA"), "an unverified number may not lock");
        policyStore.unlock(PSEUDONYMS.id(ID).value());
        assertTrue(answer(CITIZEN, "TC").contains("Nguyễn Văn An"));
    }

    @Test
    void threeMismatchesLockTheSenderOutButNotTheRecord() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(ReplyText.REFUSAL, answer(GUESSER, "TC 999" + i));
        }
        Decision after = decide(GUESSER, "TC");
        assertEquals(ReplyText.REFUSAL, after.text());
        assertEquals(RefusalReason.LOCKED_OUT, after.reason());
        assertTrue(
                answer(CITIZEN, "TC").contains("Nguyễn Văn An"),
                "another number bound to the record is not locked out");
    }

    @Test
    void aTypedIdIsStoredOnlyAsItsPseudonymAndARecoveryDecidesFromThat() throws Exception {
        service.receive(sms(CITIZEN, "TC CT " + ID.digits())).await(5, TimeUnit.SECONDS);
        service.receive(sms(GUESSER, "TC 9991")).await(5, TimeUnit.SECONDS);
        service.receive(sms(CITIZEN, "TC NM " + ID.digits().substring(8))).await(5, TimeUnit.SECONDS);
        List<AcceptedRequest> stored = List.copyOf(requests.accepted);
        assertEquals(3, stored.size());
        for (AcceptedRequest r : stored) {
            String text = r.message().text();
            assertFalse(
                    text.contains(ID.digits().substring(8)) || text.contains("9991"),
                    "no typed digits stored: " + text);
        }
        // decided again from what was stored, as the recovery does after a crash
        assertEquals(
                Outcome.ANSWERED,
                service.decide(stored.get(0), false).await(5, TimeUnit.SECONDS).outcome());
        assertEquals(
                RefusalReason.ID_MISMATCH,
                service.decide(stored.get(1), false).await(5, TimeUnit.SECONDS).reason());
        assertEquals(
                Outcome.ANSWERED,
                service.decide(stored.get(2), false).await(5, TimeUnit.SECONDS).outcome());
    }

    @Test
    void aLookupTellsTheRecordsOtherVerifiedNumberOnceAnHourButNeverTheAskerNorAfterARefusal(Vertx vertx)
            throws Exception {
        PersonalId shared = PersonalId.of("001087099999");
        Msisdn alice = Msisdn.of("84912340001");
        Msisdn bob = Msisdn.of("84902340002");
        Msisdn carol = Msisdn.of("84912340003");
        Instant longAgo = Instant.parse("2024-01-01T00:00:00Z");
        registry.bindings.put(alice, new SubscriberBinding(alice, shared, "viettel", longAgo, longAgo));
        registry.bindings.put(bob, new SubscriberBinding(bob, shared, "mobifone", longAgo, longAgo));
        registry.bindings.put(carol, new SubscriberBinding(carol, shared, "viettel", null, longAgo));
        CitizenRecord own = population.records.get(ID);
        population.records.put(
                shared, new CitizenRecord(shared, false, own.identity(), own.residences(), own.relatives(), null));
        LookupService notifying = notifying(vertx, Map.of("viettel", "8088", "mobifone", "9099"));

        notifying.receive(sms(alice, "TC 0000")).await(5, TimeUnit.SECONDS);
        assertEquals(
                Outcome.REFUSED, audit.entries.get(audit.entries.size() - 1).outcome());
        assertEquals(List.of(), requests.notices, "a refused lookup read nothing: no notice");

        notifying.receive(sms(alice, "TC NM")).await(5, TimeUnit.SECONDS);
        AuditEntry looked = audit.entries.get(audit.entries.size() - 1);
        assertEquals(Outcome.ANSWERED, looked.outcome());
        assertEquals(1, requests.notices.size(), "one notice, to the other verified number only");
        InMemoryPorts.Requests.Notice notice = requests.notices.get(0);
        assertEquals(bob, notice.to());
        assertEquals("mobifone", notice.operatorId(), "through the recipient's operator");
        assertEquals("9099", notice.shortCode(), "from the short code configured for it");
        assertEquals(ReplyText.notice(alice, "SMS", "TC", "NM", looked.at()), notice.text());
        assertTrue(notice.text().contains("091*****01"), "the asking number only masked: " + notice.text());
        assertFalse(notice.text().contains(shared.digits().substring(8)), notice.text());

        notifying.receive(sms(alice, "TC CT")).await(5, TimeUnit.SECONDS);
        assertEquals(1, requests.notices.size(), "no second notice to the same number within the hour");

        AcceptedRequest history = notifying
                .receive(new InboundMessage("mobifone", "mobifone#1", Channel.SMS, bob, "9099", "LS", received))
                .await(5, TimeUnit.SECONDS);
        String when = notice.text().replaceAll(".* lúc ([0-9/]+ [0-9:]+) .*", "$1");
        assertTrue(
                requests.replies.get(history.id()).contains(when + " SMS TC NM (số khác)"),
                "LS shows the lookup the notice told of: " + requests.replies.get(history.id()));
        assertEquals(1, requests.notices.size(), "LS reads the audit, not the record: no notice");
    }

    /** The service with lookup notices sent from these short codes, per operator, and no reply hold. */
    private LookupService notifying(Vertx vertx, Map<String, String> noticeShortCodes) {
        return new LookupService(
                vertx,
                LookupOptions.defaults().withNoticeShortCodes(noticeShortCodes),
                PolicyOptions.defaults().withReplyHold(Duration.ZERO, Duration.ZERO),
                new LookupPorts(requests, registry, population, policyStore, audit),
                PSEUDONYMS,
                new OutboxSender(vertx, OutboxOptions.defaults(), requests, channel),
                LookupObserver.NONE,
                Clock.fixed(received.plusMillis(250), ZoneOffset.UTC));
    }

    @Test
    void aRecordTheRegistrySaysNoOtherNumberSharesIsAnsweredWithoutReadingItsNumbers(Vertx vertx) throws Exception {
        LookupService notifying = notifying(vertx, Map.of("viettel", "8088"));
        AcceptedRequest shared = notifying.receive(sms(CITIZEN, "TC")).await(5, TimeUnit.SECONDS);
        assertTrue(requests.replies.get(shared.id()).contains("Nguyễn Văn An"), requests.replies.get(shared.id()));
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.numbersOfReads.get() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !requests.notices.isEmpty());
        int told = requests.notices.size();

        SubscriberBinding bound = registry.bindings.get(CITIZEN);
        registry.bindings.put(
                CITIZEN,
                new SubscriberBinding(
                        CITIZEN, ID, bound.operatorId(), bound.verifiedAt(), bound.simChangedAt(), false));
        AcceptedRequest alone = notifying.receive(sms(CITIZEN, "TC CT")).await(5, TimeUnit.SECONDS);
        assertEquals(
                Outcome.ANSWERED, audit.entries.get(audit.entries.size() - 1).outcome());
        assertTrue(requests.replies.containsKey(alone.id()), "answered as any lookup");
        assertEquals(1, registry.numbersOfReads.get(), "no one else to tell: the record's numbers not read");
        assertEquals(told, requests.notices.size(), "and no notice");
    }

    @Test
    void aDecisionWhoseReadFailedIsNotStoredBusyWithTheAcceptButDecidedAgainOnceStored() throws Exception {
        registry.failNext.set(1);
        AcceptedRequest stored = service.receive(sms(CITIZEN, "TC")).await(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> requests.replies.containsKey(stored.id()));
        String reply = requests.replies.get(stored.id());
        assertTrue(reply.contains("Nguyễn Văn An"), "answered from a second decision, not busy: " + reply);
        assertTrue(
                requests.accepted.stream().anyMatch(r -> r.id() == stored.id()),
                "its request stored on its own first, as the two-step way does");
        assertEquals(2, registry.calls.get(), "read again once stored");
    }

    @Test
    void aRequestDecidedAgainRecordsItsMismatchAndCountsItsLimitsOnlyOnce() throws Exception {
        AcceptedRequest guess = new AcceptedRequest(++decided, sms(GUESSER, "TC 9990"));
        for (int i = 0; i < 3; i++) {
            // a recovery on another node deciding the same request as its stalled first decision
            assertEquals(
                    RefusalReason.ID_MISMATCH,
                    service.decide(guess, i == 0).await(5, TimeUnit.SECONDS).reason());
        }
        assertEquals(
                RefusalReason.ID_MISMATCH,
                decide(GUESSER, "TC 9991").reason(),
                "one request's three decisions are one mismatch, not a lockout");
        AcceptedRequest lookup = new AcceptedRequest(++decided, sms(CITIZEN, "TC NM"));
        assertEquals(
                Outcome.ANSWERED,
                service.decide(lookup, true).await(5, TimeUnit.SECONDS).outcome());
        for (int i = 0; i < 6; i++) {
            assertEquals(
                    Outcome.ANSWERED,
                    service.decide(lookup, false).await(5, TimeUnit.SECONDS).outcome(),
                    "decided again, counted once");
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(Outcome.ANSWERED, decide(CITIZEN, "TC NM").outcome(), "lookups 2 to 5 of the hour");
        }
        assertEquals(Outcome.THROTTLED, decide(CITIZEN, "TC NM").outcome(), "the sixth request of the hour");
        assertEquals(
                Outcome.THROTTLED,
                service.decide(lookup, false).await(5, TimeUnit.SECONDS).outcome(),
                "a request decided again is checked against the limits as they stand");
    }

    @Test
    void aLockedOutNumberIsToldSoEvenWhileTheSubscriberRegistryIsFailing() throws Exception {
        for (int i = 0; i < 3; i++) {
            answer(GUESSER, "TC 999" + i);
        }
        registry.failure = new IllegalStateException("registry down");
        Decision locked = decide(GUESSER, "TC");
        assertEquals(RefusalReason.LOCKED_OUT, locked.reason());
        Decision other = decide(CITIZEN, "TC");
        assertEquals(
                Outcome.BUSY,
                other.outcome(),
                "a number that is not locked out cannot be decided without the registry");
    }

    @Test
    void pastTheHourlyLimitTheSenderIsToldToTryLater() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertTrue(answer(CITIZEN, "TC NM").startsWith("Số ĐD"));
        }
        Decision sixth = decide(CITIZEN, "TC NM");
        assertEquals(
                ReplyText.limitReached(
                        false, received.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1))),
                sixth.text(),
                "the sender is told the hour they may try again");
        assertTrue(sixth.text().startsWith(ReplyText.HOURLY_LIMIT));
        assertEquals(Outcome.THROTTLED, sixth.outcome());
        assertEquals(ReplyText.HELP, answer(CITIZEN, "HD"), "help is never limited");
    }

    @Test
    void pastTheDailyLimitTheSenderIsToldToTryAgainFromTheirMidnight() throws Exception {
        Instant morning = Instant.parse("2026-12-07T01:30:00Z"); // 08:30 in Vietnam
        for (int hour = 0; hour < 4; hour++) {
            for (int i = 0; i < 5; i++) {
                assertEquals(
                        Outcome.ANSWERED,
                        decideAt(CITIZEN, "TC NM", morning.plus(Duration.ofHours(hour)))
                                .outcome(),
                        "lookup " + (hour * 5 + i + 1) + " of the day");
            }
        }
        Decision past = decideAt(CITIZEN, "TC NM", morning.plus(Duration.ofHours(4)));
        assertEquals(Outcome.THROTTLED, past.outcome(), "the 21st of the day, the first of its hour");
        assertEquals(
                ReplyText.DAILY_LIMIT + "00:00 ngày 08/12.",
                past.text(),
                "from midnight in Vietnam, not the busy text");
    }

    private Decision decideAt(Msisdn from, String text, Instant at) throws Exception {
        InboundMessage m = new InboundMessage("viettel", "viettel#1", Channel.SMS, from, "8088", text, at);
        return service.decide(new AcceptedRequest(++decided, m), true).await(5, TimeUnit.SECONDS);
    }

    @Test
    void pastTheOperatorsLimitPerMinuteEveryoneOnItIsToldToTryLater() throws Exception {
        int answered = 0;
        for (Msisdn m :
                List.of(CITIZEN, GUESSER, CITIZEN, GUESSER, CITIZEN, GUESSER, CITIZEN, GUESSER, CITIZEN, GUESSER)) {
            answered += answer(m, "TC").contains("Nguyễn Văn An") ? 1 : 0;
        }
        answered += answer(SWAPPED, "TC").equals(ReplyText.REFUSAL) ? 0 : 100;
        answered += answer(SWAP_UNKNOWN, "TC").equals(ReplyText.REFUSAL) ? 0 : 100;
        assertEquals(10, answered);
        assertEquals(Outcome.THROTTLED, decide(SWAPPED, "TC").outcome(), "the 13th lookup this minute");
    }

    @Test
    void historyListsEarlierAnsweredAccessesTellingThisNumberFromOthers() throws Exception {
        Instant t = Instant.parse("2026-11-20T03:15:00Z");
        audit.append(new AuditEntry(
                10,
                t,
                "viettel",
                "b",
                Channel.SMS,
                "TC",
                "CT",
                Outcome.ANSWERED,
                "",
                5,
                PSEUDONYMS.msisdn(CITIZEN),
                PSEUDONYMS.id(ID),
                "node-a"));
        audit.append(new AuditEntry(
                11,
                t.plusSeconds(60),
                "viettel",
                "b",
                Channel.USSD,
                "TC",
                "",
                Outcome.ANSWERED,
                "",
                5,
                PSEUDONYMS.msisdn(UNVERIFIED),
                PSEUDONYMS.id(ID),
                "node-a"));
        String reply = answer(CITIZEN, "LS");
        assertEquals("Tra cứu gần nhất: 20/11 10:16 USSD TC (số khác); 20/11 10:15 SMS TC CT (số này).", reply);
    }

    @Test
    void theAuditRecordsEachRequestOnceWithPseudonymsOnly(Vertx vertx, VertxTestContext test) {
        InboundMessage m = sms(CITIZEN, "TC 9999");
        service.receive(m)
                .onComplete(test.succeeding(accepted -> vertx.setPeriodic(10, timer -> {
                    if (!channel.delivered.isEmpty()) {
                        vertx.cancelTimer(timer);
                        test.verify(() -> {
                            assertEquals(1, audit.entries.size());
                            AuditEntry e = audit.entries.get(0);
                            assertEquals(Outcome.REFUSED, e.outcome());
                            assertEquals("ID_MISMATCH", e.reason());
                            assertEquals("viettel#1", e.bindId());
                            assertEquals(received.plusMillis(250), e.at(), "the time from the service's clock");
                            assertEquals(250, e.latencyMs());
                            assertEquals(PSEUDONYMS.msisdn(CITIZEN), e.msisdn());
                            assertFalse(e.toString().contains(CITIZEN.digits()));
                            assertFalse(e.toString().contains(ID.digits()));
                            assertEquals("sent", requests.state.get(accepted.id()));
                        });
                        test.completeNow();
                    }
                })));
    }

    @Test
    void theSendersBindingIsReadWhileTheAcceptCommitsAndOnlyForCommandsThatNeedIt(Vertx vertx, VertxTestContext test) {
        Promise<Void> commit = heldCommits();
        service.receive(sms(CITIZEN, "HD"));
        Future<AcceptedRequest> lookup = service.receive(sms(CITIZEN, "TC"));
        test.verify(() -> {
            assertFalse(lookup.isComplete(), "not acknowledged before its accept committed");
            assertEquals(1, registry.calls.get(), "the lookup's binding is read meanwhile; help reads nothing");
        });
        commit.complete();
        lookup.onComplete(test.succeeding(accepted -> vertx.setPeriodic(10, timer -> {
            if (requests.replies.size() == 2) {
                vertx.cancelTimer(timer);
                test.verify(() -> {
                    assertTrue(
                            requests.replies.get(accepted.id()).contains("Nguyễn Văn An"),
                            requests.replies.get(accepted.id()));
                    assertEquals(1, registry.calls.get(), "and not read again");
                });
                test.completeNow();
            }
        })));
    }

    @Test
    void aLookupIsDecidedWhileItsAcceptCommitsButAnsweredOnlyOnceItHas() {
        Promise<Void> commit = heldCommits();
        Future<AcceptedRequest> lookup = service.receive(sms(CITIZEN, "TC"));
        assertEquals(1, population.calls.get(), "the record is read while the accept commits");
        assertTrue(requests.replies.isEmpty(), "no reply to a request that is not durable yet");
        assertTrue(audit.entries.isEmpty());
        commit.complete();
        long id = lookup.result().id();
        assertTrue(requests.replies.get(id).contains("Nguyễn Văn An"), requests.replies.get(id));
        assertEquals(1, population.calls.get(), "and not read again");
    }

    @Test
    void aMismatchAndALockWaitUntilTheirRequestsAreDurable() {
        Promise<Void> commit = heldCommits();
        service.receive(sms(GUESSER, "TC 9999"));
        service.receive(sms(CITIZEN, "KHOA"));
        assertFalse(policyStore.counters.isEmpty(), "the mismatch's limits are counted meanwhile");
        assertTrue(
                policyStore.mismatches.isEmpty(),
                "a message the operator may have to send again is not a mismatch yet");
        assertTrue(policyStore.locked.isEmpty());
        commit.complete();
        assertEquals(Map.of(PSEUDONYMS.msisdn(GUESSER).value(), 1), policyStore.mismatches);
        assertEquals(1, policyStore.locked.size());
    }

    @Test
    void aRequestWhoseAcceptFailsGetsNoReplyAndLeavesNoMismatch() {
        Promise<Void> commit = heldCommits();
        Future<AcceptedRequest> guess = service.receive(sms(GUESSER, "TC 9999"));
        commit.fail(new IllegalStateException("disk full"));
        assertTrue(guess.failed(), "the operator is told it was not stored");
        assertTrue(policyStore.mismatches.isEmpty());
        assertTrue(requests.replies.isEmpty());
        assertTrue(audit.entries.isEmpty());
    }

    @Test
    void aQuickLookupIsStoredWithItsReplyAndEntryThenAcknowledgedAndSent() throws Exception {
        AcceptedRequest request = service.receive(sms(CITIZEN, "TC")).await(5, TimeUnit.SECONDS);
        assertEquals(1, requests.answeredWithAccept.get(), "stored with its answer");
        assertTrue(requests.replies.get(request.id()).contains("Nguyễn Văn An"));
        assertEquals(
                List.of(request.id()),
                audit.entries.stream().map(AuditEntry::requestId).toList());
        await().atMost(Duration.ofSeconds(5)).until(() -> channel.delivered.size() == 1);
        assertEquals(request.id(), channel.delivered.get(0).requestId());
    }

    @Test
    void aSlowDecisionHasItsRequestAcknowledgedFirstAndItsReplyAfter() throws Exception {
        LookupService patient = service(new LookupOptions(
                LookupOptions.DEFAULT_REPLY_VALIDITY,
                LookupOptions.DEFAULT_RECOVERY_GRACE,
                LookupOptions.DEFAULT_RECOVERY_INTERVAL,
                LookupOptions.DEFAULT_RECOVERY_BATCH,
                LookupOptions.DEFAULT_DUPLICATE_WINDOW,
                LookupOptions.DEFAULT_RECOVERY_LEASE,
                Duration.ofMillis(50),
                "node",
                Map.of()));
        Promise<Void> slowBackEnd = Promise.promise();
        population.answers = slowBackEnd.future();
        Future<AcceptedRequest> lookup = patient.receive(sms(CITIZEN, "TC"));
        // acknowledged while the population read is still under way
        AcceptedRequest request = lookup.await(5, TimeUnit.SECONDS);
        assertEquals(1, population.calls.get());
        assertTrue(requests.replies.isEmpty());
        slowBackEnd.complete();
        await().atMost(Duration.ofSeconds(5)).until(() -> channel.delivered.size() == 1);
        assertEquals(0, requests.answeredWithAccept.get(), "its request was stored on its own");
        assertTrue(requests.replies.get(request.id()).contains("Nguyễn Văn An"));
    }

    @Test
    void aRequestRefusedAtOnceIsNeitherReadNorCounted() {
        requests.committed = Future.failedFuture(new Overloaded("durable write queue"));
        Future<AcceptedRequest> lookup = service.receive(sms(CITIZEN, "TC"));
        assertTrue(
                lookup.failed() && lookup.cause() instanceof Overloaded, "throttled, for the operator to send again");
        assertEquals(0, registry.calls.get());
        assertEquals(0, population.calls.get());
        assertTrue(policyStore.counters.isEmpty(), "its sending again must not count twice");
    }

    /** From now on an accept completes only with the returned commit, as a real one waits for its flush. */
    private Promise<Void> heldCommits() {
        Promise<Void> commit = Promise.promise();
        requests.committed = commit.future();
        return commit;
    }

    /** Received at the test's one instant: its messages share each limit's window, even across the turn of a minute. */
    private InboundMessage sms(Msisdn from, String text) {
        return new InboundMessage("viettel", "viettel#1", Channel.SMS, from, "8088", text, received);
    }

    @Test
    void startAnswersWhatAPreviousRunLeftUnanswered(Vertx vertx, VertxTestContext test) {
        requests.accept(sms(CITIZEN, "HD"));
        service.start();
        vertx.setPeriodic(10, timer -> {
            if (requests.replies.containsKey(1L)) {
                vertx.cancelTimer(timer);
                service.stop();
                test.verify(() -> assertEquals(ReplyText.HELP, requests.replies.get(1L)));
                test.completeNow();
            }
        });
    }
}
