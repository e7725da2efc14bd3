package vn.tracuu.smpp.text;

import java.nio.charset.StandardCharsets;

/** How replies are encoded: accent-free GSM-7 (data_coding 0) or UCS-2 with diacritics (8). */
public enum Alphabet {
    GSM7(0x00, 160, 153),
    UCS2(0x08, 70, 67);

    private final int dataCoding;
    private final int singleLimit;
    private final int segmentLimit;

    Alphabet(int dataCoding, int singleLimit, int segmentLimit) {
        this.dataCoding = dataCoding;
        this.singleLimit = singleLimit;
        this.segmentLimit = segmentLimit;
    }

    /** The text's octets in this alphabet; GSM-7 expects text already folded to it. */
    public byte[] encode(String text) {
        return this == GSM7 ? Gsm7.encode(text) : text.getBytes(StandardCharsets.UTF_16BE);
    }

    public int dataCoding() {
        return dataCoding;
    }

    /** Characters (septets for GSM-7) in a message that fits one SMS. */
    public int singleLimit() {
        return singleLimit;
    }

    /** Characters per segment once a concatenation header takes its six octets (3GPP TS 23.040 §9.2.3.24.1). */
    public int segmentLimit() {
        return segmentLimit;
    }
}
