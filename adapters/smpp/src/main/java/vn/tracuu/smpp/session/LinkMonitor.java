package vn.tracuu.smpp.session;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.port.Unanswered;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.PduCodec;

/**
 * Whether a bound session's peer is there and answering. SMPP 3.4 §4.11: a link idle for the
 * enquire_link interval is probed, and one whose probe goes unanswered is dead and closed. A
 * peer that leaves a reply's PDU unanswered is silent: its bind leaves the reply rotation until
 * the peer sends anything again. Runs on its session's context.
 */
final class LinkMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(LinkMonitor.class);

    private final Vertx vertx;
    private final SmppSession session;
    private final SmppOptions options;
    private long lastReceivedNanos = System.nanoTime();
    private long probeTimer = -1;
    private boolean probing;
    private volatile boolean silent;

    LinkMonitor(Vertx vertx, SmppSession session, SmppOptions options) {
        this.vertx = vertx;
        this.session = session;
        this.options = options;
    }

    /** Starts probing the link once the session is bound. */
    void start() {
        long interval = options.enquireLinkInterval().toMillis();
        probeTimer = vertx.setPeriodic(interval, id -> {
            if (probing
                    || !session.isBound()
                    || System.nanoTime() - lastReceivedNanos < TimeUnit.MILLISECONDS.toNanos(interval)) {
                return;
            }
            probing = true;
            session.request(
                            seq -> PduCodec.emptyResponse(CommandId.ENQUIRE_LINK, CommandStatus.ESME_ROK, seq),
                            options.enquireLinkTimeout())
                    .onComplete(done -> probing = false)
                    .onFailure(err -> {
                        if (session.isBound()) {
                            session.closeBecause("no answer to enquire_link within " + options.enquireLinkTimeout());
                        }
                    });
        });
    }

    void stop() {
        vertx.cancelTimer(probeTimer);
    }

    /** The peer sent a PDU: it is there; a silent bind is back. */
    void heard() {
        lastReceivedNanos = System.nanoTime();
        if (silent) {
            silent = false;
            LOG.info(
                    "operator {} ({}) answers again; back in the reply rotation",
                    session.operator().id(),
                    session.bindId());
            session.backInRotation();
        }
    }

    boolean silent() {
        return silent;
    }

    /**
     * A reply's PDU got no response in time: the bind leaves the reply rotation, and the replies
     * it still holds fail at once with {@link Unanswered} so the outbox sends them on another bind
     * of the operator, instead of each waiting out its own time-out.
     */
    void wentSilent() {
        if (silent || !session.isBound()) {
            return;
        }
        silent = true;
        LOG.warn(
                "operator {} ({}): no response within {}; out of the reply rotation until it answers",
                session.operator().id(),
                session.bindId(),
                options.responseTimeout());
        session.failReroutable(new Unanswered("bind " + session.bindId() + " stopped answering"));
    }
}
