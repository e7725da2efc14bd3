package vn.tracuu.app.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.DecisionReason;
import vn.tracuu.core.domain.DeliveryState;
import vn.tracuu.core.domain.RefusalReason;
import vn.tracuu.core.domain.audit.Outcome;
import vn.tracuu.core.guard.GuardSnapshot;
import vn.tracuu.core.outbox.OutboxSender;
import vn.tracuu.core.port.out.LookupObserver;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.session.BindTotals;
import vn.tracuu.smpp.session.OperatorBinds;

/**
 * The gateway's numbers in Prometheus form (Micrometer): requests by channel, command and
 * outcome; refusals by reason; reply latency; per-bind counters and window occupancy; outbox
 * depth and oldest age; the back-end guards. Labels never carry a number or an ID.
 */
public final class GatewayMetrics implements LookupObserver {

    // resilience4j's circuit states; DISABLED: a guard with no circuit (a back-end in our own database)
    private static final List<String> CIRCUIT_STATES =
            List.of("CLOSED", "OPEN", "HALF_OPEN", "DISABLED", "FORCED_OPEN", "METRICS_ONLY");

    // Vert.x's own meters, left out: sockets (their series would be per peer address) and the rest unused
    private static final List<MetricsDomain> VERTX_DOMAINS_OFF = List.of(
            MetricsDomain.NET_SERVER,
            MetricsDomain.NET_CLIENT,
            MetricsDomain.HTTP_SERVER,
            MetricsDomain.EVENT_BUS,
            MetricsDomain.DATAGRAM_SOCKET,
            MetricsDomain.VERTICLES);
    private static final Map<Vertx, PrometheusMeterRegistry> VERTX_REGISTRIES =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final PrometheusMeterRegistry registry;
    private final Timer latency;
    private final Timer processing;
    private final AtomicLong lastRetention = new AtomicLong();
    private final AtomicLong databaseWritable = new AtomicLong(1);
    private final MultiGauge guardState;
    private final AtomicReference<double[]> outbox = new AtomicReference<>(new double[] {0, 0});
    private final Supplier<List<BindTotals>> binds;
    private final Map<String, BindTotals> bindTotals = new ConcurrentHashMap<>();
    private final Map<String, GuardSnapshot> guardTotals = new ConcurrentHashMap<>();
    private final Supplier<List<GuardSnapshot>> guards;

    /**
     * {@code nodeId}: named by {@code tracuu_node_info{node="…"} 1}, an info metric to join on, as
     * each node is scraped as its own target (Prometheus gives every series its {@code instance}).
     */
    public GatewayMetrics(String nodeId, Supplier<List<BindTotals>> binds, Supplier<List<GuardSnapshot>> guards) {
        this(newRegistry(), nodeId, binds, guards);
    }

