package vn.tracuu.smpp.session;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The event-loop contexts binds are spread over, taken in turn. A bind lives on one of them for
 * its whole life (its PDUs stay in order, its state on one thread); different binds decode,
 * encode and write on different cores. Vert.x gives each instance of a deployment an event loop
 * of its own, in turn, as it does when a {@code NetServer} is scaled by deploying it several
 * times: that is how these are made, with no verticle code of ours beyond taking the context.
 */
public final class EventLoops {

    private final Vertx vertx;
    private final List<Context> contexts;
    // the deployment that made them; null for the caller's own context
    private final String deploymentId;
    private final AtomicInteger next = new AtomicInteger();

    private EventLoops(Vertx vertx, List<Context> contexts, String deploymentId) {
        this.vertx = vertx;
        this.contexts = List.copyOf(contexts);
        this.deploymentId = deploymentId;
    }

    /**
     * {@code count} event-loop contexts of their own; for one, {@code home} itself, so that binds and
     * the caller's work share a loop and hand each other messages without crossing threads.
     */
    public static Future<EventLoops> deploy(Vertx vertx, int count, Context home) {
        if (count == 1) {
            return Future.succeededFuture(new EventLoops(vertx, List.of(home), null));
        }
        List<Context> taken = new ArrayList<>();
        Supplier<Deployable> takeContext = () -> context -> {
            synchronized (taken) {
                taken.add(context);
            }
            return Future.succeededFuture();
        };
        return vertx.deployVerticle(takeContext, new DeploymentOptions().setInstances(count))
                .map(id -> {
                    synchronized (taken) {
                        return new EventLoops(vertx, taken, id);
                    }
                });
    }

    /** The context for the next bind. */
    public Context next() {
        return contexts.get(Math.floorMod(next.getAndIncrement(), contexts.size()));
    }

    public List<Context> all() {
        return contexts;
    }

    /** Gives the loops back, closing what was opened on them: once their binds have ended. */
    public Future<Void> close() {
        return deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
    }
}
