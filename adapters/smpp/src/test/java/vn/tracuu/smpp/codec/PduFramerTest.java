package vn.tracuu.smpp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PduFramerTest {

    private final List<Pdu> pdus = new ArrayList<>();
    private final List<Integer> errors = new ArrayList<>();
    private final PduFramer framer = new PduFramer(4096, pdus::add, errors::add);

    @Test
    void reassemblesPdusSplitAcrossReadsAndSeparatesPdusSharingOne() {
        Buffer one = PduCodec.emptyResponse(CommandId.ENQUIRE_LINK, 0, 7);
        Buffer two = PduCodec.messageResponse(CommandId.SUBMIT_SM, 0, 8, "42");
        Buffer stream = Buffer.buffer().appendBuffer(one).appendBuffer(two);
        framer.handle(stream.getBuffer(0, 3));
        framer.handle(stream.getBuffer(3, 20));
        framer.handle(stream.getBuffer(20, stream.length()));
        assertEquals(2, pdus.size());
        assertEquals(7, pdus.get(0).sequence());
        assertEquals(CommandId.ENQUIRE_LINK, pdus.get(0).commandId());
        assertEquals(8, pdus.get(1).sequence());
        assertEquals(3, pdus.get(1).body().length(), "\"42\" and its NUL");
        assertTrue(errors.isEmpty());
    }

    @Test
    void aLengthUnderTheHeaderIsAFramingError() {
        framer.handle(Buffer.buffer().appendInt(8).appendInt(CommandId.ENQUIRE_LINK));
        assertEquals(List.of(8), errors);
        assertTrue(pdus.isEmpty());
    }

    @Test
    void anOversizedLengthIsRefusedFromItsFirstFourOctets() {
        framer.handle(Buffer.buffer().appendInt(Integer.MAX_VALUE));
        assertEquals(List.of(Integer.MAX_VALUE), errors);
        framer.handle(PduCodec.emptyResponse(CommandId.ENQUIRE_LINK, 0, 1));
        assertTrue(pdus.isEmpty(), "nothing is read after a framing error");
    }

    @Test
    void aNegativeLengthIsAFramingError() {
        framer.handle(Buffer.buffer().appendInt(0xFFFFFFF0));
        assertEquals(1, errors.size());
    }
}
