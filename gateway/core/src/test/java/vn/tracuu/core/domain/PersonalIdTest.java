package vn.tracuu.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PersonalIdTest {

    @ParameterizedTest
    @CsvSource({
        "001087012345, MALE, 1987",
        "079190654321, FEMALE, 1990",
        "036205000001, MALE, 2005",
        "096325999999, FEMALE, 2025",
        "031999123456, FEMALE, 1899",
    })
    void decodesGenderAndBirthYearFromTheCenturyDigit(String digits, Gender gender, int year) {
        PersonalId id = PersonalId.parse(digits).orElseThrow();
        assertEquals(gender, id.gender());
        assertEquals(year, id.birthYear());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "00108701234", // 11 digits
                "0010870123456", // 13 digits
                "00108701234a", // not a digit
                "003087012345", // 003 is no province code
                "097087012345", // nor is 097
                "001287012345", // 2087: born in the future
                "001487012345", // 2187
                "",
            })
    void rejectsWhatCannotBeAnId(String text) {
        assertFalse(PersonalId.parse(text).isPresent());
    }

    @Test
    void centuryDigitIsTheInverseOfBirthYear() {
        for (int year : new int[] {1850, 1901, 1999, 2000, 2024, 2150, 2299}) {
            for (Gender g : Gender.values()) {
                int digit = PersonalId.centuryDigit(year, g);
                assertEquals(year, PersonalId.birthYear(digit, year % 100));
                assertEquals(g == Gender.FEMALE, digit % 2 == 1);
            }
        }
    }

    @Test
    void theFutureMovesWithTheCurrentYear() {
        assertFalse(PersonalId.isValid("001230012345", 2029));
        assertTrue(PersonalId.isValid("001230012345", 2030));
    }

    @Test
    void masksAllButTheLastFourDigits() {
        PersonalId id = PersonalId.of("001087012345");
        assertEquals("********2345", id.masked());
        assertEquals("********2345", id.toString());
        assertEquals("2345", id.lastFour());
    }
}
