package vn.tracuu.core.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Folds Vietnamese text to upper-case ASCII: commands are case-, accent- and spacing-insensitive. */
public final class TextNormalizer {

    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    // Latin letters with diacritics, Vietnamese's included (U+1EA0 to U+1EF9), up to U+24FF
    private static final int TABLE_END = 0x2500;
    // each such character's accent-free form, worked out once with Normalizer: every reply to a
    // GSM-7 operator is folded, and Normalizer was 7 % of the JVM's samples under load
    private static final char[] FOLDED = new char[TABLE_END];

    static {
        for (char c = 0; c < TABLE_END; c++) {
            String folded = slowly(String.valueOf(c));
            // 0: not one character once folded (a lone combining mark, or a ligature): the slow way
            FOLDED[c] = folded.length() == 1 ? folded.charAt(0) : 0;
        }
    }

    private TextNormalizer() {}

    /** Removes diacritics (đ/Đ included, which Unicode does not decompose) and keeps the case. */
    public static String stripDiacritics(String text) {
        char[] out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                continue;
            }
            char folded = c < TABLE_END ? FOLDED[c] : 0;
            if (folded == 0) {
                return slowly(text);
            }
            if (folded != c) {
                if (out == null) {
                    out = text.toCharArray();
                }
                out[i] = folded;
            }
        }
        return out == null ? text : new String(out);
    }

    /** The reference: decompose, drop the marks; what the table was made from, and the way for the rest. */
    static String slowly(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        return COMBINING_MARKS
                .matcher(decomposed)
                .replaceAll("")
                .replace('đ', 'd')
                .replace('Đ', 'D');
    }

    /** Accent-free, upper-case, every run of non-alphanumeric characters as one space, trimmed. */
    public static String fold(String text) {
        String ascii = stripDiacritics(text).toUpperCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(ascii.length());
        boolean pendingSpace = false;
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                if (pendingSpace && out.length() > 0) {
                    out.append(' ');
                }
                pendingSpace = false;
                out.append(c);
            } else {
                pendingSpace = true;
            }
        }
        return out.toString();
    }
}
