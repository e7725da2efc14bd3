package vn.tracuu.core.ussd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.TextNormalizer;
import vn.tracuu.core.domain.UssdScreen;

class UssdMenuTest {

    private final UssdMenu menu = new UssdMenu("*2024#", new ScreenPager(160, UssdMenu.FOOTER, String::length));

    @Test
    void theServiceCodeOpensTheMenuWhichWaitsForAChoice() {
        UssdScreen screen = show(menu.dial("*2024#"));
        assertFalse(screen.last());
        assertTrue(
                screen.text().contains("1 Cơ bản")
                        && screen.text().contains("7 Lịch sử tra cứu")
                        && screen.text().contains("0 Thoát"),
                screen.text());
    }

    @Test
    void theMenuAndItsInvalidChoiceScreenFitOneScreen() {
        assertTrue(
                TextNormalizer.stripDiacritics(UssdMenu.INVALID + UssdMenu.MENU).length() <= 160);
    }

    @Test
    void aChoiceAsksForItsLookupAndAShortAnswerIsTheFinalScreen() {
        menu.dial("*2024#");
        assertEquals(UssdMenu.Choice.RESIDENCE, lookup(menu.answer("2")));
        UssdScreen answer = menu.answered("Số ĐD ********1234. Thường trú: Hà Nội.");
        assertTrue(answer.last());
    }

    @Test
    void aDirectStringJumpsToItsTopic() {
        assertEquals(UssdMenu.Choice.BLOOD_TYPE, lookup(menu.dial("*2024*5#")));
        assertEquals(UssdMenu.Choice.HISTORY, lookup(menu.dial("*2024*7#")));
        // an unknown direct choice shows the menu instead
        assertFalse(show(menu.dial("*2024*8#")).last());
    }

    @Test
    void aLongAnswerIsPagedWithNineAndEndsOnItsLastPage() {
        menu.dial("*2024#");
        menu.answer("2");
        UssdScreen first = menu.answered(
                "Thường trú: Số 12 ngõ 34 phố Nguyễn Chí Thanh, phường Láng Thượng, quận Đống Đa, Hà Nội. ".repeat(4));
        assertFalse(first.last());
        assertTrue(first.text().endsWith("9 Tiếp / 0 Thoát"));
        UssdScreen next = show(menu.answer("9"));
        UssdScreen again = next;
        while (!again.last()) {
            again = show(menu.answer("9"));
        }
        assertFalse(again.text().contains("9 Tiếp"));
        assertTrue(again.last());
    }

    @Test
    void anythingButNineOrZeroOnAPageShowsThatPageAgain() {
        menu.dial("*2024#");
        menu.answer("1");
        UssdScreen first = menu.answered("chữ ".repeat(100));
        assertEquals(first, show(menu.answer("5")));
    }

    @Test
    void zeroEndsTheDialogueFromTheMenuOrAPage() {
        menu.dial("*2024#");
        assertTrue(show(menu.answer("0")).last());
        menu.dial("*2024#");
        menu.answer("1");
        menu.answered("chữ ".repeat(100));
        UssdScreen bye = show(menu.answer("0"));
        assertTrue(bye.last());
        assertEquals(UssdMenu.GOODBYE, bye.text());
    }

    @Test
    void anInvalidChoiceSaysSoAndShowsTheMenuAgain() {
        menu.dial("*2024#");
        UssdScreen screen = show(menu.answer("abc"));
        assertTrue(screen.text().startsWith(UssdMenu.INVALID));
        assertFalse(screen.last());
    }

    private static UssdScreen show(UssdMenu.Step step) {
        return assertInstanceOf(UssdMenu.Show.class, step).screen();
    }

    private static UssdMenu.Choice lookup(UssdMenu.Step step) {
        return assertInstanceOf(UssdMenu.Lookup.class, step).choice();
    }
}
