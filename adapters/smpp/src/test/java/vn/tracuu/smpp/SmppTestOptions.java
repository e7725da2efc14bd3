package vn.tracuu.smpp;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import vn.tracuu.smpp.session.BindProtection;
import vn.tracuu.smpp.session.EventLoops;
import vn.tracuu.smpp.session.OperatorOptions;
import vn.tracuu.smpp.session.SmppOptions;

/** SMPP options for tests: loopback, port 0, short timers; the rest at their defaults. */
public final class SmppTestOptions {

    private SmppTestOptions() {}

    public static SmppOptions of(
            int inboundWindow, int outboundWindow, Duration responseTimeout, List<OperatorOptions> operators) {
        return of(inboundWindow, outboundWindow, responseTimeout, SmppOptions.DEFAULT_ENQUIRE_LINK_INTERVAL, operators);
    }

    public static SmppOptions of(
            int inboundWindow,
            int outboundWindow,
            Duration responseTimeout,
            Duration enquireLinkInterval,
            List<OperatorOptions> operators) {
        return new SmppOptions(
                "127.0.0.1",
                0,
                "tracuu",
                1024,
                Duration.ofSeconds(10),
                inboundWindow,
                outboundWindow,
                responseTimeout,
                enquireLinkInterval,
                Duration.ofMillis(500),
                Duration.ofMillis(200),
                Duration.ofMillis(100),
                Duration.ofMillis(400),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                100,
                2,
                BindProtection.defaults(),
                operators,
                java.util.Optional.empty());
    }

    /** The event loops a test's server or bind-outs spread binds over, as the gateway makes them. */
    public static EventLoops eventLoops(Vertx vertx, SmppOptions options) throws Exception {
        return EventLoops.deploy(vertx, options.eventLoopCount(), vertx.getOrCreateContext())
                .await(10, TimeUnit.SECONDS);
    }
}
