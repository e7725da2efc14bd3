package vn.tracuu.core.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.Msisdn;

class RecentMessagesTest {

    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();

    private static InboundMessage message(String from, String text) {
        return new InboundMessage("viettel", "bind-1", Channel.SMS, Msisdn.of(from), "8088", text, Instant.now());
    }

    private Future<AcceptedRequest> accept(RecentMessages recent, InboundMessage m) {
        return recent.acceptOnce(
                m,
                () -> Future.succeededFuture(new AcceptedRequest(accepted.incrementAndGet(), m)),
                duplicates::incrementAndGet);
    }

    @Test
    void aRetransmissionGetsTheFirstRequestBack() {
        RecentMessages recent = new RecentMessages(Duration.ofSeconds(10), 100);
        Future<AcceptedRequest> first = accept(recent, message("84912345678", "TC"));
        Future<AcceptedRequest> again = accept(recent, message("84912345678", "TC"));
        assertSame(first, again);
        assertEquals(1, accepted.get());
        assertEquals(1, duplicates.get());
    }

    @Test
    void anotherNumberOrAnotherTextIsANewRequest() {
        RecentMessages recent = new RecentMessages(Duration.ofSeconds(10), 100);
        accept(recent, message("84912345678", "TC"));
        accept(recent, message("84912345679", "TC"));
        accept(recent, message("84912345678", "TC CT"));
        assertEquals(3, accepted.get());
        assertEquals(0, duplicates.get());
    }

    @Test
    void aFailedAcceptIsForgottenSoTheRetransmissionIsStored() {
        RecentMessages recent = new RecentMessages(Duration.ofSeconds(10), 100);
        InboundMessage m = message("84912345678", "TC");
        recent.acceptOnce(m, () -> Future.failedFuture("database down"), duplicates::incrementAndGet);
        accept(recent, m);
        assertEquals(1, accepted.get());
        assertEquals(0, duplicates.get());
    }

    @Test
    void aZeroWindowNeverMerges() {
        RecentMessages recent = new RecentMessages(Duration.ZERO, 100);
        accept(recent, message("84912345678", "TC"));
        accept(recent, message("84912345678", "TC"));
        assertEquals(2, accepted.get());
    }

    @Test
    void theMemoryIsBounded() {
        RecentMessages recent = new RecentMessages(Duration.ofHours(1), 3);
        for (int i = 0; i < 10; i++) {
            accept(recent, message("8491234567" + i, "TC"));
        }
        assertEquals(3, recent.size());
    }
}
