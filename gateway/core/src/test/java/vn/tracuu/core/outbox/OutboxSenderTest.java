package vn.tracuu.core.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.port.OutboundReply;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.ReplyChannel;
import vn.tracuu.core.port.RequestStore;

@ExtendWith(VertxExtension.class)
class OutboxSenderTest {

  /** One pending reply; records the delays it was told to wait. */
  private static final class OneReply implements RequestStore {
    final List<Duration> delays = new ArrayList<>();
    boolean pending = true;
    boolean sent;

    @Override
    public synchronized Future<List<OutboundReply>> claimDue(String operatorId, int limit, Duration lease) {
      if (!pending) {
        return Future.succeededFuture(List.of());
      }
      pending = false;
      return Future.succeededFuture(List.of(new OutboundReply(1, "viettel", Msisdn.of("84912345678"), "8088", "x", delays.size(),
          Instant.now().plusSeconds(60))));
    }

    @Override
    public synchronized Future<Void> markSent(long requestId, List<String> messageIds) {
      sent = true;
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> receipt(DeliveryReceipt receipt) {
      return Future.succeededFuture(false);
    }

    @Override
    public synchronized Future<Void> retryLater(long requestId, Duration delay) {
      delays.add(delay);
      pending = true;
      return Future.succeededFuture();
    }

    @Override
    public Future<Integer> expireOverdue() {
      return Future.succeededFuture(0);
    }

    @Override
    public Future<AcceptedRequest> accept(InboundMessage message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<AcceptedRequest> acceptInSession(InboundMessage message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> reply(AcceptedRequest request, String text, Duration validity) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<AcceptedRequest>> unanswered(Duration olderThan, int limit) {
      return Future.succeededFuture(List.of());
    }
  }

  @Test
  void aFullWindowIsWaitedOutBrieflyWhileAFailureBacksOff(Vertx vertx, VertxTestContext test) {
    OneReply store = new OneReply();
    AtomicInteger calls = new AtomicInteger();
    ReplyChannel channel = new ReplyChannel() {
      @Override
      public boolean canDeliver(String operatorId) {
        return true;
      }

      @Override
      public Future<List<String>> deliver(OutboundReply reply) {
        return switch (calls.incrementAndGet()) {
          case 1 -> Future.failedFuture(new Overloaded("window"));
          case 2 -> Future.failedFuture(new IllegalStateException("ESME_RMSGQFUL"));
          default -> Future.succeededFuture(List.of());
        };
      }

      @Override
      public void onDeliveryAvailable(Consumer<String> listener) {
      }
    };
    OutboxOptions options = new OutboxOptions(List.of("viettel"), Duration.ofMillis(20), Duration.ofSeconds(30), 10,
        Duration.ofSeconds(2), Duration.ofMinutes(5));
    OutboxSender sender = new OutboxSender(vertx, options, store, channel);
    sender.start();
    sender.wake("viettel");
    vertx.setPeriodic(10, id -> {
      synchronized (store) {
        if (store.delays.size() >= 2 && !store.pending) {
          test.verify(() -> {
            assertTrue(store.delays.get(0).toMillis() < 200, "a full window is not a failure: " + store.delays.get(0));
            assertEquals(Duration.ofSeconds(4), store.delays.get(1), "a real failure backs off (second attempt: 2 s doubled)");
          });
          vertx.cancelTimer(id);
          sender.stop();
          test.completeNow();
        }
      }
    });
  }
}
