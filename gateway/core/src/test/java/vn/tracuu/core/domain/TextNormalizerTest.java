package vn.tracuu.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The table-driven folding gives exactly what Unicode decomposition gives, for every character. */
class TextNormalizerTest {

    @Test
    void everyCharacterFoldsAsNormalizerFoldsIt() {
        for (char c = 0; c < Character.MIN_SURROGATE; c++) {
            String one = String.valueOf(c);
            assertEquals(
                    TextNormalizer.slowly(one), TextNormalizer.stripDiacritics(one), "U+" + Integer.toHexString(c));
        }
    }

    @Test
    void vietnameseRepliesFoldAsBefore() {
        String reply = "Số ĐD ********2345. Nhóm máu: AB. Họ và tên: Nguyễn Thị Hồng Nhung, sinh ngày 01/02/1990";
        assertEquals(
                "So DD ********2345. Nhom mau: AB. Ho va ten: Nguyen Thi Hong Nhung, sinh ngay 01/02/1990",
                TextNormalizer.stripDiacritics(reply));
        // decomposed input (a base letter and its combining marks) goes the reference way
        String decomposed = java.text.Normalizer.normalize(reply, java.text.Normalizer.Form.NFD);
        assertEquals(TextNormalizer.slowly(decomposed), TextNormalizer.stripDiacritics(decomposed));
    }

    @Test
    void randomMixturesFoldAsTheReference() {
        SplittableRandom random = new SplittableRandom(91);
        String alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
                + "ĐÁÀẢÃẠ 0123456789.,:;/()-" + "\u0301\u0323ﬁ가";
        for (int n = 0; n < 2000; n++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(60); i > 0; i--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertEquals(
                    TextNormalizer.slowly(s.toString()), TextNormalizer.stripDiacritics(s.toString()), s.toString());
        }
    }

    @Test
    void plainAsciiIsReturnedAsItIs() {
        String ascii = "TC NM 1234";
        assertSame(ascii, TextNormalizer.stripDiacritics(ascii));
    }
}
