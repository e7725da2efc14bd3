package vn.tracuu.smpp.text;

import java.io.ByteArrayOutputStream;

/**
 * The GSM 03.38 default alphabet and its extension table, one septet per octet (unpacked), as
 * SMPP carries {@code data_coding} 0. Extension characters take two septets (ESC + code).
 */
public final class Gsm7 {

    public static final int ESCAPE = 0x1B;

    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private static final String EXTENSION_CHARS = "\f^{}\\[~]|€";
    private static final int[] EXTENSION_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65};

    private Gsm7() {}

    /** Septets a character takes: 1 in the basic table, 2 in the extension table, 0 if unencodable. */
    public static int septets(char c) {
        if (c != ESCAPE && BASIC.indexOf(c) >= 0) {
            return 1;
        }
        return EXTENSION_CHARS.indexOf(c) >= 0 ? 2 : 0;
    }

    /** Encodes unpacked; a character outside both tables becomes '?'. */
    public static byte[] encode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int basic = c == ESCAPE ? -1 : BASIC.indexOf(c);
            if (basic >= 0) {
                out.write(basic);
                continue;
            }
            int ext = EXTENSION_CHARS.indexOf(c);
            if (ext >= 0) {
                out.write(ESCAPE);
                out.write(EXTENSION_CODES[ext]);
            } else {
                out.write(BASIC.indexOf('?'));
            }
        }
        return out.toByteArray();
    }

    public static String decode(byte[] septets, int offset) {
        StringBuilder out = new StringBuilder(septets.length);
        for (int i = offset; i < septets.length; i++) {
            int code = septets[i] & 0x7F;
            if (code == ESCAPE && i + 1 < septets.length) {
                int next = septets[++i] & 0x7F;
                char c = ' ';
                for (int e = 0; e < EXTENSION_CODES.length; e++) {
                    if (EXTENSION_CODES[e] == next) {
                        c = EXTENSION_CHARS.charAt(e);
                    }
                }
                out.append(c);
            } else {
                out.append(BASIC.charAt(code));
            }
        }
        return out.toString();
    }
}