    /** A registry with its filters set before any meter is registered, as Micrometer requires. */
    private static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // what promtool's lint refuses in the binders' names: a unit abbreviated (ns; the CPU's share is
        // process_cpu_usage) and a gauge ending in _count
        registry.config()
                .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                    }
                });
        return registry;
    }

    /**
     * The gateway's metrics on {@code vertx}: in the registry that Vert.x reports its database pools
     * and clients into when it came from {@link #meteredVertx}, else in one of their own.
     */
    public static GatewayMetrics on(
            Vertx vertx, String nodeId, Supplier<List<BindTotals>> binds, Supplier<List<GuardSnapshot>> guards) {
        PrometheusMeterRegistry shared = VERTX_REGISTRIES.get(vertx);
        return shared == null
                ? new GatewayMetrics(nodeId, binds, guards)
                : new GatewayMetrics(shared, nodeId, binds, guards);
    }

    /**
     * A Vert.x that reports its pools (database connections in use, waiting) and HTTP clients
     * through Micrometer, into the registry {@link #on} then gives the gateway's metrics.
     */
    public static Vertx meteredVertx(VertxOptions options) {
        PrometheusMeterRegistry registry = newRegistry();
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true);
        VERTX_DOMAINS_OFF.forEach(metrics::addDisabledMetricsCategory);
        // the SQL clients' own meters: the pool and the read connections would share one series
        metrics.addDisabledMetricsCategory("sql");
        Vertx vertx = Vertx.builder()
                .with(options.setMetricsOptions(metrics))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        VERTX_REGISTRIES.put(vertx, registry);
        return vertx;
    }

    private GatewayMetrics(
            PrometheusMeterRegistry registry,
            String nodeId,
            Supplier<List<BindTotals>> binds,
            Supplier<List<GuardSnapshot>> guards) {
        this.registry = registry;
        latency = Timer.builder("tracuu.reply.latency")
                .description("from a request's arrival to its reply stored in the outbox")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        processing = Timer.builder("tracuu.processing")
                .description("from a request's arrival to its decision, without the reply hold: the work alone")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        guardState = MultiGauge.builder("tracuu.guard.circuit.state")
                .description(
                        "1 for the state the back-end's circuit is in (closed, open, half_open, disabled...), 0 for the others")
                .register(registry);
        Gauge.builder("tracuu.retention.last.run.timestamp.seconds", lastRetention, AtomicLong::get)
                .description("when the retention job last finished a pass (0: not yet)")
                .register(registry);
        Gauge.builder("tracuu.node.info", () -> 1)
                .tag("node", nodeId)
                .description("this gateway node's node.id")
                .register(registry);
        this.binds = binds;
        this.guards = guards;
        refreshBinds();
        refreshGuards(guards.get());
        Gauge.builder("tracuu.outbox.depth", outbox, o -> o.get()[0])
                .description("replies waiting to be sent")
                .register(registry);
        Gauge.builder("tracuu.outbox.oldest.age.seconds", outbox, o -> o.get()[1])
                .description("age of the oldest reply waiting to be sent")
                .register(registry);
        String version = GatewayMetrics.class.getPackage().getImplementationVersion();
        Gauge.builder("tracuu.build.info", () -> 1)
                .tag("version", version == null ? "dev" : version)
                .description("the running build's version")
                .register(registry);
        // the JVM and the process, as every Java service is watched
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        // every count present from the start, at zero: a rate over a series that appears with its
        // first event misses that event, and an alert cannot tell "none yet" from "not exported"
        for (Channel channel : Channel.values()) {
            for (String command : List.of("TC", "KHOA", "LS", "HD")) {
                for (Outcome outcome : Outcome.values()) {
                    requests(channel, command, outcome);
                }
            }
        }
        for (RefusalReason reason : RefusalReason.values()) {
            refusals(reason);
        }
        for (DeliveryState state : DeliveryState.values()) {
            receipts(state, true);
            receipts(state, false);
        }
        duplicates();
        for (String table : List.of("request", "notice", "audit")) {
            retentionRemoved(table);
        }
    }

    /**
     * The database pool: connections open now and the most it may open. vertx-pg-client 5.0 does
     * not tell how many are lent out at a moment; statements refused for a full pool show as
     * ESME_RTHROTTLED on the binds and "busy" replies.
     */
    public void databasePool(IntSupplier open, int max, int readConnections) {
        // strong reference: Micrometer holds a gauge's object weakly, and a method reference is collected at once
        Gauge.builder("tracuu.db.pool.connections", open, IntSupplier::getAsInt)
                .description("database connections open in the pool")
                .strongReference(true)
                .register(registry);
        Gauge.builder("tracuu.db.pool.max.connections", () -> max)
                .description("database.pool-size")
                .register(registry);
        Gauge.builder("tracuu.db.writable", databaseWritable, AtomicLong::get)
                .description("1 when the last check (every 5 s) found the database taking writes, else 0")
                .register(registry);
        Gauge.builder("tracuu.db.read.max.connections", () -> readConnections)
                .description("database.read-connections")
                .register(registry);
    }

    /** The latest check whether the database takes writes (a primary, not read-only). */
    public void databaseWritable(boolean writable) {
        databaseWritable.set(writable ? 1 : 0);
    }

    /**
     * Binds refused since start, by reason, and requests answered with an error status, by status;
     * every reason and every status the gateway sends present from the start.
     */
    public void bindRefusals(OperatorBinds binds) {
        for (OperatorBinds.Refusal reason : OperatorBinds.Refusal.values()) {
            FunctionCounter.builder("tracuu.bind.refusals", binds, b -> b.refusals(reason))
                    .description("binds refused, by reason (the wire only ever says ESME_RBINDFAIL)")
                    .tag("reason", reason.name())
                    .register(registry);
        }
        for (int status : CommandStatus.ANSWERED) {
            FunctionCounter.builder("tracuu.pdus.rejected", binds, b -> b.rejectedPdus(status))
                    .description("requests from peers answered with an error command_status (or generic_nack)")
                    .tag("status", CommandStatus.name(status))
                    .register(registry);
        }
    }

    /** The outbox's failures since start: replies expired unsent, sends failed and retried. */
    public void outboxCounts(OutboxSender outbox) {
        FunctionCounter.builder("tracuu.outbox.expired", outbox, OutboxSender::expiredReplies)
                .description("replies that expired before a bind could take them")
                .register(registry);
        FunctionCounter.builder("tracuu.outbox.send.failures", outbox, OutboxSender::failedSends)
                .description("reply sends that failed and were scheduled again")
                .register(registry);
    }

    /** When the audit chain's head was last copied to the anchor file, in epoch seconds (0: not yet). */
    public void auditAnchor(LongSupplier lastAnchored) {
        Gauge.builder("tracuu.audit.anchor.last.timestamp.seconds", lastAnchored, LongSupplier::getAsLong)
                .description("when the audit chain's head was last copied to audit.anchor-file (0: not yet)")
                .strongReference(true)
                .register(registry);
    }

    /** The USSD dialogues open on this node. */
    public void ussdSessions(IntSupplier open) {
        Gauge.builder("tracuu.ussd.sessions.open", open, IntSupplier::getAsInt)
                .description("USSD dialogues waiting on this node")
                .strongReference(true)
                .register(registry);
    }

    /** A retention pass over {@code table} removed {@code rows}; its time is the last purge's. */
    public void retained(String table, long rows, Instant at) {
        retentionRemoved(table).increment(rows);
        lastRetention.set(at.getEpochSecond());
    }

    private Counter retentionRemoved(String table) {
        return Counter.builder("tracuu.retention.removed")
                .description("rows removed by the retention job")
                .tag("table", table)
                .register(registry);
    }

    private Counter requests(Channel channel, String command, Outcome outcome) {
        return Counter.builder("tracuu.requests")
                .description("requests decided, by channel, command and outcome")
                .tags("channel", channel.name(), "command", command, "outcome", outcome.name())
                .register(registry);
    }

    private Counter refusals(DecisionReason reason) {
        return Counter.builder("tracuu.refusals")
                .description("requests refused, by reason")
                .tag("reason", reason.code())
                .register(registry);
    }

    private Counter receipts(DeliveryState state, boolean known) {
        return Counter.builder("tracuu.receipts")
                .description("delivery receipts from operators, by state and whether a reply had their id")
                .tags("state", state.name(), "known", Boolean.toString(known))
                .register(registry);
    }

    private Counter duplicates() {
        return Counter.builder("tracuu.inbound.duplicates")
                .description("retransmitted messages answered with the first request")
                .register(registry);
    }

    @Override
    public void answered(Channel channel, String command, Outcome outcome, DecisionReason reason, Duration took) {
        requests(channel, command, outcome).increment();
        if (outcome == Outcome.REFUSED) {
            refusals(reason).increment();
        }
        latency.record(took);
    }

    @Override
    public void decided(Channel channel, Duration took) {
        processing.record(took);
    }

    @Override
    public void duplicate() {
        duplicates().increment();
    }

    @Override
    public void receipt(DeliveryState state, boolean known) {
        receipts(state, known).increment();
    }

    /** The latest outbox figures: depth and the oldest reply's age in seconds. */
    public void outbox(double[] depthAndAge) {
        outbox.set(depthAndAge);
    }

    /** The Prometheus text exposition, with per-bind and guard rows taken now. */
    public String scrape() {
        refreshBinds();
        List<GuardSnapshot> g = guards.get();
        refreshGuards(g);
        guardState.register(
                g.stream()
                        .flatMap(s -> CIRCUIT_STATES.stream()
                                .map(state -> MultiGauge.Row.of(
                                        Tags.of("guard", s.name(), "state", state.toLowerCase(Locale.ROOT)),
                                        state.equals(s.circuitState()) ? 1.0 : 0.0)))
                        .<MultiGauge.Row<?>>map(row -> row)
                        .toList(),
                true);
        return registry.scrape();
    }

    /**
     * Reads every operator's binds now; the first time an operator and role is seen, registers its
     * series, which read these figures: one series per operator and role, never per connection.
     */
    private void refreshBinds() {
        for (BindTotals t : binds.get()) {
            String key = t.operatorId() + "/" + t.role();
            if (bindTotals.put(key, t) == null) {
                Tags tags = Tags.of("operator", t.operatorId(), "role", t.role());
                Gauge.builder("tracuu.binds", bindTotals, m -> m.get(key).up())
                        .description("binds up (role smsc: the operator bound to us; esme: we bound to it)")
                        .tags(tags)
                        .register(registry);
                Gauge.builder(
                                "tracuu.binds.configured",
                                bindTotals,
                                m -> m.get(key).configured())
                        .description("binds configured: max-binds for smsc, bind-out.binds for esme")
                        .tags(tags)
                        .register(registry);
                Gauge.builder(
                                "tracuu.bind.window.outstanding",
                                bindTotals,
                                m -> m.get(key).outstanding())
                        .description("PDUs sent and awaiting their response now")
                        .tags(tags)
                        .register(registry);
                bindCounter(key, tags, "tracuu.bind.messages.received", "messages taken", BindTotals::messagesReceived);
                bindCounter(
                        key,
                        tags,
                        "tracuu.bind.messages.throttled",
                        "messages answered ESME_RTHROTTLED",
                        BindTotals::messagesThrottled);
                bindCounter(
                        key,
                        tags,
                        "tracuu.bind.segments.delivered",
                        "reply segments the operator acknowledged",
                        BindTotals::segmentsDelivered);
                bindCounter(
                        key,
                        tags,
                        "tracuu.bind.throttled.by.operator",
                        "PDUs the operator answered ESME_RTHROTTLED or ESME_RMSGQFUL, resent later",
                        BindTotals::throttledByPeer);
                bindCounter(
                        key,
                        tags,
                        "tracuu.bind.out.failures",
                        "failed attempts to connect and bind out to the operator (role esme)",
                        BindTotals::bindOutFailures);
                bindCounter(
                        key,
                        tags,
                        "tracuu.bind.responses.late",
                        "responses after their timeout, ignored",
                        BindTotals::lateResponses);
            }
        }
    }

    /** As {@link #refreshBinds()}, for the guards' call counts: one series per guard and result. */
    private void refreshGuards(List<GuardSnapshot> now) {
        for (GuardSnapshot g : now) {
            if (guardTotals.put(g.name(), g) == null) {
                guardCounter(g.name(), "succeeded", GuardSnapshot::succeeded);
                guardCounter(g.name(), "failed", GuardSnapshot::failed);
                guardCounter(g.name(), "rejected_circuit", GuardSnapshot::rejectedByCircuit);
                guardCounter(g.name(), "rejected_quota", GuardSnapshot::rejectedByQuota);
                guardCounter(g.name(), "rejected_bulkhead", GuardSnapshot::rejectedByBulkhead);
                guardCounter(g.name(), "timed_out", GuardSnapshot::timedOut);
                guardCounter(g.name(), "retried", GuardSnapshot::retried);
            }
        }
    }

    private void guardCounter(String guard, String result, ToLongFunction<GuardSnapshot> count) {
        FunctionCounter.builder("tracuu.guard.calls", guardTotals, m -> count.applyAsLong(m.get(guard)))
                .description("calls to a back-end through its guard since start, by result")
                .tags("guard", guard, "result", result)
                .register(registry);
    }

    private void bindCounter(String key, Tags tags, String name, String help, ToLongFunction<BindTotals> count) {
        FunctionCounter.builder(name, bindTotals, m -> count.applyAsLong(m.get(key)))
                .description(help + ", since start")
                .tags(tags)
                .register(registry);
    }
}
