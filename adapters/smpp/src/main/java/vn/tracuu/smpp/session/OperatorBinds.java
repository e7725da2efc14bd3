package vn.tracuu.smpp.session;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import vn.tracuu.core.port.out.OutboundReply;
import vn.tracuu.core.port.out.ReplyChannel;
import vn.tracuu.smpp.codec.CommandStatus;
import vn.tracuu.smpp.codec.SmppStatusException;

/**
 * Who is bound: the operators' live binds, the bind limits, and the reply channel over the
 * binds that can receive. Thread-safe: binds register from the server's event loop while the
 * outbox sender asks from its own.
 */
public final class OperatorBinds implements ReplyChannel {

    /** Why a bind was refused, for the log; the wire only ever sees ESME_RBINDFAIL. */
    public enum Refusal {
        UNKNOWN_SYSTEM_ID,
        WRONG_PASSWORD,
        ADDRESS_NOT_ALLOWED,
        /** The address or system_id failed recently: refused without a password check. */
        BACKING_OFF,
        TOO_MANY_BINDS,
        /** The operator binds over TLS only (its password would otherwise travel in clear). */
        NOT_OVER_TLS,
        /** The operator pinned a client certificate, and the connection presented another or none. */
        CLIENT_CERTIFICATE,
        /** The check itself failed (its pool refused it): refused without an answer on the password. */
        CHECK_FAILED
    }

    private final Map<String, OperatorOptions> bySystemId = new ConcurrentHashMap<>();
    private final Map<String, List<SmppSession>> binds = new ConcurrentHashMap<>();
    private final Map<String, OperatorOptions> byId = new ConcurrentHashMap<>();
    /** Counts of the binds that ended, by operator and role: received, throttled, delivered, throttled by peer, late. */
    private final Map<String, long[]> ended = new ConcurrentHashMap<>();

