package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.port.out.LookupObserver;
import vn.tracuu.core.port.out.RequestStore;

/** Records what an operator's delivery receipt says of a reply we sent. */
final class ReceiptRecorder {

    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final RequestStore requests;
    private final LookupObserver observer;

    ReceiptRecorder(Vertx vertx, RequestStore requests, LookupObserver observer) {
        this.vertx = vertx;
        this.requests = requests;
        this.observer = observer;
    }

    /**
     * A receipt can overtake the commit of the send it reports (the sent mark is group-committed
     * after the operator's response): an unknown id is looked for once more before it counts as
     * unknown.
     */
    Future<Boolean> record(DeliveryReceipt receipt) {
        return requests.receipt(receipt)
                .compose(known -> known
                        ? Future.succeededFuture(true)
                        : vertx.timer(RECHECK.toMillis()).compose(v -> requests.receipt(receipt)))
                .onSuccess(known -> observer.receipt(receipt.state(), known));
    }
}
