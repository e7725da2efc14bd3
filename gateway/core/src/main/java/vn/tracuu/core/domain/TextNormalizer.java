package vn.tracuu.core.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Folds Vietnamese text to upper-case ASCII: commands are case-, accent- and spacing-insensitive. */
public final class TextNormalizer {

    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");

    private TextNormalizer() {}

    /** Removes diacritics (đ/Đ included, which Unicode does not decompose) and keeps the case. */
    public static String stripDiacritics(String text) {
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
