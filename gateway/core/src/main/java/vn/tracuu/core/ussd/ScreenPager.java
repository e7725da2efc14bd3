package vn.tracuu.core.ussd;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Cuts a text into USSD screens of at most {@code limit} characters as the handset will see
 * them ({@code width} measures that, e.g. GSM-7 septets after folding). Every screen but the last
 * ends with {@code footer}; breaks fall between words, and a word is cut only when it alone is
 * wider than a screen.
 */
public final class ScreenPager {

    private final int limit;
    private final String footer;
    private final ToIntFunction<String> width;

    public ScreenPager(int limit, String footer, ToIntFunction<String> width) {
        if (width.applyAsInt(footer) >= limit / 2) {
            throw new IllegalArgumentException("footer leaves too little of a " + limit + "-character screen");
        }
        this.limit = limit;
        this.footer = footer;
        this.width = width;
    }

    public List<String> pages(String text) {
        List<String> pages = new ArrayList<>();
        String rest = text.strip();
        while (width.applyAsInt(rest) > limit) {
            int room = limit - width.applyAsInt(footer);
            int end = fit(rest, room);
            pages.add(rest.substring(0, end).stripTrailing() + footer);
            rest = rest.substring(end).stripLeading();
        }
        pages.add(rest);
        return pages;
    }

    /** The longest prefix of {@code text} ending at a word boundary that is at most {@code room} wide. */
    private int fit(String text, int room) {
        int best = -1;
        for (int i = 1; i <= text.length(); i++) {
            boolean boundary = i == text.length() || Character.isWhitespace(text.charAt(i));
            if (!boundary) {
                continue;
            }
            if (width.applyAsInt(text.substring(0, i).stripTrailing()) > room) {
                break;
            }
            best = i;
        }
        if (best > 0) {
            return best;
        }
        // one word wider than the room: cut it where it still fits
        int cut = 1;
        while (cut < text.length() && width.applyAsInt(text.substring(0, cut + 1)) <= room) {
            cut++;
        }
        return cut;
    }
}
