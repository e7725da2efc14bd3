package vn.tracuu.core.ussd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScreenPagerTest {

    private final ScreenPager pager = new ScreenPager(160, UssdMenu.FOOTER, String::length);

    @Test
    void aTextThatFitsIsOneScreenWithoutFooter() {
        String text = "Số ĐD ********1234. Nhóm máu: O.";
        assertEquals(List.of(text), pager.pages(text));
    }

    @Test
    void vietnameseTextIsNeverCutInsideAWordNorOverTheLimit() {
        String text =
                ("Thường trú: Số 12 ngõ 34 phố Nguyễn Chí Thanh, phường Láng Thượng, quận Đống Đa, thành phố Hà Nội, từ 01/02/2003. "
                                + "Tạm trú: Thôn Phước Hưng, xã Hòa Phước, huyện Hòa Vang, thành phố Đà Nẵng, từ 15/08/2019. ")
                        .repeat(3)
                        .strip();
        List<String> pages = pager.pages(text);

        assertTrue(pages.size() >= 4, "several screens: " + pages.size());
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < pages.size(); i++) {
            String page = pages.get(i);
            assertTrue(page.length() <= 160, "screen " + i + " is " + page.length() + " characters");
            boolean last = i == pages.size() - 1;
            assertEquals(!last, page.endsWith(UssdMenu.FOOTER), "footer on every screen but the last");
            String body = last ? page : page.substring(0, page.length() - UssdMenu.FOOTER.length());
            assertEquals(body.strip(), body, "no screen starts or ends with a space");
            joined.append(i == 0 ? "" : " ").append(body);
        }
        // the screens joined with one space give the text back: no word was split or lost
        assertEquals(text, joined.toString());
    }

    @Test
    void widthIsMeasuredAsTheHandsetSeesIt() {
        // a measure counting every character twice (as an escape-heavy GSM-7 text would) halves the room
        ScreenPager doubled = new ScreenPager(160, UssdMenu.FOOTER, s -> 2 * s.length());
        String text = "một hai ba bốn năm sáu bảy tám chín mười ".repeat(6).strip();
        for (String page : doubled.pages(text)) {
            assertTrue(2 * page.length() <= 160, page);
        }
    }

    @Test
    void aWordWiderThanAScreenIsCutWhereItFits() {
        String word = "x".repeat(400);
        List<String> pages = pager.pages(word);
        assertEquals(
                word,
                String.join(
                        "",
                        pages.stream().map(p -> p.replace(UssdMenu.FOOTER, "")).toList()));
        pages.forEach(p -> assertTrue(p.length() <= 160));
    }
}
