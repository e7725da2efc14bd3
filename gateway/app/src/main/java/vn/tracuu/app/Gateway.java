package vn.tracuu.app;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.app.admin.AdminServer;
import vn.tracuu.app.admin.GatewayMetrics;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.app.config.GatewayConfig.Backend;
import vn.tracuu.app.config.GatewayConfig.BackendSettings;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.domain.LogContext;
import vn.tracuu.core.guard.Guard;
import vn.tracuu.core.guard.GuardSnapshot;
import vn.tracuu.core.guard.GuardedPopulationDirectory;
import vn.tracuu.core.guard.GuardedSubscriberRegistry;
import vn.tracuu.core.lookup.LookupPorts;
import vn.tracuu.core.lookup.LookupService;
import vn.tracuu.core.outbox.OutboxSender;
import vn.tracuu.core.port.in.ConfinedReceiver;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.core.port.out.PopulationDirectory;
import vn.tracuu.core.port.out.SubscriberRegistry;
import vn.tracuu.core.ussd.UssdDialogues;
import vn.tracuu.http.HttpPopulationDirectory;
import vn.tracuu.http.HttpSubscriberRegistry;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.PostgresAuditLog;
import vn.tracuu.postgres.PostgresDatabase;
import vn.tracuu.postgres.PostgresPolicyStore;
import vn.tracuu.postgres.PostgresPopulationDirectory;
import vn.tracuu.postgres.PostgresRequestRetention;
import vn.tracuu.postgres.PostgresRequestStore;
import vn.tracuu.postgres.PostgresSubscriberRegistry;
import vn.tracuu.postgres.audit.AuditAnchors;
import vn.tracuu.smpp.client.SmscBinds;
import vn.tracuu.smpp.server.SmppServer;
import vn.tracuu.smpp.session.EventLoops;
import vn.tracuu.smpp.session.OperatorBinds;
import vn.tracuu.smpp.text.UssdText;

/** The composition root: adapters behind the core's ports, started in dependency order. */
public final class Gateway {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofHours(1);
    private static final Duration GAUGE_INTERVAL = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final GatewayConfig config;
    private final DatabaseOptions db;
    // where a reload reads the configuration again (the run command's file and environment)
    private volatile Supplier<GatewayConfig> configSource;
    private final PostgresDatabase database;
    private final PostgresPolicyStore policy;
    private final AuditAnchors anchors;
    private final AtomicLong lastAnchored = new AtomicLong();
    private final OperatorBinds binds;
    private final Guard populationGuard;
    private final Guard subscribersGuard;
    private final PostgresRequestStore requests;
    private final GatewayMetrics metrics;
    private AdminServer admin;
    private int adminPort = -1;
    private final OutboxSender outbox;
    private final LookupService lookup;
    private final SmppServer smpp;
    private final SmscBinds smscBinds;
    private final EventLoops loops;
    private final UssdDialogues ussd;
    private final List<Long> timers = new ArrayList<>();
    private int smppPort;

    /** The system property the log pattern names the node by (logback.xml). */
    private static final String NODE_LOG_PROPERTY = "tracuu.node";

    /** Names this node in every later log line: set as soon as the config is read. */
    public static void nameInLogs(GatewayConfig config) {
        System.setProperty(NODE_LOG_PROPERTY, config.lookup().nodeId());
        LogOutput.nameNode(NODE_LOG_PROPERTY, config.lookup().nodeId());
        LogContext.nameNode(config.lookup().nodeId());
    }

    private Gateway(Vertx vertx, GatewayConfig config, DatabaseOptions db) {
        nameInLogs(config);
        this.vertx = vertx;
        this.config = config;
        this.db = db;
        // blocking JDBC, once, at start: before the pool opens
        Pseudonymizer pseudonyms =
                AuditKeys.forDatabase(config.audit(), db, config.database().embedded());
        database = PostgresDatabase.open(vertx, db);
        LOG.info(
                "Vert.x on the {} transport; the database over {}",
                vertx.isNativeTransportEnabled() ? "native" : "NIO",
                PostgresDatabase.overUnixSocket(vertx, db) ? "its Unix socket" : "TCP");
        requests =
                new PostgresRequestStore(vertx, database.pool(), config.outbox().sentMarkLinger());
        policy = new PostgresPolicyStore(vertx, database.pool(), database.reads());
        anchors = new AuditAnchors(config.audit().anchorFile());
        binds = new OperatorBinds(config.smpp().operators());
        outbox = new OutboxSender(vertx, config.outbox(), requests, binds);
        // a circuit only before someone else's system: see Guard
        populationGuard = new Guard(
                vertx,
                "population",
                config.population().guard(),
                config.population().backend() == Backend.HTTP);
        subscribersGuard = new Guard(
                vertx,
                "subscribers",
                config.subscribers().guard(),
                config.subscribers().backend() == Backend.HTTP);
        LookupPorts ports = new LookupPorts(
                requests,
                new GuardedSubscriberRegistry(registry(vertx, config), subscribersGuard),
                new GuardedPopulationDirectory(population(vertx, config), populationGuard),
                policy,
                new PostgresAuditLog(vertx, database.pool()));
        metrics = GatewayMetrics.on(vertx, config.lookup().nodeId(), binds::totals, this::guards);
        lookup = new LookupService(
                vertx, config.lookup(), config.policy(), ports, pseudonyms, outbox, metrics, Clock.systemUTC());
        ussd = new UssdDialogues(vertx, config.ussd(), lookup, lookup, UssdText::width, Clock.systemUTC());
        metrics.ussdSessions(ussd::openSessions);
        metrics.bindRefusals(binds);
        metrics.outboxCounts(outbox);
        metrics.auditAnchor(lastAnchored::get);
        metrics.databasePool(database.pool()::size, db.poolSize(), db.readConnections());
        // the binds on every core, the core's state on this one context (ConfinedReceiver)
        Context core = vertx.getOrCreateContext();
        MessageReceiver receiver = new ConfinedReceiver(core, ussd);
        loops = EventLoops.deploy(vertx, config.smpp().eventLoopCount(), core).await();
        smpp = new SmppServer(vertx, loops, config.smpp(), binds, receiver);
        smscBinds = new SmscBinds(vertx, loops, config.smpp(), binds, receiver);
    }

