package vn.tracuu.smpp.ussd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.UssdInput;
import vn.tracuu.core.domain.UssdScreen;
import vn.tracuu.smpp.codec.ShortMessage;
import vn.tracuu.smpp.text.Alphabet;
import vn.tracuu.smpp.text.Gsm7;

class UssdPdusTest {

    private static final Msisdn SENDER = Msisdn.of("84912345678");

    private static ShortMessage input(int op, int dataCoding, byte[] text, Map<Integer, byte[]> extra) {
        Map<Integer, byte[]> tlvs = new HashMap<>(extra);
        tlvs.put(ShortMessage.TAG_USSD_SERVICE_OP, new byte[] {(byte) op});
        return new ShortMessage(
                "USSD", 1, 1, "84912345678", 0, 0, "2024", 0, 0, 0, "", "", 0, 0, dataCoding, 0, text, tlvs);
    }

    @Test
    void theDefaultOpCodesAreSmpp34s() {
        Map<Integer, byte[]> none = Map.of();
        assertEquals(
                Optional.of(UssdInput.Kind.DIAL), UssdPdus.kind(UssdMapping.DEFAULT, input(1, 0, new byte[0], none)));
        assertEquals(
                Optional.of(UssdInput.Kind.ANSWER),
                UssdPdus.kind(UssdMapping.DEFAULT, input(18, 0, new byte[0], none)));
        assertEquals(
                Optional.of(UssdInput.Kind.ABORT),
                UssdPdus.kind(UssdMapping.DEFAULT, input(0x81, 0, new byte[0], none)));
        // a USSN confirm (19) is nothing the gateway answers
        assertEquals(Optional.empty(), UssdPdus.kind(UssdMapping.DEFAULT, input(19, 0, new byte[0], none)));
    }

    @Test
    void aVendorsOwnOpCodesAndSessionFieldAreHonoured() {
        UssdMapping vendor = new UssdMapping(
                "USSD2", UssdMapping.SessionIdField.USER_MESSAGE_REFERENCE, 0x10, 0x11, 0x12, 0x13, Set.of(0x20, 0x21));
        ShortMessage answer = input(
                0x13, 0, Gsm7.encode("2"), Map.of(ShortMessage.TAG_USER_MESSAGE_REFERENCE, new byte[] {0x01, 0x02}));
        assertEquals(Optional.of(UssdInput.Kind.ANSWER), UssdPdus.kind(vendor, answer));
        assertEquals(Optional.of(UssdInput.Kind.ABORT), UssdPdus.kind(vendor, input(0x21, 0, new byte[0], Map.of())));
        UssdInput in = UssdPdus.input(vendor, answer, UssdInput.Kind.ANSWER, "viettel", "b", SENDER);
        assertEquals("258", in.sessionId());
        assertEquals("2", in.text());

        ShortMessage screen = UssdPdus.screen(vendor, Alphabet.GSM7, answer, new UssdScreen("Tạm biệt", true));
        assertEquals("USSD2", screen.serviceType());
        assertArrayEquals(new byte[] {0x11}, screen.tlvs().get(ShortMessage.TAG_USSD_SERVICE_OP));
        assertArrayEquals(new byte[] {0x01, 0x02}, screen.tlvs().get(ShortMessage.TAG_USER_MESSAGE_REFERENCE));
    }

    @Test
    void aScreenEchoesTheSessionNumberAdvancesTheSequenceAndEndsOnTheLastScreen() {
        // session 42, sequence 3, not ended
        ShortMessage answer =
                input(18, 0, Gsm7.encode("1"), Map.of(ShortMessage.TAG_ITS_SESSION_INFO, new byte[] {42, 3 << 1}));
        assertEquals(
                "42",
                UssdPdus.input(UssdMapping.DEFAULT, answer, UssdInput.Kind.ANSWER, "v", "b", SENDER)
                        .sessionId());

        ShortMessage waiting =
                UssdPdus.screen(UssdMapping.DEFAULT, Alphabet.GSM7, answer, new UssdScreen("Menu", false));
        assertArrayEquals(new byte[] {2}, waiting.tlvs().get(ShortMessage.TAG_USSD_SERVICE_OP));
        assertArrayEquals(new byte[] {42, 4 << 1}, waiting.tlvs().get(ShortMessage.TAG_ITS_SESSION_INFO));
        assertEquals("USSD", waiting.serviceType());
        assertEquals("84912345678", waiting.destAddr());
        assertEquals("2024", waiting.sourceAddr());

        ShortMessage last = UssdPdus.screen(UssdMapping.DEFAULT, Alphabet.GSM7, answer, new UssdScreen("Hết", true));
        assertArrayEquals(new byte[] {17}, last.tlvs().get(ShortMessage.TAG_USSD_SERVICE_OP));
        assertArrayEquals(new byte[] {42, (4 << 1) | 1}, last.tlvs().get(ShortMessage.TAG_ITS_SESSION_INFO));
        assertEquals("Het", Gsm7.decode(last.shortMessage(), 0));
    }

    @Test
    void theHandsetsStringIsReadInEveryCodingAUssdCentreUses() {
        for (int coding : new int[] {0x00, 0x0F}) {
            assertEquals("*2024*2#", text(input(1, coding, Gsm7.encode("*2024*2#"), Map.of())));
        }
        assertEquals("*2024#", text(input(1, 0x01, "*2024#".getBytes(StandardCharsets.US_ASCII), Map.of())));
        assertEquals("*2024#", text(input(1, 0x08, "*2024#".getBytes(StandardCharsets.UTF_16BE), Map.of())));
    }

    @Test
    void aLongUcs2ScreenTravelsInMessagePayload() {
        ShortMessage in = input(1, 0, Gsm7.encode("*2024#"), Map.of());
        ShortMessage screen =
                UssdPdus.screen(UssdMapping.DEFAULT, Alphabet.UCS2, in, new UssdScreen("ồ".repeat(160), false));
        assertEquals(0, screen.shortMessage().length);
        assertEquals(320, screen.tlvs().get(ShortMessage.TAG_MESSAGE_PAYLOAD).length);
        assertEquals(0x08, screen.dataCoding());
    }

    @Test
    void onlyAMessageWithTheServiceOpIsUssd() {
        assertTrue(UssdPdus.isUssd(input(1, 0, new byte[0], Map.of())));
        assertFalse(UssdPdus.isUssd(new ShortMessage(
                "", 1, 1, "84912345678", 0, 0, "8088", 0, 0, 0, "", "", 0, 0, 0, 0, Gsm7.encode("TC"), Map.of())));
    }

    private static String text(ShortMessage sm) {
        return UssdPdus.input(UssdMapping.DEFAULT, sm, UssdInput.Kind.DIAL, "v", "b", SENDER)
                .text();
    }
}
