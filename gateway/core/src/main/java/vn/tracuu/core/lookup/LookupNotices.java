package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.outbox.OutboxSender;
import vn.tracuu.core.port.out.PolicyStore.Limit;

/**
 * Tells the other verified numbers bound to a record that it was just looked up, naming the
 * asking number only masked, at the time its audit entry holds (so {@code LS} and the notice
 * agree): at most once an hour per number (a counter beside the limits'), through the outbox
 * like a reply, from the short code configured for the recipient's operator (none: that
 * operator's numbers get no notice). After the reply is stored and best effort: a failure costs
 * the notice, never the reply; a crash between the two loses the notice.
 */
final class LookupNotices {

    private static final Logger LOG = LoggerFactory.getLogger(LookupNotices.class);
    private static final String NOTICE_HOUR = "notice-hour:";

    private final LookupOptions options;
    private final LookupPorts ports;
    private final Pseudonymizer pseudonyms;
    private final OutboxSender outbox;

    LookupNotices(LookupOptions options, LookupPorts ports, Pseudonymizer pseudonyms, OutboxSender outbox) {
        this.options = options;
        this.ports = ports;
        this.pseudonyms = pseudonyms;
        this.outbox = outbox;
    }

    /** After {@code m}'s answer is stored: completes with how many notices were stored. */
    Future<Integer> after(InboundMessage m, Decision decision, Instant at) {
        if (decision.lookedUp().isEmpty() || options.noticeShortCodes().isEmpty()) {
            return Future.succeededFuture(0);
        }
        PersonalId record = decision.lookedUp().get();
        String text = ReplyText.notice(m.sender(), m.channel().name(), decision.command(), decision.topic(), at);
        return ports.registry()
                .verifiedNumbersOf(record)
                .compose(bound -> {
                    List<Future<Boolean>> stored = new ArrayList<>();
                    for (SubscriberBinding b : bound) {
                        String shortCode = options.noticeShortCodes().get(b.operatorId());
                        if (!b.msisdn().equals(m.sender()) && shortCode != null) {
                            stored.add(noticeOncePerHour(b, shortCode, text, at));
                        }
                    }
                    return Future.all(stored).map(all ->
                            (int) stored.stream().filter(Future::result).count());
                })
                .onFailure(err -> LOG.warn("lookup notices not stored: {}", err.toString()));
    }

    private Future<Boolean> noticeOncePerHour(SubscriberBinding to, String shortCode, String text, Instant at) {
        Limit once =
                new Limit(NOTICE_HOUR + pseudonyms.msisdn(to.msisdn()).value(), at.truncatedTo(ChronoUnit.HOURS), 1);
        return ports.policy().count(List.of(once)).compose(first -> {
            if (!first) {
                return Future.succeededFuture(false);
            }
            return ports.requests()
                    .notice(to.operatorId(), to.msisdn(), shortCode, text, options.replyValidity())
                    .map(v -> {
                        outbox.wake(to.operatorId());
                        return true;
                    });
        });
    }
}
