package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;
import vn.tracuu.core.domain.AcceptedRequest;

/**
 * The accept of the message a decision is for, as the decision sees it: started already (the
 * request stored first), or deferred until the decision's answer is stored with it, unless
 * something needs the request's id before: a write keyed by the request, or a decision too slow
 * to keep the operator waiting for its acknowledgement.
 */
interface Acceptance {

    /** Completes once the request is stored, whichever way, or fails when it was not; starts nothing. */
    Future<AcceptedRequest> known();

    /** The stored request, for a write keyed by it: a deferred accept starts now. */
    Future<AcceptedRequest> request();

    static Acceptance started(Future<AcceptedRequest> accepted) {
        return new Acceptance() {
            @Override
            public Future<AcceptedRequest> known() {
                return accepted;
            }

            @Override
            public Future<AcceptedRequest> request() {
                return accepted;
            }
        };
    }

    /** An accept started only when asked for; confined to one context, as a decision is. */
    final class Deferred implements Acceptance {
        private final Supplier<Future<AcceptedRequest>> accept;
        private final Promise<AcceptedRequest> known = Promise.promise();
        private Future<AcceptedRequest> started;

        Deferred(Supplier<Future<AcceptedRequest>> accept) {
            this.accept = accept;
        }

        @Override
        public Future<AcceptedRequest> known() {
            return known.future();
        }

        @Override
        public Future<AcceptedRequest> request() {
            if (started == null) {
                started = accept.get();
                started.onComplete(known);
            }
            return started;
        }

        /** Whether the request was stored on its own, so the answer can no longer go with it. */
        boolean started() {
            return started != null;
        }

        /** The request is being stored with its answer instead. */
        void storedWithAnswer(Future<AcceptedRequest> stored) {
            stored.onComplete(known);
        }
    }
}
