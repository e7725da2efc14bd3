package vn.tracuu.smpp.text;

import java.nio.charset.StandardCharsets;

/** Decodes a citizen's message by its SMPP 3.4 §5.2.19 data_coding, skipping a user data header. */
public final class InboundText {

    private InboundText() {}

    public static String decode(int dataCoding, byte[] userData, boolean hasUdh) {
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
