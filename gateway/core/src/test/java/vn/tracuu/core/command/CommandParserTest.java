package vn.tracuu.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import vn.tracuu.core.domain.Topic;

class CommandParserTest {

    private final CommandParser parser = new CommandParser();

    @ParameterizedTest
    @CsvSource({
        "TC NM, TC, true",
        "TC 12345, TC, false",
        "KHOA, KHOA, true",
        "LS, LS, true",
        "HD, HD, false",
        "HD BM, HD, false",
        "xyz, HD, false",
    })
    void eachCommandHasItsAuditCodeAndSaysWhetherItIsAboutTheRecord(String text, String code, boolean aboutTheRecord) {
        Command c = parser.parse(text);
        assertEquals(code, c.code());
        assertEquals(aboutTheRecord, c.aboutTheRecord());
    }

    @ParameterizedTest
    @CsvSource({
        "TC, BASIC",
        "tc, BASIC",
        "'  Tc  ', BASIC",
        "TC CT, RESIDENCE",
        "tc  ct, RESIDENCE",
        "Tc Ct, RESIDENCE",
        "TCCT, RESIDENCE",
        "TC CƯ TRÚ, RESIDENCE",
        "tc cu tru, RESIDENCE",
        "TC CM, PARENTS",
        "TC CHA MẸ, PARENTS",
        "TC VC, SPOUSE",
        "TC vợ chồng, SPOUSE",
        "TC NM, BLOOD_TYPE",
        "TC NHÓM MÁU, BLOOD_TYPE",
        "TC DD, LEGAL_REPRESENTATIVE",
        "TC ĐĐ, LEGAL_REPRESENTATIVE",
        "tc.ct, RESIDENCE",
    })
    void readsEveryTopicWhateverTheCaseAccentsAndSpacing(String text, Topic topic) {
        Command c = parser.parse(text);
        assertEquals(new Command.Lookup(topic, Optional.empty()), c);
    }

    @ParameterizedTest
    @CsvSource({
        "TC 1234, BASIC, 1234",
        "TC CT 1234, RESIDENCE, 1234",
        "tc 1234 ct, RESIDENCE, 1234",
        "TC 001087012345, BASIC, 001087012345",
        "TC NM 079 2 05 123456, BLOOD_TYPE, 079205123456",
    })
    void keepsTheTypedIdOnlyAsAClaimToCompare(String text, Topic topic, String digits) {
        assertEquals(new Command.Lookup(topic, Optional.of(new Command.TypedId(digits))), parser.parse(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"TC 123", "TC 12345", "TC 999087012345", "TC 001487012345", "TC 12 CT 34", "TC CT 1234 5678"})
    void malformedIdsAreASyntaxErrorNotALookup(String text) {
        assertInstanceOf(Command.InvalidId.class, parser.parse(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "HD",
                "help",
                "HELP",
                "",
                "   ",
                "xin chào",
                "TC XYZ",
                "TCB",
                "🙂",
                "LS 1234",
                "KHOA TC",
                "\u0000\u0001"
            })
    void helpAndAnythingUnknownGetHelp(String text) {
        assertInstanceOf(Command.Help.class, parser.parse(text));
    }

    @ParameterizedTest
    @CsvSource({
        "KHOA, Lock",
        "khoá, Lock",
        "Khóa, Lock",
        "LS, History",
        "ls, History",
        "lịch sử, History",
        "HD BM, PrivacyNotice",
        "hd bm, PrivacyNotice",
        "bảo mật, PrivacyNotice"
    })
    void readsLockHistoryAndPrivacyNotice(String text, String command) {
        assertEquals(command, parser.parse(text).getClass().getSimpleName());
    }

    @ParameterizedTest
    @CsvSource({
        "1234, 001087011234, true",
        "1234, 001087014321, false",
        "001087011234, 001087011234, true",
        "001087011235, 001087011234, false"
    })
    void aClaimMatchesTheFullIdOrItsLastFourDigits(String claim, String bound, boolean matches) {
        Command.TypedId typed = new Command.TypedId(claim);
        assertEquals(matches, typed.matches(bound, PSEUDONYM));
        assertEquals(matches, typed.pseudonymised(PSEUDONYM).matches(bound, PSEUDONYM), "and stored as a pseudonym");
    }

    /** Stands for the keyed pseudonym (Pseudonymizer.claim): letters only, so no typed digit shows in a stored form. */
    private static final UnaryOperator<String> PSEUDONYM = digits ->
            digits.chars().mapToObj(c -> String.valueOf((char) ('a' + c - '0'))).collect(Collectors.joining());

    @ParameterizedTest
    @ValueSource(
            strings = {
                "TC",
                "TC CT",
                "TC NM 079 2 05 123456",
                "tc 1234 ct",
                "TC 123",
                "KHOA",
                "LS",
                "HD BM",
                "HD",
                "xin chào 001087012345"
            })
    void theStoredFormParsesBackToTheSameCommandAndHoldsNoTypedDigits(String text) {
        Command command = parser.parse(text);
        Command pseudonymised = command instanceof Command.Lookup lookup ? lookup.pseudonymised(PSEUDONYM) : command;
        String stored = CommandParser.stored(pseudonymised);
        assertEquals(pseudonymised, parser.parse(stored), stored);
        assertTrue(stored.replaceAll(" (4|12):", "").chars().noneMatch(Character::isDigit), stored);
    }

    @Test
    void aTypedIdCannotBeStored() {
        assertThrows(
                IllegalArgumentException.class,
                () -> CommandParser.stored(parser.parse("TC CT 1234")),
                "only its pseudonym is");
    }

    @ParameterizedTest
    @ValueSource(strings = {"#TC", "#TC XX", "#TC CT 5:abc", "#TC CT 4:", "#KHOA", "#"})
    void aTextThatOnlyLooksStoredIsHelp(String text) {
        assertInstanceOf(Command.Help.class, parser.parse(text));
    }
}
