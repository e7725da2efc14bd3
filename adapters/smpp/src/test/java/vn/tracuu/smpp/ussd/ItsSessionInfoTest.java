package vn.tracuu.smpp.ussd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ItsSessionInfoTest {

    @Test
    void theSequenceSitsAboveTheEndFlag() {
        assertArrayEquals(new byte[] {(byte) 200, 0x07}, new ItsSessionInfo(200, 3, true).encode());
        assertEquals(
                new ItsSessionInfo(200, 3, true),
                ItsSessionInfo.parse(new byte[] {(byte) 200, 0x07}).orElseThrow());
        assertEquals(
                new ItsSessionInfo(9, 127, false),
                ItsSessionInfo.parse(new byte[] {9, (byte) 0xFE}).orElseThrow());
    }

    @Test
    void anAnswerKeepsTheDialogueAndAdvancesTheSequenceWithinSevenBits() {
        assertEquals(new ItsSessionInfo(9, 5, false), new ItsSessionInfo(9, 4, false).next(false));
        assertEquals(new ItsSessionInfo(9, 0, true), new ItsSessionInfo(9, 127, false).next(true));
    }

    @Test
    void anAbsentOrMisshapenValueIsNone() {
        assertTrue(ItsSessionInfo.parse(null).isEmpty());
        assertTrue(ItsSessionInfo.parse(new byte[] {1}).isEmpty());
        assertTrue(ItsSessionInfo.parse(new byte[] {1, 2, 3}).isEmpty());
    }
}
