package vn.tracuu.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.codec.Pdu;
import vn.tracuu.smpp.codec.PduCodec;
import vn.tracuu.smpp.codec.ShortMessage;

class IndependentDecodingTest {

    private static ShortMessage reply(String to, int esmClass, byte[] text) {
        return new ShortMessage("", 5, 0, "1900", 1, 1, to, esmClass, 0, 0, "", "", 0, 0, 8, 0, text, Map.of());
    }

    private static Pdu framed(ShortMessage m) {
        Buffer whole = PduCodec.shortMessage(CommandId.DELIVER_SM, 7, m);
        return new Pdu(
                whole.getInt(4), whole.getInt(8), whole.getInt(12), whole.getBuffer(Pdu.HEADER_LENGTH, whole.length()));
    }

    @Test
    void jsmppReadsAWellFormedReplyAsTheDriverDoes() {
        byte[] text = "Ho ten: NGUYEN VAN A".getBytes(StandardCharsets.UTF_16BE);
        Pdu pdu = framed(reply("84912345678", 0, text));

        assertNull(IndependentDecoding.disagreement(pdu, PduCodec.decodeShortMessage(pdu)));
    }

    @Test
    void aReplyTheDriverMisreadsIsCaught() {
        byte[] text = "Ho ten: NGUYEN VAN A".getBytes(StandardCharsets.UTF_16BE);
        Pdu pdu = framed(reply("84912345678", 0, text));

        assertEquals("the recipient", IndependentDecoding.disagreement(pdu, reply("84912345670", 0, text)));
        assertEquals(
                "the UDH indicator",
                IndependentDecoding.disagreement(pdu, reply("84912345678", ShortMessage.ESM_UDHI, text)));
        assertEquals(
                "the short_message bytes",
                IndependentDecoding.disagreement(pdu, reply("84912345678", 0, new byte[] {0, 65})));
    }
}
