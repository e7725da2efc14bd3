package vn.tracuu.core.ussd;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.tracuu.core.domain.UssdScreen;

/**
 * One dialogue's menu state machine, without time or I/O: the service code opens the menu of
 * DESIGN §5's topics and the access history; a choice asks for a lookup, whose answer is shown
 * in pages ("9 Tiếp / 0 Thoát"); "0" ends. {@code *2024*2#} jumps straight to choice 2. Not
 * thread-safe: a dialogue's inputs come one at a time.
 */
public final class UssdMenu {

    /** The menu's choices, numbered from 1, and the SMS command each one is. */
    public enum Choice {
        BASIC("Cơ bản", "TC"),
        RESIDENCE("Cư trú", "TC CT"),
        PARENTS("Cha mẹ", "TC CM"),
        SPOUSE("Vợ/chồng", "TC VC"),
        BLOOD_TYPE("Nhóm máu", "TC NM"),
        LEGAL_REPRESENTATIVE("Người đại diện", "TC DD"),
        HISTORY("Lịch sử tra cứu", "LS");

        private final String label;
        private final String command;

        Choice(String label, String command) {
            this.label = label;
            this.command = command;
        }

        public String command() {
            return command;
        }

        static Optional<Choice> numbered(String input) {
            String digits = input.strip();
            if (!digits.matches("[1-9]")) {
                return Optional.empty();
            }
            int n = Integer.parseInt(digits);
            return n <= values().length ? Optional.of(values()[n - 1]) : Optional.empty();
        }
    }

    public static final String MORE = "9";
    public static final String EXIT = "0";
    static final String FOOTER = "\n9 Tiếp / 0 Thoát";
    static final String MENU;
    static final String INVALID = "Lựa chọn không hợp lệ.\n";
    static final String GOODBYE = "Cảm ơn bạn đã sử dụng dịch vụ tra cứu.";

    static {
        StringBuilder menu = new StringBuilder("Tra cứu thông tin của bạn:");
        for (Choice c : Choice.values()) {
            menu.append('\n').append(c.ordinal() + 1).append(' ').append(c.label);
        }
        MENU = menu.append("\n0 Thoát").toString();
    }

    /** What the dialogue does next: show a screen, or look something up and then call {@link #answered}. */
    public sealed interface Step {}

    public record Show(UssdScreen screen) implements Step {}

    public record Lookup(Choice choice) implements Step {}

    private final Pattern direct;
    private final ScreenPager pager;
    private List<String> pages;
    private int page;

    public UssdMenu(String serviceCode, ScreenPager pager) {
        // *2024# or *2024*N#
        this.direct =
                Pattern.compile(Pattern.quote(serviceCode.substring(0, serviceCode.length() - 1)) + "(?:\\*(\\d+))?#");
        this.pager = pager;
    }

    /** The citizen dialled {@code dialled}: the menu, or the lookup its direct string names. */
    public Step dial(String dialled) {
        Matcher m = direct.matcher(dialled.strip());
        if (m.matches() && m.group(1) != null) {
            Optional<Choice> choice = Choice.numbered(m.group(1));
            if (choice.isPresent()) {
                return new Lookup(choice.get());
            }
        }
        return menu("");
    }

    /** The citizen answered the screen shown last. */
    public Step answer(String input) {
        String in = input.strip();
        if (EXIT.equals(in)) {
            return new Show(new UssdScreen(GOODBYE, true));
        }
        if (pages != null) {
            if (MORE.equals(in) && page + 1 < pages.size()) {
                page++;
            }
            return new Show(current());
        }
        Optional<Choice> choice = Choice.numbered(in);
        return choice.<Step>map(Lookup::new).orElseGet(() -> menu(INVALID));
    }

    /** The lookup's answer arrived: its first page (the only one, and final, when it fits). */
    public UssdScreen answered(String text) {
        pages = pager.pages(text);
        page = 0;
        return current();
    }

    private UssdScreen current() {
        return new UssdScreen(pages.get(page), page == pages.size() - 1);
    }

    private Show menu(String prefix) {
        return new Show(new UssdScreen(prefix + MENU, false));
    }
}
