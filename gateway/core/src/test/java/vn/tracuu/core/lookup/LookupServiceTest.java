package vn.tracuu.core.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.CitizenRecord;
import vn.tracuu.core.domain.Gender;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.outbox.OutboxOptions;
import vn.tracuu.core.outbox.OutboxSender;

@ExtendWith(VertxExtension.class)
class LookupServiceTest {

  private static final Msisdn CITIZEN = Msisdn.of("84912345678");
  private static final Msisdn UNVERIFIED = Msisdn.of("84912345679");
  private static final Msisdn DECEASED = Msisdn.of("84912345670");
  private static final Msisdn OTHER_NETWORK = Msisdn.of("84912345671");
  private static final Msisdn UNKNOWN = Msisdn.of("84987654321");
  private static final PersonalId ID = PersonalId.of("001087012345");
  private static final PersonalId DEAD_ID = PersonalId.of("036150000001");

  private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
  private final InMemoryPorts.Population population = new InMemoryPorts.Population();
  private final InMemoryPorts.Requests requests = new InMemoryPorts.Requests();
  private final InMemoryPorts.Channel channel = new InMemoryPorts.Channel();
  private LookupService service;

  @BeforeEach
  void setUp(Vertx vertx) {
    Instant long_ago = Instant.parse("2024-01-01T00:00:00Z");
    registry.bindings.put(CITIZEN, new SubscriberBinding(CITIZEN, ID, "viettel", long_ago, long_ago));
    registry.bindings.put(UNVERIFIED, new SubscriberBinding(UNVERIFIED, ID, "viettel", null, long_ago));
    registry.bindings.put(DECEASED, new SubscriberBinding(DECEASED, DEAD_ID, "viettel", long_ago, long_ago));
    registry.bindings.put(OTHER_NETWORK, new SubscriberBinding(OTHER_NETWORK, ID, "mobifone", long_ago, long_ago));
    population.records.put(ID, new CitizenRecord(ID, false, new CitizenRecord.Identity("Nguyễn Văn An",
        LocalDate.of(1987, 3, 12), Gender.MALE, "Hà Nội", "Nam Định", "Kinh", "Việt Nam"), null, null, null));
    population.records.put(DEAD_ID, new CitizenRecord(DEAD_ID, true, null, null, null, null));
    OutboxSender outbox = new OutboxSender(vertx, OutboxOptions.defaults(List.of("viettel")), requests, channel);
    service = new LookupService(vertx, LookupOptions.defaults(), requests, registry, population, outbox);
  }

  private String answer(Msisdn from, String text) throws Exception {
    InboundMessage m = new InboundMessage("viettel", Channel.SMS, from, "8088", text, Instant.now());
    return service.answer(1, m).await(5, TimeUnit.SECONDS);
  }

  @Test
  void aVerifiedNumberGetsItsOwnRecordWithTheIdMasked() throws Exception {
    String reply = answer(CITIZEN, "TC");
    assertTrue(reply.contains("Nguyễn Văn An"), reply);
    assertTrue(reply.contains("********2345"), reply);
    assertTrue(!reply.contains("001087012345"), "the full ID never appears");
    assertEquals(reply, answer(CITIZEN, "TC 2345"));
    assertEquals(reply, answer(CITIZEN, "tc 001087012345"));
  }

  @Test
  void everyAuthorizationFailureGetsTheSameText() throws Exception {
    Map<String, String> replies = Map.of(
        "unverified", answer(UNVERIFIED, "TC"),
        "mismatched last four", answer(CITIZEN, "TC 9999"),
        "mismatched full ID", answer(CITIZEN, "TC 001087099999"),
        "deceased", answer(DECEASED, "TC"),
        "not registered", answer(UNKNOWN, "TC"),
        "registered on another network", answer(OTHER_NETWORK, "TC"));
    replies.forEach((why, text) -> assertEquals(ReplyText.REFUSAL, text, why));
  }

  @Test
  void aRefusedSenderNeverReachesThePopulationDatabase() throws Exception {
    answer(UNVERIFIED, "TC");
    answer(CITIZEN, "TC 9999");
    answer(UNKNOWN, "TC CT");
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
  void anAcceptedMessageIsAnsweredAndSentThroughTheOutbox(Vertx vertx, VertxTestContext test) {
    InboundMessage m = new InboundMessage("viettel", Channel.SMS, CITIZEN, "8088", "TC NM", Instant.now());
    service.receive(m).onComplete(test.succeeding(accepted -> vertx.setPeriodic(10, timer -> {
      if (!channel.delivered.isEmpty()) {
        vertx.cancelTimer(timer);
        test.verify(() -> {
          assertEquals(1, channel.delivered.size());
          assertEquals(CITIZEN, channel.delivered.get(0).recipient());
          assertEquals("8088", channel.delivered.get(0).shortCode());
          assertEquals("sent", requests.state.get(accepted.id()));
        });
        test.completeNow();
      }
    })));
  }

  @Test
  void startAnswersWhatAPreviousRunLeftUnanswered(Vertx vertx, VertxTestContext test) {
    requests.accept(new InboundMessage("viettel", Channel.SMS, CITIZEN, "8088", "HD", Instant.now()));
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
