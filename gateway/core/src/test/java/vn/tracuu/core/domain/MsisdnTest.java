package vn.tracuu.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MsisdnTest {

    @ParameterizedTest
    @CsvSource({
        "84912345678, 1",
        "84912345678, 0",
        "+84912345678, 0",
        "+84912345678, 1",
        "0912345678, 0",
        "0912345678, 2",
        "912345678, 2",
    })
    void normalisesEveryFormOperatorsSend(String address, int ton) {
        assertEquals("84912345678", Msisdn.parse(address, ton).orElseThrow().digits());
    }

    @ParameterizedTest
    @CsvSource({
        "8491234567, 1",
        "841234567890, 1",
        "84212345678, 1",
        "0912a45678, 0",
        "'', 0",
        "8088, 0",
        "12025550123, 1"
    })
    void rejectsWhatIsNotAVietnameseMobileNumber(String address, int ton) {
        assertFalse(Msisdn.parse(address, ton).isPresent());
    }

    @ParameterizedTest
    @CsvSource({"84912345678, 849******78"})
    void logsShowOnlyAFewDigits(String digits, String masked) {
        assertEquals(masked, Msisdn.of(digits).masked());
        assertEquals(masked, Msisdn.of(digits).toString());
    }
}
