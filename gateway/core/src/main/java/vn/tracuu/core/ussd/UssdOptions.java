package vn.tracuu.core.ussd;

import java.time.Duration;
import java.util.Objects;
import vn.tracuu.core.domain.InvalidOption;

/**
 * Options of the USSD menu, built from the {@code ussd} section of the YAML config.
 * {@code minAnswerDelay} plus up to {@code answerDelayJitter} holds every screen that needed a
 * lookup, so a refusal (no population read) is not told apart by its speed; it is far shorter
 * than the SMS reply delay because the operator's USSD centre times the dialogue out.
 */
public record UssdOptions(
        String serviceCode,
        int screenLength,
        Duration screenTimeout,
        Duration sessionTimeout,
        int maxSessions,
        Duration minAnswerDelay,
        Duration answerDelayJitter) {

    public static final String DEFAULT_SERVICE_CODE = "*2024#";
    // the gateway's own limit, whatever SMPP could carry (DESIGN §5)
    public static final int DEFAULT_SCREEN_LENGTH = 160;
    public static final Duration DEFAULT_SCREEN_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(180);
    public static final int DEFAULT_MAX_SESSIONS = 10_000;
    public static final Duration DEFAULT_MIN_ANSWER_DELAY = Duration.ofMillis(60);
    public static final Duration DEFAULT_ANSWER_DELAY_JITTER = Duration.ofMillis(40);

    public UssdOptions {
        Objects.requireNonNull(serviceCode, "serviceCode");
        InvalidOption.require(
                isServiceCode(serviceCode), "serviceCode", "must look like *2024#, got '" + serviceCode + "'");
        // 182 septets is all a USSD string carries (3GPP TS 23.038 §6.1.2.3)
        InvalidOption.inRange("screenLength", screenLength, 160, 182);
        InvalidOption.inRange("maxSessions", maxSessions, 1, 1_000_000);
        Objects.requireNonNull(screenTimeout, "screenTimeout");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(minAnswerDelay, "minAnswerDelay");
        Objects.requireNonNull(answerDelayJitter, "answerDelayJitter");
    }

    public static UssdOptions defaults() {
        return new UssdOptions(
                DEFAULT_SERVICE_CODE,
                DEFAULT_SCREEN_LENGTH,
                DEFAULT_SCREEN_TIMEOUT,
                DEFAULT_SESSION_TIMEOUT,
                DEFAULT_MAX_SESSIONS,
                DEFAULT_MIN_ANSWER_DELAY,
                DEFAULT_ANSWER_DELAY_JITTER);
    }

    /** Whether {@code code} is a USSD service code such as {@code *2024#}. */
    public static boolean isServiceCode(String code) {
        return code.matches("\\*\\d+#");
    }
}
