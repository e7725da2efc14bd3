package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.command.Command;
import vn.tracuu.core.command.CommandParser;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.RefusalReason;
import vn.tracuu.core.outbox.OutboxSender;
import vn.tracuu.core.port.MessageReceiver;
import vn.tracuu.core.port.PopulationDirectory;
import vn.tracuu.core.port.RequestStore;
import vn.tracuu.core.port.SubscriberRegistry;

/**
 * The lookup use case (DESIGN §4): accept durably, find the binding of the sender's number,
 * apply the policy, read only the requested topic, store the reply in the outbox.
 * An accepted request always gets a reply: a failing back-end yields the "busy" text, and a
 * request whose reply could not be stored is picked up again by the recovery scan.
 */
public final class LookupService implements MessageReceiver {

  private static final Logger LOG = LoggerFactory.getLogger(LookupService.class);

  private final Vertx vertx;
  private final LookupOptions options;
  private final RequestStore requests;
  private final SubscriberRegistry registry;
  private final PopulationDirectory population;
  private final OutboxSender outbox;
  private final CommandParser parser = new CommandParser();
  private final AccessPolicy policy = new AccessPolicy();
  private final Set<Long> inProgress = ConcurrentHashMap.newKeySet();
  private long recoveryTimer = -1;

  public LookupService(Vertx vertx, LookupOptions options, RequestStore requests, SubscriberRegistry registry,
      PopulationDirectory population, OutboxSender outbox) {
    this.vertx = vertx;
    this.options = options;
    this.requests = requests;
    this.registry = registry;
    this.population = population;
    this.outbox = outbox;
  }

  /** Finishes what a previous run left unanswered, then keeps checking periodically. */
  public void start() {
    recoverUnanswered();
    recoveryTimer = vertx.setPeriodic(options.recoveryInterval().toMillis(), id -> recoverUnanswered());
  }

  public void stop() {
    if (recoveryTimer >= 0) {
      vertx.cancelTimer(recoveryTimer);
    }
  }

  @Override
  public Future<AcceptedRequest> receive(InboundMessage message) {
    return requests.accept(message).onSuccess(this::process);
  }

  /** The reply text for a message; never fails: a failing back-end gives the "busy" text. */
  Future<String> answer(long requestId, InboundMessage message) {
    Command command = parser.parse(message.text());
    if (command instanceof Command.Lookup lookup) {
      return lookup(requestId, message, lookup).recover(err -> {
        LOG.warn("request {}: lookup failed, answering busy: {}", requestId, err.toString());
        return Future.succeededFuture(ReplyText.BUSY);
      });
    }
    if (command instanceof Command.InvalidId) {
      return Future.succeededFuture(ReplyText.INVALID_ID);
    }
    return Future.succeededFuture(ReplyText.HELP);
  }

  private Future<String> lookup(long requestId, InboundMessage message, Command.Lookup lookup) {
    return registry.byMsisdn(message.sender()).compose(binding -> {
      Optional<RefusalReason> refusal = policy.check(message, binding, lookup.idClaim());
      if (refusal.isPresent()) {
        return Future.succeededFuture(refuse(requestId, refusal.get()));
      }
      return population.find(binding.get().personalId(), lookup.topic()).map(record -> {
        if (record.isEmpty()) {
          return refuse(requestId, RefusalReason.NO_RECORD);
        }
        if (record.get().deceased()) {
          return refuse(requestId, RefusalReason.DECEASED_RECORD);
        }
        LOG.debug("request {}: {} answered for {}", requestId, lookup.topic(), message.sender().masked());
        return ReplyText.render(lookup.topic(), record.get());
      });
    });
  }

  private static String refuse(long requestId, RefusalReason reason) {
    LOG.info("request {}: refused ({})", requestId, reason);
    return ReplyText.REFUSAL;
  }

  private void process(AcceptedRequest request) {
    if (!inProgress.add(request.id())) {
      return;
    }
    answer(request.id(), request.message())
        .compose(text -> requests.reply(request, text, options.replyValidity()))
        .onComplete(done -> {
          inProgress.remove(request.id());
          if (done.succeeded()) {
            outbox.wake(request.message().operatorId());
          } else {
            LOG.warn("request {}: reply not stored, the recovery scan retries it: {}", request.id(), done.cause().toString());
          }
        });
  }

  private void recoverUnanswered() {
    requests.unanswered(options.recoveryGrace(), options.recoveryBatch())
        .onSuccess(list -> {
          if (!list.isEmpty()) {
            LOG.info("recovering {} accepted request(s) without a reply", list.size());
          }
          list.forEach(this::process);
        })
        .onFailure(err -> LOG.warn("recovery scan failed: {}", err.toString()));
  }
}
