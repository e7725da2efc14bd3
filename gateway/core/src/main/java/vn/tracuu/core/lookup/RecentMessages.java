package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.InboundMessage;

/**
 * The messages accepted in the last few seconds, so that an operator retransmitting one after a
 * lost response (SMPP gives it no other way to know) gets the same request back, not a second one.
 * Bounded: past {@code maxEntries} the oldest are forgotten early. Thread-safe.
 */
final class RecentMessages {

    static final int DEFAULT_MAX_ENTRIES = 100_000;

    private record Key(String operatorId, String channel, String sender, String shortCode, String text) {}

    private record Entry(long at, Future<AcceptedRequest> request) {}

    private final long windowNanos;
    private final int maxEntries;
    // insertion order is time order: expired entries are always at the head
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

    RecentMessages(Duration window, int maxEntries) {
        this.windowNanos = window.toNanos();
        this.maxEntries = maxEntries;
    }

    /** The request already accepted for an identical message within the window, else {@code accept}'s. */
    Future<AcceptedRequest> acceptOnce(
            InboundMessage m, Supplier<Future<AcceptedRequest>> accept, Runnable onDuplicate) {
        if (windowNanos == 0) {
            return accept.get();
        }
        Key key = new Key(m.operatorId(), m.channel().name(), m.sender().digits(), m.shortCode(), m.text());
        long now = System.nanoTime();
        Future<AcceptedRequest> fresh;
        synchronized (this) {
            forgetOlderThan(now - windowNanos);
            Entry seen = entries.get(key);
            if (seen != null) {
                onDuplicate.run();
                return seen.request();
            }
            fresh = accept.get();
            entries.put(key, new Entry(now, fresh));
        }
        // a failed accept was not a request: the retransmission must be able to try again
        fresh.onFailure(err -> forget(key, fresh));
        return fresh;
    }

    private synchronized void forget(Key key, Future<AcceptedRequest> request) {
        Entry e = entries.get(key);
        if (e != null && e.request() == request) {
            entries.remove(key);
        }
    }

    private void forgetOlderThan(long cutoff) {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Entry> e = it.next();
            if (e.getValue().at() >= cutoff && entries.size() < maxEntries) {
                return;
            }
            it.remove();
        }
    }

    synchronized int size() {
        return entries.size();
    }
}
