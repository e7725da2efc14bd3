package vn.tracuu.core.port.in;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.function.Supplier;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.UssdInput;
import vn.tracuu.core.domain.UssdScreen;

/**
 * Hands every call to the core on the one context its state lives on. The binds run on several
 * event loops, one per core; the lookup's state (guards, dialogues, recent messages, the reply
 * holds) stays confined to one, so it needs no locks. A caller gets its future completed on
 * the core's context and hops back to its own, as it does for any adapter's answer.
 */
public final class ConfinedReceiver implements MessageReceiver {

    private final Context context;
    private final MessageReceiver core;

    public ConfinedReceiver(Context context, MessageReceiver core) {
        this.context = context;
        this.core = core;
    }

    @Override
    public Future<AcceptedRequest> receive(InboundMessage message) {
        return onContext(() -> core.receive(message));
    }

    @Override
    public Future<Boolean> receipt(DeliveryReceipt receipt) {
        return onContext(() -> core.receipt(receipt));
    }

    @Override
    public Future<Optional<UssdScreen>> ussd(UssdInput input) {
        return onContext(() -> core.ussd(input));
    }

    private <T> Future<T> onContext(Supplier<Future<T>> call) {
        if (Vertx.currentContext() == context) {
            return call.get();
        }
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> {
            Future<T> answer;
            try {
                answer = call.get();
            } catch (RuntimeException e) {
                answer = Future.failedFuture(e);
            }
            answer.onComplete(result);
        });
        return result.future();
    }
}
