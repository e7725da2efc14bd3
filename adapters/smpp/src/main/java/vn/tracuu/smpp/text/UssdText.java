package vn.tracuu.smpp.text;

import vn.tracuu.core.domain.TextNormalizer;

/** A USSD screen's text on the wire: folded to accent-free GSM-7 unless the operator takes UCS-2. */
public final class UssdText {

    private UssdText() {}

    /**
     * The characters a handset shows for {@code text} at worst: GSM-7 septets of the folded text
     * (an extension character takes two), never fewer than the UCS-2 characters.
     */
    public static int width(String text) {
        String folded = TextNormalizer.stripDiacritics(text);
        int septets = 0;
        for (int i = 0; i < folded.length(); i++) {
            septets += Math.max(1, Gsm7.septets(folded.charAt(i)));
        }
        return Math.max(septets, text.length());
    }

    public static byte[] encode(Alphabet alphabet, String text) {
        return alphabet.encode(alphabet == Alphabet.GSM7 ? TextNormalizer.stripDiacritics(text) : text);
    }
}
