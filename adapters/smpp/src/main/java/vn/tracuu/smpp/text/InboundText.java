package vn.tracuu.smpp.text;

import java.nio.charset.StandardCharsets;

/** Decodes a citizen's message by its SMPP 3.4 §5.2.19 data_coding, skipping a user data header. */
public final class InboundText {

    private InboundText() {}

    /**
     * The text, with every control character but tab and line breaks replaced by a space and every
     * unpaired UTF-16 surrogate by U+FFFD: a NUL (which PostgreSQL cannot store) or an escape
     * never reaches the store or a log, and the message is read as the citizen's words around it.
     */
    public static String decode(int dataCoding, byte[] userData, boolean hasUdh) {
        return printable(decoded(dataCoding, userData, hasUdh));
    }

    static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char replacement = c;
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                replacement = ' ';
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            } else if (Character.isSurrogate(c)) {
                replacement = '\uFFFD';
            }
            if (replacement != c && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(replacement);
            }
        }
        return out == null ? text : out.toString();
    }

    private static String decoded(int dataCoding, byte[] userData, boolean hasUdh) {
        int offset = 0;
        if (hasUdh && userData.length > 0) {
            offset = Math.min(userData.length, 1 + (userData[0] & 0xFF));
        }
        return switch (dataCoding) {
            // 0x0F: GSM-7 with the language unspecified, as USSD centres often mark a handset's string
            case 0x00, 0x0F -> Gsm7.decode(userData, offset);
            case 0x08 -> new String(userData, offset, evenLength(userData.length - offset), StandardCharsets.UTF_16BE);
            case 0x01 -> new String(userData, offset, userData.length - offset, StandardCharsets.US_ASCII);
            // 0x03 Latin-1, and the general data codings: read as Latin-1, which loses no octet
            default -> new String(userData, offset, userData.length - offset, StandardCharsets.ISO_8859_1);
        };
    }

    private static int evenLength(int n) {
        return n - (n % 2);
    }
}