    private PopulationDirectory population(Vertx vertx, GatewayConfig config) {
        return config.population().backend() == Backend.HTTP
                ? new HttpPopulationDirectory(vertx, config.population().http())
                : new PostgresPopulationDirectory(database.reads());
    }

    private SubscriberRegistry registry(Vertx vertx, GatewayConfig config) {
        BackendSettings s = config.subscribers();
        return s.backend() == Backend.HTTP
                ? new HttpSubscriberRegistry(
                        vertx,
                        s.http(),
                        s.simSwap(),
                        s.simChangeMode(),
                        config.policy().simChangeWindow())
                : new PostgresSubscriberRegistry(database.reads());
    }

    /** Where {@link #reload()} reads the configuration again. */
    public void reloadsFrom(Supplier<GatewayConfig> source) {
        configSource = source;
    }

    /**
     * Reads the configuration again and applies its operators section: operators added, removed
     * and changed (passwords, rates, addresses…) take effect at once; the binds of those removed or
     * changed end gracefully and may bind again, the others' go on. A configuration that does not
     * load is refused in one line and the running one stays. Other sections wait for a restart,
     * and the line says which changed.
     */
    public Future<String> reload() {
        Supplier<GatewayConfig> source = configSource;
        if (source == null) {
            return Future.failedFuture("reload refused: this gateway was not started from a configuration file");
        }
        GatewayConfig next;
        try {
            next = source.get();
        } catch (ConfigException e) {
            String refused = "reload refused: " + e.getMessage() + "; the running configuration stays";
            LOG.warn(refused);
            return Future.failedFuture(refused);
        }
        OperatorBinds.Reconfiguration change =
                binds.reconfigure(next.smpp().operators(), config.smpp().drainTimeout());
        smscBinds.reconfigure(next.smpp().operators(), change);
        List<String> waiting = ConfigDifference.besidesOperators(config, next);
        String done = "reloaded operators: added " + change.added() + ", removed " + change.removed() + ", changed "
                + change.changed() + " (their binds end and may bind again); "
                + (waiting.isEmpty()
                        ? "no other section changed"
                        : "changes to " + waiting + " apply at the next restart");
        LOG.info(done);
        return Future.succeededFuture(done);
    }

    /** The TLS listener's port for operators binding in; -1 without one. */
    public int smppTlsPort() {
        return smpp.tlsPort();
    }

    /** USSD dialogues open on this node. */
    public int openUssdSessions() {
        return ussd.openSessions();
    }

    /** The state and counters of the back-end guards (population, subscribers), for metrics. */
    public List<GuardSnapshot> guards() {
        return List.of(populationGuard.snapshot(), subscribersGuard.snapshot());
    }