    private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);
    /** Failed attempts to connect and bind out, by operator. */
    private final Map<String, LongAdder> bindOutFailures = new ConcurrentHashMap<>();
    /** Requests answered with an error status (or generic_nack), by command_status. */
    private final Map<Integer, LongAdder> rejectedPdus = new ConcurrentHashMap<>();

    private final AtomicInteger roundRobin = new AtomicInteger();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private ConcatenatedParts parts;

    public OperatorBinds(List<OperatorOptions> operators) {
        for (Refusal r : Refusal.values()) {
            refusals.put(r, new LongAdder());
        }
        for (OperatorOptions op : operators) {
            bySystemId.put(op.systemId(), op);
            byId.put(op.id(), op);
            binds.put(op.id(), new CopyOnWriteArrayList<>());
            bindOutFailures.put(op.id(), new LongAdder());
        }
        for (int status : CommandStatus.ANSWERED) {
            rejectedPdus.put(status, new LongAdder());
        }
    }

    /** The one place where the parts of a citizen's long text meet, whichever binds they came on. */
    synchronized ConcatenatedParts concatenatedParts(Vertx vertx, SmppOptions options) {
        if (parts == null) {
            parts = new ConcatenatedParts(vertx, options.concatenationTimeout(), options.concatenationMaxPending());
        }
        return parts;
    }

    /** The operator whose system_id this is, when it binds to the gateway; else null. */
    OperatorOptions acceptingBinds(String systemId) {
        OperatorOptions op = bySystemId.get(systemId);
        return op != null && op.acceptsBinds() ? op : null;
    }

    /** Registers a bind whose credentials were checked, unless its operator has all the binds it may. */
    synchronized boolean register(SmppSession connection, OperatorOptions op) {
        List<SmppSession> current = binds.get(op.id());
        if (current.size() >= op.maxBinds()) {
            return false;
        }
        current.add(connection);
        return true;
    }

    /** A bind is up; a bind we opened registers here, one an operator opened did at authentication. */
    void bound(SmppSession connection) {
        if (connection.role() == SmppSession.Role.ESME) {
            binds.get(connection.operator().id()).add(connection);
        }
        offerForReplies(connection);
    }

    /** The bind can carry replies (again, after a silence): wakes what waits for a bind of its operator. */
    void offerForReplies(SmppSession connection) {
        if (connection.canSendReplies()) {
            listeners.forEach(l -> l.accept(connection.operator().id()));
        }
    }

    void unbound(SmppSession connection) {
        if (connection.operator() != null
                && binds.get(connection.operator().id()).remove(connection)) {
            BindSnapshot s = connection.snapshot();
            ended.merge(s.operatorId() + "/" + s.role(), counts(s), OperatorBinds::sum);
        }
    }

    /** A bind's counts in the order {@link #ended} keeps them. */
    private static long[] counts(BindSnapshot s) {
        return new long[] {
            s.messagesReceived(), s.messagesThrottled(), s.segmentsDelivered(), s.throttledByPeer(), s.lateResponses()
        };
    }

    private static long[] sum(long[] a, long[] b) {
        long[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b[i];
        }
        return out;
    }

    void refused(Refusal why) {
        refusals.get(why).increment();
    }

    /** An attempt to connect and bind out to the operator failed (refused, unreachable, timed out). */
    public void bindOutFailed(String operatorId) {
        bindOutFailures.get(operatorId).increment();
    }

    /** A request was answered with {@code status}, not ESME_ROK. */
    void rejected(int status) {
        rejectedPdus.computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    /** Requests answered with {@code status} since start, for the metrics. */
    public long rejectedPdus(int status) {
        LongAdder n = rejectedPdus.get(status);
        return n == null ? 0 : n.sum();
    }

    /** Binds refused for this reason since start, for the metrics. */
    public long refusals(Refusal why) {
        return refusals.get(why).sum();
    }

    /** Every configured operator in both roles, with its live binds and its counts since start. */
    public List<BindTotals> totals() {
        List<BindTotals> out = new ArrayList<>();
        for (OperatorOptions op : byId.values()) {
            for (SmppSession.Role role : SmppSession.Role.values()) {
                String roleName = role.name().toLowerCase(Locale.ROOT);
                long[] counts = ended.getOrDefault(op.id() + "/" + roleName, new long[5])
                        .clone();
                int up = 0;
                int outstanding = 0;
                for (SmppSession session : binds.get(op.id())) {
                    if (session.role() == role) {
                        BindSnapshot s = session.snapshot();
                        up++;
                        outstanding += s.outstanding();
                        counts = sum(counts, counts(s));
                    }
                }
                int configured = role == SmppSession.Role.SMSC
                        ? (op.acceptsBinds() ? op.maxBinds() : 0)
                        : op.bindOut().map(OutboundBindOptions::binds).orElse(0);
                out.add(new BindTotals(
                        op.id(),
                        roleName,
                        up,
                        configured,
                        counts[0],
                        counts[1],
                        counts[2],
                        counts[3],
                        counts[4],
                        role == SmppSession.Role.ESME
                                ? bindOutFailures.get(op.id()).sum()
                                : 0,
                        outstanding));
            }
        }
        return out;
    }

    /** Every live bind with its counters, for the admin endpoints; no personal data. */
    public List<BindSnapshot> snapshots() {
        return binds.values().stream()
                .flatMap(List::stream)
                .map(SmppSession::snapshot)
                .toList();
    }

    /** The operator ids from the configuration (as last reloaded). */
    @Override
    public List<String> operatorIds() {
        return List.copyOf(byId.keySet());
    }

    /** The operators as configured now. */
    public List<OperatorOptions> operators() {
        return List.copyOf(byId.values());
    }

    /** What a reload of the operators changed, by operator id. */
    public record Reconfiguration(List<String> added, List<String> removed, List<String> changed) {

        /** The operators whose binds end: removed, or bound under settings that changed. */
        public List<String> affected() {
            List<String> out = new ArrayList<>(removed);
            out.addAll(changed);
            return out;
        }
    }

    /**
     * Takes {@code next} as the operators from now on: a new bind is checked against them at
     * once. The binds of operators removed or changed (any setting: password, rate, addresses…) end
     * gracefully within {@code drainTimeout} and may bind again under the new settings; the others'
     * binds go on untouched.
     */
    public synchronized Reconfiguration reconfigure(List<OperatorOptions> next, Duration drainTimeout) {
        Map<String, OperatorOptions> nextById = new java.util.LinkedHashMap<>();
        next.forEach(op -> nextById.put(op.id(), op));
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        nextById.forEach((id, op) -> {
            OperatorOptions was = byId.get(id);
            if (was == null) {
                added.add(id);
            } else if (!was.equals(op)) {
                changed.add(id);
            }
        });
        byId.keySet().stream().filter(id -> !nextById.containsKey(id)).forEach(removed::add);
        bySystemId.clear();
        next.forEach(op -> bySystemId.put(op.systemId(), op));
        byId.keySet().retainAll(nextById.keySet());
        byId.putAll(nextById);
        for (String id : added) {
            binds.putIfAbsent(id, new CopyOnWriteArrayList<>());
            bindOutFailures.putIfAbsent(id, new LongAdder());
        }
        Reconfiguration r = new Reconfiguration(List.copyOf(added), List.copyOf(removed), List.copyOf(changed));
        // a removed operator's list stays until its binds have gone, which take themselves out of it
        r.affected().forEach(id -> binds.getOrDefault(id, List.of()).forEach(s -> s.drainAndUnbind(drainTimeout)));
        return r;
    }

    /** Live binds of an operator, for tests and the metrics endpoint. */
    public int bindCount(String operatorId) {
        List<SmppSession> list = binds.get(operatorId);
        return list == null ? 0 : list.size();
    }

    @Override
    public boolean canDeliver(String operatorId) {
        List<SmppSession> list = binds.get(operatorId);
        return list != null && list.stream().anyMatch(SmppSession::canSendReplies);
    }

    @Override
    public Future<List<String>> deliver(OutboundReply reply) {
        return receiving(reply.operatorId())
                .map(connection -> connection.deliver(reply))
                .orElseGet(() -> Future.failedFuture(new SmppStatusException(
                        CommandStatus.ESME_RBINDFAIL, "no receiving bind of " + reply.operatorId())));
    }

    /** A bind of the operator that can carry replies now, taken in turn. */
    Optional<SmppSession> receiving(String operatorId) {
        List<SmppSession> receivers = binds.getOrDefault(operatorId, List.of()).stream()
                .filter(SmppSession::canSendReplies)
                .toList();
        return receivers.isEmpty()
                ? Optional.empty()
                : Optional.of(receivers.get(Math.floorMod(roundRobin.getAndIncrement(), receivers.size())));
    }

    @Override
    public void onDeliveryAvailable(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Closes every bind at once. */
    public Future<Void> closeAll() {
        return Future.join(binds.values().stream()
                        .flatMap(List::stream)
                        .map(SmppSession::close)
                        .map(Function.<Future<Void>>identity())
                        .toList())
                .mapEmpty();
    }

    /**
     * Ends every bind gracefully: no new messages, in-flight ones stored and acknowledged, sent
     * replies answered, within {@code timeout}; then unbind. What is left waits in the outbox.
     */
    public Future<Void> drainAndUnbindAll(Duration timeout) {
        return Future.join(binds.values().stream()
                        .flatMap(List::stream)
                        .map(s -> s.drainAndUnbind(timeout))
                        .map(Function.<Future<Void>>identity())
                        .toList())
                .mapEmpty();
    }
}
