package vn.tracuu.core.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.port.Overloaded;
import vn.tracuu.core.port.TransientFailure;

class GuardTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    private static GuardOptions options(
            int perSecond,
            Duration maxWait,
            int concurrent,
            Duration timeout,
            int minimumCalls,
            Duration open,
            int retries) {
        return new GuardOptions(
                perSecond,
                maxWait,
                concurrent,
                timeout,
                50,
                Duration.ofSeconds(5),
                100,
                minimumCalls,
                open,
                retries,
                Duration.ofMillis(20),
                Duration.ZERO);
    }

    private static <T> Throwable failure(Future<T> f) throws Exception {
        f.otherwiseEmpty().await(10, TimeUnit.SECONDS);
        assertTrue(f.failed(), "expected a failure");
        return f.cause();
    }

    @Test
    void aCallPastTheQuotaThatWouldWaitLongerThanTheBudgetIsRefusedAtOnce() throws Exception {
        Guard guard = new Guard(
                vertx,
                "t",
                options(2, Duration.ofMillis(100), 10, Duration.ofSeconds(1), 100, Duration.ofSeconds(1), 0));
        AtomicInteger calls = new AtomicInteger();
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            results.add(guard.call(() -> {
                calls.incrementAndGet();
                return Future.succeededFuture("ok");
            }));
        }
        Future.join(results).otherwiseEmpty().await(5, TimeUnit.SECONDS);
        assertTrue(
                calls.get() <= 3, "at most the quota (and one refreshed permit) reached the back-end: " + calls.get());
        assertInstanceOf(GuardRejected.class, results.get(9).cause());
        assertTrue(guard.snapshot().rejectedByQuota() >= 7);
    }

    @Test
    void aSlowCallTimesOut() throws Exception {
        Guard guard = new Guard(
                vertx,
                "t",
                options(100, Duration.ofSeconds(1), 10, Duration.ofMillis(50), 100, Duration.ofSeconds(1), 0));
        Throwable e = failure(guard.call(() -> Promise.<String>promise().future()));
        assertTrue(e.getMessage().startsWith("timeout"), e.getMessage());
        assertEquals(1, guard.snapshot().timedOut());
        assertEquals(0, guard.snapshot().inFlight(), "the bulkhead is released on timeout");
    }

    @Test
    void pastTheBulkheadCallsAreRefusedAtOnce() throws Exception {
        Guard guard = new Guard(
                vertx,
                "t",
                options(100, Duration.ofSeconds(1), 2, Duration.ofSeconds(5), 100, Duration.ofSeconds(1), 0));
        Promise<String> hanging = Promise.promise();
        guard.call(hanging::future);
        guard.call(hanging::future);
        assertTrue(failure(guard.call(() -> Future.succeededFuture("x")))
                .getMessage()
                .startsWith("too many concurrent"));
        hanging.complete("done");
    }

    @Test
    void transientFailuresAreRetriedHonouringRetryAfter() throws Exception {
        Guard guard = new Guard(
                vertx,
                "t",
                options(100, Duration.ofSeconds(2), 10, Duration.ofSeconds(1), 100, Duration.ofSeconds(1), 2));
        AtomicInteger calls = new AtomicInteger();
        long started = System.nanoTime();
        String result = guard.call(() -> calls.incrementAndGet() < 3
                        ? Future.<String>failedFuture(new TransientFailure("503", Duration.ofMillis(200)))
                        : Future.succeededFuture("ok"))
                .await(5, TimeUnit.SECONDS);
        assertEquals("ok", result);
        assertEquals(3, calls.get());
        assertTrue(
                System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(400), "two Retry-After waits of 200 ms");
        assertEquals(2, guard.snapshot().retried());
    }

    @Test
    void aRetryAfterBeyondTheWaitBudgetIsNotWaitedFor() throws Exception {
        Guard guard = new Guard(
                vertx,
                "t",
                options(100, Duration.ofMillis(300), 10, Duration.ofSeconds(1), 100, Duration.ofSeconds(1), 2));
        AtomicInteger calls = new AtomicInteger();
        Throwable e = failure(guard.call(() -> {
            calls.incrementAndGet();
            return Future.<String>failedFuture(new TransientFailure("429", Duration.ofSeconds(5)));
        }));
        assertInstanceOf(TransientFailure.class, e);
        assertEquals(1, calls.get());
    }

    @Test
    void theGatewaysOwnFullQueuesDoNotOpenTheCircuit() throws Exception {
        Guard guard = new Guard(
                vertx,
                "t",
                options(1000, Duration.ofSeconds(1), 10, Duration.ofSeconds(1), 4, Duration.ofSeconds(10), 0));
        for (int i = 0; i < 8; i++) {
            assertInstanceOf(
                    Overloaded.class,
                    failure(guard.call(() -> Future.<String>failedFuture(new Overloaded("read queue")))));
        }
        assertEquals("CLOSED", guard.snapshot().circuitState(), "a backlog of ours says nothing of the back-end");
        assertEquals("x", guard.call(() -> Future.succeededFuture("x")).await(5, TimeUnit.SECONDS));
    }

    @Test
    void slowAnswersDuringTheWarmUpDoNotOpenTheCircuitButAfterItTheyDo() throws Exception {
        // slow past 50 ms; the circuit opens when half of 4 calls are; the first second is the warm-up
        GuardOptions warming = new GuardOptions(
                1000,
                Duration.ofSeconds(1),
                10,
                Duration.ofSeconds(1),
                50,
                Duration.ofMillis(50),
                50,
                4,
                Duration.ofSeconds(10),
                0,
                Duration.ofMillis(20),
                Duration.ofSeconds(1));
        AtomicLong clock = new AtomicLong();
        Guard guard = new Guard(vertx, "cold", warming, true, clock::get);
        // each answer takes 100 ms by the guard's clock
        Supplier<Future<String>> slow = () -> {
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
            return Future.succeededFuture("slow");
        };
        for (int i = 0; i < 6; i++) {
            assertEquals("slow", guard.call(slow).await(5, TimeUnit.SECONDS));
        }
        assertEquals("CLOSED", guard.snapshot().circuitState(), "six slow answers within the warm-up");
        clock.set(TimeUnit.SECONDS.toNanos(2));
        // the window holds the last 10 calls: six slow ones once warm are more than half
        for (int i = 0; i < 6; i++) {
            guard.call(slow).otherwiseEmpty().await(5, TimeUnit.SECONDS);
        }
        assertEquals("OPEN", guard.snapshot().circuitState(), "slow answers once warm open it");
    }

    @Test
    void aGuardWithoutCircuitCallsThroughFailuresAndSucceedsAtOnceWhenTheBackEndIsBack() throws Exception {
        Guard guard = new Guard(
                vertx,
                "own-database",
                options(1000, Duration.ofSeconds(1), 10, Duration.ofSeconds(1), 4, Duration.ofSeconds(10), 0),
                false);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            assertEquals(
                    "connection refused",
                    failure(guard.call(() -> {
                                calls.incrementAndGet();
                                return Future.<String>failedFuture(new IllegalStateException("connection refused"));
                            }))
                            .getMessage());
        }
        assertEquals(20, calls.get(), "every call reached the back-end");
        assertEquals(
                "recovered",
                guard.call(() -> Future.succeededFuture("recovered")).await(5, TimeUnit.SECONDS),
                "the first call after the outage is answered, not refused for an open period");
        assertEquals(21, guard.snapshot().succeeded() + guard.snapshot().failed());
    }

    @Test
    void aGuardBeforeTheGatewaysOwnDatabaseHasNoQuotaAndNoBulkhead() throws Exception {
        Guard guard = new Guard(
                vertx,
                "own-database",
                options(2, Duration.ofMillis(100), 1, Duration.ofSeconds(1), 100, Duration.ofSeconds(1), 0),
                false);
        Promise<String> slow = Promise.promise();
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // all ten in flight at once, past a bulkhead of one
            results.add(guard.call(() -> slow.future()));
        }
        slow.complete("ok");
        for (Future<String> r : results) {
            assertEquals("ok", r.await(5, TimeUnit.SECONDS), "a quota of 2 a second or a bulkhead of 1 would refuse");
        }
        assertEquals(0, guard.snapshot().rejectedByQuota());
        assertEquals(0, guard.snapshot().rejectedByBulkhead());
    }

    @Test
    void failuresOpenTheCircuitWhichThenRefusesWithoutCallingAndHalfOpensLater() throws Exception {
        Guard guard = new Guard(
                vertx,
                "t",
                options(1000, Duration.ofSeconds(1), 10, Duration.ofSeconds(1), 4, Duration.ofMillis(300), 0));
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            failure(guard.call(() -> {
                calls.incrementAndGet();
                return Future.<String>failedFuture(new IllegalStateException("500"));
            }));
        }
        assertEquals("OPEN", guard.snapshot().circuitState());
        assertTrue(failure(guard.call(() -> Future.succeededFuture("x")))
                .getMessage()
                .startsWith("circuit open"));
        assertEquals(4, calls.get(), "an open circuit does not call the back-end");
        long deadline = System.currentTimeMillis() + 5000;
        String result = null;
        while (result == null && System.currentTimeMillis() < deadline) {
            Future<String> probe = guard.call(() -> Future.succeededFuture("recovered"));
            probe.otherwiseEmpty().await(1, TimeUnit.SECONDS);
            result = probe.succeeded() ? probe.result() : null;
            if (result == null) {
                Promise<Void> pause = Promise.promise();
                vertx.setTimer(50, id -> pause.complete());
                pause.future().await(1, TimeUnit.SECONDS);
            }
        }
        assertEquals("recovered", result);
        assertTrue(List.of("HALF_OPEN", "CLOSED").contains(guard.snapshot().circuitState()));
    }
}
