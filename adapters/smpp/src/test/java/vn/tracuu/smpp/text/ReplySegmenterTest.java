package vn.tracuu.smpp.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.tracuu.smpp.codec.ShortMessage;

class ReplySegmenterTest {

    private static final String LONG_VIETNAMESE =
            ("Thường trú: Số 12 Trần Hưng Đạo, Phường Cầu Giấy, Hà Nội (từ 01/02/2010). "
                            + "Tạm trú: Số 7 Lý Thường Kiệt, Xã Yên Hòa, Thừa Thiên Huế (từ 14/12/2024). ")
                    .repeat(3);

    @Test
    void aShortGsmReplyIsOneSegmentWithoutHeaderAndWithoutAccents() {
        List<Segment> s = new ReplySegmenter(Alphabet.GSM7, Concatenation.UDH, 4).segment("Nhóm máu: O+.", 1);
        assertEquals(1, s.size());
        assertEquals(0, s.get(0).esmClass());
        assertEquals(0x00, s.get(0).dataCoding());
        assertEquals("Nhom mau: O+.", Gsm7.decode(s.get(0).payload(), 0));
    }

    @Test
    void aLongGsmReplyIsNumberedUdhSegmentsOf153SeptetsThatBreakBetweenWords() {
        List<Segment> s = new ReplySegmenter(Alphabet.GSM7, Concatenation.UDH, 8).segment(LONG_VIETNAMESE, 0x1234);
        assertTrue(s.size() >= 3, "456 characters need at least 3 segments");
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < s.size(); i++) {
            byte[] p = s.get(i).payload();
            assertEquals(ShortMessage.ESM_UDHI, s.get(i).esmClass());
            assertArrayEquals(
                    new byte[] {5, 0, 3, 0x34, (byte) s.size(), (byte) (i + 1)}, java.util.Arrays.copyOf(p, 6));
            assertTrue(p.length - 6 <= 153, "segment " + i + " has " + (p.length - 6) + " septets");
            String text = Gsm7.decode(p, 6);
            if (i < s.size() - 1) {
                assertTrue(text.endsWith(" "), "segment " + i + " breaks between words: [" + text + "]");
            }
            joined.append(text);
        }
        assertEquals(vn.tracuu.core.domain.TextNormalizer.stripDiacritics(LONG_VIETNAMESE), joined.toString());
    }

    @Test
    void ucs2KeepsDiacriticsIn67CharacterSegments() {
        List<Segment> s = new ReplySegmenter(Alphabet.UCS2, Concatenation.UDH, 8).segment(LONG_VIETNAMESE, 9);
        StringBuilder joined = new StringBuilder();
        for (Segment seg : s) {
            assertEquals(0x08, seg.dataCoding());
            byte[] p = seg.payload();
            assertTrue((p.length - 6) / 2 <= 67);
            joined.append(new String(p, 6, p.length - 6, StandardCharsets.UTF_16BE));
        }
        assertEquals(LONG_VIETNAMESE, joined.toString());
    }

    @Test
    void sarConcatenationCarriesTheNumberingInTlvs() {
        List<Segment> s = new ReplySegmenter(Alphabet.GSM7, Concatenation.SAR, 8).segment(LONG_VIETNAMESE, 0x0102);
        assertTrue(s.size() >= 3);
        for (int i = 0; i < s.size(); i++) {
            assertEquals(0, s.get(i).esmClass());
            assertArrayEquals(new byte[] {1, 2}, s.get(i).tlvs().get(ShortMessage.TAG_SAR_MSG_REF_NUM));
            assertArrayEquals(new byte[] {(byte) s.size()}, s.get(i).tlvs().get(ShortMessage.TAG_SAR_TOTAL_SEGMENTS));
            assertArrayEquals(new byte[] {(byte) (i + 1)}, s.get(i).tlvs().get(ShortMessage.TAG_SAR_SEGMENT_SEQNUM));
        }
    }

    @Test
    void pastTheMaximumTheReplyIsCutShortVisibly() {
        List<Segment> s = new ReplySegmenter(Alphabet.GSM7, Concatenation.UDH, 2).segment(LONG_VIETNAMESE, 1);
        assertEquals(2, s.size());
        String last = Gsm7.decode(s.get(1).payload(), 6);
        assertTrue(last.endsWith("..."), last);
        assertTrue(s.get(1).payload().length - 6 <= 153);
    }

    @Test
    void anExtensionCharacterIsNeverSplitFromItsEscape() {
        String text = "x".repeat(152) + "€" + "y".repeat(100);
        List<Segment> s = new ReplySegmenter(Alphabet.GSM7, Concatenation.UDH, 4).segment(text, 1);
        byte[] first = s.get(0).payload();
        assertTrue(first[first.length - 1] != Gsm7.ESCAPE, "no dangling escape at the end of a segment");
        assertEquals(text, Gsm7.decode(first, 6) + Gsm7.decode(s.get(1).payload(), 6));
    }
}
