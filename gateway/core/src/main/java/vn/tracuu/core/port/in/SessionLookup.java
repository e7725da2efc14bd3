package vn.tracuu.core.port.in;

import io.vertx.core.Future;
import vn.tracuu.core.domain.InboundMessage;

/**
 * A lookup answered on the citizen's open session instead of through the outbox: the same
 * identity, policy and audit as an SMS, the text handed back. Never fails: a failing back-end
 * gives the "busy" text.
 */
@FunctionalInterface
public interface SessionLookup {

    Future<String> answerInSession(InboundMessage message);
}