    /**
     * The Vert.x the gateway runs on: a native transport (epoll) where the platform has one, else
     * NIO. Native sockets cost less per message, and only they reach the embedded database's
     * Unix socket. Its database pools and clients report into the gateway's metrics.
     */
    public static Vertx newVertx() {
        // one event loop per core (Vert.x would start two): the binds are spread over all of
        // them and the core's context is on one, so no loop is busy with a share of one core
        return GatewayMetrics.meteredVertx(new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
    }

    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, DatabaseOptions db) {
        Gateway gateway = new Gateway(vertx, config, db);
        gateway.outbox.start();
        gateway.lookup.start();
        gateway.startHousekeeping();
        gateway.smscBinds.start();
        Future<Integer> listening = config.smpp().acceptsBinds()
                ? gateway.smpp
                        .start()
                        .recover(e ->
                                Future.failedFuture(new ConfigException("smpp.port: the SMPP server cannot listen on "
                                        + config.smpp().host() + ":"
                                        + config.smpp().port() + " (" + e.getMessage()
                                        + "); choose a free port")))
                : Future.succeededFuture(0);
        return listening
                .compose(port -> {
                    gateway.smppPort = port;
                    if (port > 0) {
                        LOG.info("SMPP server listening on {}:{}", config.smpp().host(), port);
                        if (gateway.smpp.tlsPort() > 0) {
                            LOG.info("SMPP TLS listener on {}:{}", config.smpp().host(), gateway.smpp.tlsPort());
                        }
                    } else {
                        LOG.info("no operator binds in: SMPP listener off; binding out only");
                    }
                    return gateway.startAdmin();
                })
                .map(gateway)
                .onSuccess(g -> LOG.info(
                        "started: node {}, {} operator(s) configured",
                        config.lookup().nodeId(),
                        config.smpp().operators().size()));
    }

    private Future<Void> startAdmin() {
        if (!config.admin().enabled()) {
            return Future.succeededFuture();
        }
        admin = new AdminServer(
                vertx,
                config.admin(),
                config.lookup().nodeId(),
                metrics,
                requests::writable,
                () -> smppPort > 0 || !config.smpp().acceptsBinds(),
                binds::snapshots,
                smscBinds::slots,
                binds::operatorIds,
                this::reload);
        return admin.start()
                .recover(e -> Future.failedFuture(new ConfigException("admin.port: the admin listener cannot listen on "
                        + config.admin().host() + ":" + config.admin().port() + " (" + e.getMessage()
                        + "); choose a free port, or -1 to turn it off")))
                .map(port -> {
                    adminPort = port;
                    LOG.info("admin HTTP listening on {}:{}", config.admin().host(), port);
                    return null;
                });
    }

    private void startHousekeeping() {
        timers.add(vertx.setPeriodic(GAUGE_INTERVAL.toMillis(), id -> {
            requests.outboxState().onSuccess(metrics::outbox);
            requests.writable().onComplete(w -> metrics.databaseWritable(w.succeeded()));
        }));
        timers.add(vertx.setPeriodic(config.audit().anchorInterval().toMillis(), id -> anchor()));
        timers.add(vertx.setPeriodic(
                HOUSEKEEPING_INTERVAL.toMillis(),
                id -> policy.forgetExpired(config.policy().mismatchWindow())
                        .onFailure(err -> LOG.warn("expired policy state not removed: {}", err.toString()))));
        RetentionJob retention = new RetentionJob(
                vertx,
                new PostgresRequestRetention(database.pool()),
                config.retention().requests(),
                db,
                anchors,
                config.policy().auditRetention(),
                Clock.systemUTC(),
                metrics);
        timers.add(vertx.setPeriodic(HOUSEKEEPING_INTERVAL.toMillis(), id -> retention.run()));
    }

    /** Copies the audit chain head to the anchor file (blocking file and JDBC I/O: on a worker). */
    private Future<Long> anchor() {
        return vertx.executeBlocking(() -> anchors.anchor(db), false)
                .onSuccess(seq -> lastAnchored.set(Instant.now().getEpochSecond()))
                .onFailure(err -> LOG.warn("audit chain head not anchored: {}", err.toString()));
    }

    /** The admin HTTP port, or -1 when the listener is off. */
    public int adminPort() {
        return adminPort;
    }

    public int smppPort() {
        return smppPort;
    }

    public OperatorBinds binds() {
        return binds;
    }

    /**
     * Graceful stop (SIGTERM): no new binds or messages; within the drain timeout the accepted
     * messages are stored and acknowledged and the replies on the wire answered; then every bind
     * is unbound. Whatever is not sent by then waits in the outbox for the next start.
     */
    public Future<Void> stop() {
        LOG.info(
                "stopping: no new binds; draining {} bind(s) within {}",
                binds.snapshots().size(),
                config.smpp().drainTimeout());
        timers.forEach(vertx::cancelTimer);
        outbox.stop();
        Future<Void> adminStopped = admin == null ? Future.succeededFuture() : admin.stop();
        return adminStopped
                .eventually(smpp::stopListening)
                .eventually(() -> {
                    smscBinds.stopReconnecting();
                    return binds.drainAndUnbindAll(config.smpp().drainTimeout());
                })
                .eventually(smscBinds::close)
                .eventually(loops::close)
                .eventually(() -> {
                    LOG.info("binds drained; {} bind(s) left", binds.snapshots().size());
                    return lookup.stop(config.smpp().drainTimeout());
                })
                .eventually(this::anchor)
                // the sends acknowledged during the drain must be marked, or the next start sends them again
                .eventually(requests::drain)
                .eventually(() -> database.close())
                .andThen(done -> LOG.info("stopped"));
    }
}
