package vn.tracuu.smpp.session;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import vn.tracuu.core.domain.InvalidOption;

/**
 * The {@code smpp} section: the listening socket, the per-bind bounds and timers both roles
 * share, the reconnect policy of binds the gateway opens, and the operators.
 */
public record SmppOptions(
        String host,
        int port,
        String systemId,
        int maxPduLength,
        Duration bindTimeout,
        int inboundWindow,
        int outboundWindow,
        Duration responseTimeout,
        Duration enquireLinkInterval,
        Duration enquireLinkTimeout,
        Duration throttleBackoff,
        Duration reconnectInitialDelay,
        Duration reconnectMaxDelay,
        Duration bindRefusedDelay,
        Duration drainTimeout,
        Duration concatenationTimeout,
        int concatenationMaxPending,
        int eventLoops,
        BindProtection bindProtection,
        List<OperatorOptions> operators,
        Optional<TlsListener> tls) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 2775;
    public static final String DEFAULT_SYSTEM_ID = "tracuu";
    public static final int DEFAULT_MAX_PDU_LENGTH = 4096;
    public static final Duration DEFAULT_BIND_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_INBOUND_WINDOW = 100;
    public static final int DEFAULT_OUTBOUND_WINDOW = 50;
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_ENQUIRE_LINK_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_ENQUIRE_LINK_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_THROTTLE_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RECONNECT_INITIAL_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(60);
    public static final Duration DEFAULT_BIND_REFUSED_DELAY = Duration.ofMinutes(5);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONCATENATION_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_CONCATENATION_MAX_PENDING = 1000;
    /**
     * 1: the binds on the lookup's own loop. On two cores beside PostgreSQL, one per core gave no
     * more throughput and a longer tail (docs/benchmarks.md, "Event loops"); 0: one per core.
     */
    public static final int DEFAULT_EVENT_LOOPS = 1;

    public SmppOptions {
        InvalidOption.inRange("port", port, 0, 65535);
        InvalidOption.inRange("maxPduLength", maxPduLength, 64, 1 << 20);
        InvalidOption.inRange("inboundWindow", inboundWindow, 1, 100_000);
        InvalidOption.inRange("outboundWindow", outboundWindow, 1, 100_000);
        Objects.requireNonNull(bindProtection, "bindProtection");
        Objects.requireNonNull(concatenationTimeout, "concatenationTimeout");
        InvalidOption.inRange("concatenationMaxPending", concatenationMaxPending, 1, 1_000_000);
        InvalidOption.inRange("eventLoops", eventLoops, 0, 256);
        operators = List.copyOf(operators);
        Objects.requireNonNull(tls, "tls");
    }

    /** The event loops binds are spread over: as configured, or one per core the JVM may use. */
    public int eventLoopCount() {
        return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    }

    /** Whether an operator pinned a client certificate, so the TLS listener asks for one. */
    public boolean asksClientCertificates() {
        return operators.stream().anyMatch(op -> !op.clientCertificateSha256().isEmpty());
    }

    /** Whether any operator may bind to the gateway, so the listener is needed. */
    public boolean acceptsBinds() {
        return operators.stream().anyMatch(OperatorOptions::acceptsBinds);
    }
}
