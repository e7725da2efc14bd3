package vn.tracuu.smpp.session;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The bind handshake's defence against password guessing and against a peer spending the
 * gateway's CPU. In order: the system_id must be an operator's and the source address in its
 * allow-list, or the bind is refused with no password work; an address or system_id that failed
 * a password check twice or more is refused without a check until its back-off ends; checks
 * from one address take turns, in a small pool of its own (PBKDF2 takes tens of milliseconds and
 * must neither block an event loop nor queue behind another address's guesses). Every refusal
 * is answered no sooner than {@code refusal-delay} after the bind arrived, so its timing does not
 * tell an unknown system_id from a wrong password. Memory is bounded: the failure records keep
 * the most recent {@link #MAX_RECORDS}.
 */
public final class BindGate {

    /** How many addresses and system_ids the failure records remember at most. */
    static final int MAX_RECORDS = 10_000;

    private static final int POOL_SIZE = 2;

    private final Vertx vertx;
    private final OperatorBinds binds;
    private final BindProtection protection;
    private final LongSupplier nanoTime;
    private final WorkerExecutor pool;
    private final Map<String, Failures> failures = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_RECORDS;
        }
    };
    /** Per address, the last check queued: the next one starts when it ends. */
    private final Map<String, Future<Void>> turns = new HashMap<>();

    /** Consecutive failed checks of one address or system_id, and when the last one failed. */
    private record Failures(int count, long lastNanos) {}

    /** What a bind attempt came to: the operator it binds as, or why it was refused. */
    public record Outcome(OperatorOptions operator, OperatorBinds.Refusal refusal) {}

    public BindGate(Vertx vertx, OperatorBinds binds, BindProtection protection) {
        this(vertx, binds, protection, System::nanoTime);
    }

    BindGate(Vertx vertx, OperatorBinds binds, BindProtection protection, LongSupplier nanoTime) {
        this.vertx = vertx;
        this.binds = binds;
        this.protection = protection;
        this.nanoTime = nanoTime;
        this.pool = vertx.createSharedWorkerExecutor("tracuu-bind-check", POOL_SIZE);
    }

    /** Checks a bind request from {@code address}; a refusal completes no sooner than the refusal delay. */
    public Future<Outcome> check(String systemId, String password, String address) {
        return check(systemId, password, address, PeerTls.PLAIN);
    }

    /**
     * As {@link #check(String, String, String)}, on a connection whose transport is {@code peer}:
     * an operator that binds over TLS only, or pinned a client certificate, is refused otherwise,
     * before any password work.
     */
    public Future<Outcome> check(String systemId, String password, String address, PeerTls peer) {
        long arrived = nanoTime.getAsLong();
        OperatorOptions op = binds.acceptingBinds(systemId);
        if (op == null) {
            failed("address " + address, arrived);
            return refused(OperatorBinds.Refusal.UNKNOWN_SYSTEM_ID, arrived);
        }
        if (!op.allows(address)) {
            failed("address " + address, arrived);
            return refused(OperatorBinds.Refusal.ADDRESS_NOT_ALLOWED, arrived);
        }
        if (op.requiresTls() && !peer.encrypted()) {
            return refused(OperatorBinds.Refusal.NOT_OVER_TLS, arrived);
        }
        if (!op.clientCertificateSha256().isEmpty()
                && !op.clientCertificateSha256().equals(peer.certificateSha256())) {
            // no back-off: nothing is guessed here, and the check costs no password work
            return refused(OperatorBinds.Refusal.CLIENT_CERTIFICATE, arrived);
        }
        String byAddress = "address " + address;
        String bySystemId = "system_id " + systemId;
        if (backingOff(byAddress, arrived) || backingOff(bySystemId, arrived)) {
            return refused(OperatorBinds.Refusal.BACKING_OFF, arrived);
        }
        // one check at a time per address: an operator's binds opened together take turns, and a
        // guesser's queue behind each other instead of in front of everyone else's
        Promise<Void> turn = Promise.promise();
        return takeTurn(address, turn.future()).compose(x -> {
            long now = nanoTime.getAsLong();
            if (backingOff(byAddress, now) || backingOff(bySystemId, now)) {
                endTurn(address, turn);
                return refused(OperatorBinds.Refusal.BACKING_OFF, arrived);
            }
            return pool.executeBlocking(() -> op.password().matches(password), false)
                    .transform(done -> {
                        endTurn(address, turn);
                        if (done.succeeded() && done.result()) {
                            succeeded(byAddress, bySystemId);
                            return Future.succeededFuture(new Outcome(op, null));
                        }
                        long failedAt = nanoTime.getAsLong();
                        failed(byAddress, failedAt);
                        failed(bySystemId, failedAt);
                        return refused(OperatorBinds.Refusal.WRONG_PASSWORD, arrived);
                    });
        });
    }

    public Future<Void> close() {
        return pool.close();
    }

    private Future<Outcome> refused(OperatorBinds.Refusal why, long arrived) {
        long waitNanos = arrived + protection.refusalDelay().toNanos() - nanoTime.getAsLong();
        Outcome refusal = new Outcome(null, why);
        if (waitNanos <= TimeUnit.MILLISECONDS.toNanos(1)) {
            return Future.succeededFuture(refusal);
        }
        Promise<Outcome> later = Promise.promise();
        vertx.setTimer(TimeUnit.NANOSECONDS.toMillis(waitNanos), id -> later.complete(refusal));
        return later.future();
    }

    private synchronized boolean backingOff(String key, long now) {
        Failures f = failures.get(key);
        return f != null && now - f.lastNanos() < backoffNanos(f.count());
    }

    /** None after one failure (a typo); then the back-off, doubled at each further failure, capped. */
    private long backoffNanos(int count) {
        if (count < 2) {
            return 0;
        }
        long base = protection.failureBackoff().toNanos();
        long max = protection.maxFailureBackoff().toNanos();
        int doublings = Math.min(count - 2, 30);
        return base > (max >> doublings) ? max : base << doublings;
    }

    private synchronized void failed(String key, long now) {
        Failures f = failures.get(key);
        boolean forgotten = f == null
                || now - f.lastNanos() > 2 * protection.maxFailureBackoff().toNanos();
        failures.put(key, new Failures(forgotten ? 1 : f.count() + 1, now));
    }

    private synchronized void succeeded(String byAddress, String bySystemId) {
        failures.remove(byAddress);
        failures.remove(bySystemId);
    }

    /** Queues a check behind the one running for {@code address}; completes when it may start. */
    private synchronized Future<Void> takeTurn(String address, Future<Void> mine) {
        Future<Void> previous = turns.getOrDefault(address, Future.succeededFuture());
        turns.put(address, mine);
        // a failed or refused predecessor still hands over its turn
        return previous.otherwiseEmpty().mapEmpty();
    }

    private synchronized void endTurn(String address, Promise<Void> turn) {
        turn.tryComplete();
        turns.remove(address, turn.future());
    }
}
