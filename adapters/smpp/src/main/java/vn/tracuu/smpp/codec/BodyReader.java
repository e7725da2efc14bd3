package vn.tracuu.smpp.codec;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads SMPP 3.4 §3.1 field types from a PDU body, failing with the status the spec implies. */
final class BodyReader {

    private final Buffer body;
    private int pos;

    BodyReader(Buffer body) {
        this.body = body;
    }

    int u8() {
        need(1);
        return body.getUnsignedByte(pos++);
    }

    /** A C-Octet String of at most {@code max} octets including the terminating NUL. */
    String cString(int max) {
        return cString(max, CommandStatus.ESME_RINVMSGLEN);
    }

    /** As {@link #cString(int)}, failing with {@code tooLong} when no NUL comes within {@code max} octets. */
    String cString(int max, int tooLong) {
        int limit = Math.min(body.length(), pos + max);
        for (int i = pos; i < limit; i++) {
            if (body.getByte(i) == 0) {
                String s = body.getString(pos, i, StandardCharsets.ISO_8859_1.name());
                pos = i + 1;
                return s;
            }
        }
        throw new SmppStatusException(tooLong, "C-string without NUL within " + max + " octets");
    }

    byte[] bytes(int n) {
        need(n);
        byte[] out = body.getBytes(pos, pos + n);
        pos += n;
        return out;
    }

    boolean atEnd() {
        return pos >= body.length();
    }

    /** SMPP 3.4 §3.2.4: the remaining octets are tag, length, value triples. */
    Map<Integer, byte[]> tlvs() {
        Map<Integer, byte[]> tlvs = new LinkedHashMap<>();
        while (!atEnd()) {
            if (body.length() - pos < 4) {
                throw new SmppStatusException(CommandStatus.ESME_RINVOPTPARSTREAM, "truncated TLV header");
            }
            int tag = body.getUnsignedShort(pos);
            int length = body.getUnsignedShort(pos + 2);
            pos += 4;
            if (body.length() - pos < length) {
                throw new SmppStatusException(
                        CommandStatus.ESME_RINVPARLEN, "TLV 0x" + Integer.toHexString(tag) + " longer than the PDU");
            }
            tlvs.put(tag, bytes(length));
        }
        return tlvs;
    }

    private void need(int n) {
        if (body.length() - pos < n) {
            throw new SmppStatusException(CommandStatus.ESME_RINVMSGLEN, "PDU body ends early");
        }
    }
}
