package vn.tracuu.smpp.codec;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import vn.tracuu.smpp.session.ConcatenatedParts;
import vn.tracuu.smpp.text.InboundText;

/**
 * Bytes as a hostile peer would send them, through the framer, the decoders and the text
 * decoding: each may refuse with an {@link SmppStatusException} (a status on the wire), never
 * with anything else, and a decoded text carries no control character. In the normal build it
 * fuzzes for a bounded time (JAZZER_FUZZ is set by the module's fuzz execution); the seed corpus
 * of malformed classes and every finding live in {@code PduFuzzTestInputs} and replay as tests.
 */
class PduFuzzTest {

    private static final int MAX_PDU = 4096;

    @FuzzTest(maxDuration = "15s")
    void aPeersBytesGetAStatusOrAMessageNeverACrash(byte[] wire) {
        List<Pdu> pdus = new ArrayList<>();
        PduFramer framer = new PduFramer(MAX_PDU, pdus::add, length -> {});
        framer.handle(Buffer.buffer(wire));
        for (Pdu pdu : pdus) {
            try {
                switch (pdu.commandId()) {
                    case CommandId.BIND_TRANSMITTER, CommandId.BIND_RECEIVER, CommandId.BIND_TRANSCEIVER ->
                        PduCodec.decodeBind(pdu);
                    case CommandId.SUBMIT_SM, CommandId.DELIVER_SM -> readText(PduCodec.decodeShortMessage(pdu));
                    default -> PduCodec.decodeMessageId(pdu);
                }
            } catch (SmppStatusException refused) {
                // a negative status on the wire: what a malformed PDU should get
            }
        }
    }

    private static void readText(ShortMessage sm) {
        ConcatenatedParts.position(sm);
        String text = InboundText.decode(sm.dataCoding(), sm.userData(), sm.hasUdh());
        assertFalse(
                text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r'),
                "a control character reached the text");
    }
}
