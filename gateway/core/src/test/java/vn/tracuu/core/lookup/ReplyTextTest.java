package vn.tracuu.core.lookup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.TextNormalizer;

class ReplyTextTest {

    /** Concatenated GSM-7 segments carry 153 characters each (3GPP TS 23.040 §9.2.3.24.1 header). */
    private static final int TWO_SEGMENTS = 2 * 153;

    @Test
    void helpNamesEveryCommandInTwoSegmentsAtMost() {
        String help = ReplyText.HELP;
        for (String command :
                new String[] {"TC ", "TC CT", "TC CM", "TC VC", "TC NM", "TC DD", "LS", "KHOA", "HD BM"}) {
            assertTrue(help.contains(command), "HD names " + command);
        }
        String folded = TextNormalizer.stripDiacritics(help);
        assertTrue(folded.length() <= TWO_SEGMENTS, folded.length() + " characters: " + folded);
    }
}
