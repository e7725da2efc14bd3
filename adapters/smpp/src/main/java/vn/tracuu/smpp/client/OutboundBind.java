package vn.tracuu.smpp.client;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.domain.LogContext;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.SmppStatusException;
import vn.tracuu.smpp.session.OperatorBinds;
import vn.tracuu.smpp.session.OperatorOptions;
import vn.tracuu.smpp.session.OutboundBindOptions;
import vn.tracuu.smpp.session.SmppOptions;
import vn.tracuu.smpp.session.SmppSession;

/**
 * One bind the gateway holds to an operator's SMSC: connect, bind, and when the link drops or
 * the bind fails, try again after an exponential, jittered, capped delay on a Vert.x timer.
 * An SMSC that refuses the bind (ESME_RBINDFAIL: wrong credentials, too many binds) is asked
 * again only after {@code bind-refused-delay}, and each episode is logged once, not per attempt.
 */
final class OutboundBind {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundBind.class);

    private final Vertx vertx;
    private final Context context;
    private final NetClient client;
    private final SmppOptions options;
    private final OperatorBinds registry;
    private final MessageReceiver receiver;
    private final OperatorOptions operator;
    private final OutboundBindOptions target;
    private final String name;
    // written on the event loop, read by the admin listener
    private volatile int failures;
    private volatile boolean up;
    private volatile String lastError;
    private boolean refusedEpisode;
    private volatile boolean stopped;
    private long timer = -1;

    OutboundBind(
            Vertx vertx,
            Context context,
            NetClient client,
            SmppOptions options,
            OperatorBinds registry,
            MessageReceiver receiver,
            OperatorOptions operator,
            int index) {
        this.vertx = vertx;
        this.context = context;
        this.client = client;
        this.options = options;
        this.registry = registry;
        this.receiver = receiver;
        this.operator = operator;
        this.target = operator.bindOut().orElseThrow();
        this.name = operator.id() + " bind " + index + " to " + target.host() + ":" + target.port();
    }

    String operatorId() {
        return operator.id();
    }

    /** Connects on its event loop: the connection, its session and the retry timers stay there. */
    void start() {
        context.runOnContext(v -> connect());
    }

    void stop() {
        stopped = true;
        vertx.cancelTimer(timer);
    }

    private void connect() {
        if (stopped) {
            return;
        }
        client.connect(target.port(), target.host())
                .compose(socket -> SmppSession.bindOut(vertx, socket, options, registry, receiver, operator))
                .onComplete(done -> {
                    if (done.failed()) {
                        failed(done.cause());
                        return;
                    }
                    SmppSession session = done.result();
                    if (stopped) {
                        session.close();
                        return;
                    }
                    if (failures > 0 || refusedEpisode) {
                        LogContext.bind(
                                operator.id(),
                                name,
                                () -> LOG.info("{}: bound again after {} failed attempt(s)", name, failures));
                    }
                    failures = 0;
                    refusedEpisode = false;
                    up = true;
                    session.closedFuture().onComplete(x -> {
                        up = false;
                        if (!stopped) {
                            LogContext.bind(operator.id(), name, () -> LOG.warn("{}: link lost; binding again", name));
                            retryLater(false);
                        }
                    });
                });
    }

    BindOutSlot slot() {
        return new BindOutSlot(operator.id(), name, up, failures, lastError);
    }

    private void failed(Throwable cause) {
        lastError = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        registry.bindOutFailed(operator.id());
        boolean refused = cause instanceof SmppStatusException e && e.status() == CommandStatus.ESME_RBINDFAIL;
        if (refused && !refusedEpisode) {
            LogContext.bind(
                    operator.id(),
                    name,
                    () -> LOG.warn(
                            "{}: the SMSC refused the bind (ESME_RBINDFAIL); asking again every {} until it accepts",
                            name,
                            options.bindRefusedDelay()));
        } else if (!refused && failures == 0) {
            LogContext.bind(
                    operator.id(),
                    name,
                    () -> LOG.warn("{}: cannot bind: {}; retrying with backoff", name, cause.getMessage()));
        } else {
            LOG.debug("{}: attempt {} failed: {}", name, failures + 1, cause.getMessage());
        }
        refusedEpisode |= refused;
        retryLater(refused);
    }

    private void retryLater(boolean refused) {
        if (stopped) {
            return;
        }
        long delay = backoffMillis(
                failures,
                options.reconnectInitialDelay().toMillis(),
                options.reconnectMaxDelay().toMillis());
        if (refused) {
            delay = Math.max(delay, options.bindRefusedDelay().toMillis());
        }
        failures++;
        timer = vertx.setTimer(delay, id -> connect());
    }

    /** Exponential in the attempt number, capped, with "equal jitter": between half and all of it. */
    static long backoffMillis(int attempt, long initial, long max) {
        long full = Math.min(max, initial << Math.min(attempt, 30));
        long half = Math.max(1, full / 2);
        return half + ThreadLocalRandom.current().nextLong(full - half + 1);
    }
}
