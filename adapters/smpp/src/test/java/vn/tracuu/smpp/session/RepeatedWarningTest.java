package vn.tracuu.smpp.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A failure repeated per message is one line a second, saying how many it covers. */
class RepeatedWarningTest {

    @Test
    void theFirstFailureIsALineAndTheNextOneASecondLaterCountsTheOthers() {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        RepeatedWarning warning = new RepeatedWarning(now::get);
        assertEquals(1, warning.count(), "the first is told at once");
        for (int i = 0; i < 99; i++) {
            now.addAndGet(1_000_000L);
            assertEquals(0, warning.count(), "within the second: no line");
        }
        now.addAndGet(901_000_000L);
        assertEquals(100, warning.count(), "a second after the last line: the 99 held back and this one");
        assertEquals(0, warning.count());
    }
}
