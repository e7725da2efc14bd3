package vn.tracuu.core.policy;

import java.time.Duration;
import vn.tracuu.core.domain.InvalidOption;

/** The privacy policy's settings, from the {@code policy} section of the YAML config. */
public record PolicyOptions(
        Duration simChangeWindow,
        boolean allowUnknownSimChange,
        int lookupsPerNumberPerHour,
        int lookupsPerNumberPerDay,
        int lookupsPerRecordPerDay,
        int lookupsPerOperatorPerMinute,
        int mismatchThreshold,
        Duration mismatchWindow,
        Duration mismatchLockout,
        Duration minReplyDelay,
        Duration replyDelayJitter,
        int historyEntries,
        Duration auditRetention) {

    public static final Duration DEFAULT_SIM_CHANGE_WINDOW = Duration.ofHours(72);
    public static final boolean DEFAULT_ALLOW_UNKNOWN_SIM_CHANGE = false;
    public static final int DEFAULT_LOOKUPS_PER_NUMBER_PER_HOUR = 5;
    public static final int DEFAULT_LOOKUPS_PER_NUMBER_PER_DAY = 20;
    public static final int DEFAULT_LOOKUPS_PER_RECORD_PER_DAY = 30;
    public static final int DEFAULT_LOOKUPS_PER_OPERATOR_PER_MINUTE = 60_000;
    public static final int DEFAULT_MISMATCH_THRESHOLD = 3;
    public static final Duration DEFAULT_MISMATCH_WINDOW = Duration.ofHours(24);
    public static final Duration DEFAULT_MISMATCH_LOCKOUT = Duration.ofHours(1);
    public static final Duration DEFAULT_MIN_REPLY_DELAY = Duration.ofMillis(300);
    public static final Duration DEFAULT_REPLY_DELAY_JITTER = Duration.ofMillis(200);
    public static final int DEFAULT_HISTORY_ENTRIES = 5;
    public static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(180);

    public PolicyOptions {
        InvalidOption.inRange("lookupsPerNumberPerHour", lookupsPerNumberPerHour, 1, 1_000_000);
        InvalidOption.inRange("lookupsPerNumberPerDay", lookupsPerNumberPerDay, 1, 1_000_000);
        InvalidOption.inRange("lookupsPerRecordPerDay", lookupsPerRecordPerDay, 1, 1_000_000);
        InvalidOption.inRange("lookupsPerOperatorPerMinute", lookupsPerOperatorPerMinute, 1, 100_000_000);
        InvalidOption.inRange("mismatchThreshold", mismatchThreshold, 1, 1000);
        InvalidOption.inRange("historyEntries", historyEntries, 1, 20);
    }

    public static PolicyOptions defaults() {
        return new PolicyOptions(
                DEFAULT_SIM_CHANGE_WINDOW,
                DEFAULT_ALLOW_UNKNOWN_SIM_CHANGE,
                DEFAULT_LOOKUPS_PER_NUMBER_PER_HOUR,
                DEFAULT_LOOKUPS_PER_NUMBER_PER_DAY,
                DEFAULT_LOOKUPS_PER_RECORD_PER_DAY,
                DEFAULT_LOOKUPS_PER_OPERATOR_PER_MINUTE,
                DEFAULT_MISMATCH_THRESHOLD,
                DEFAULT_MISMATCH_WINDOW,
                DEFAULT_MISMATCH_LOCKOUT,
                DEFAULT_MIN_REPLY_DELAY,
                DEFAULT_REPLY_DELAY_JITTER,
                DEFAULT_HISTORY_ENTRIES,
                DEFAULT_AUDIT_RETENTION);
    }

    /** These options with another cap on lookups through one operator per minute. */
    public PolicyOptions withLookupsPerOperatorPerMinute(int perMinute) {
        return new PolicyOptions(
                simChangeWindow,
                allowUnknownSimChange,
                lookupsPerNumberPerHour,
                lookupsPerNumberPerDay,
                lookupsPerRecordPerDay,
                perMinute,
                mismatchThreshold,
                mismatchWindow,
                mismatchLockout,
                minReplyDelay,
                replyDelayJitter,
                historyEntries,
                auditRetention);
    }

    /** These options with another hold on replies: at least {@code minimum}, plus up to {@code jitter}. */
    public PolicyOptions withReplyHold(Duration minimum, Duration jitter) {
        return new PolicyOptions(
                simChangeWindow,
                allowUnknownSimChange,
                lookupsPerNumberPerHour,
                lookupsPerNumberPerDay,
                lookupsPerRecordPerDay,
                lookupsPerOperatorPerMinute,
                mismatchThreshold,
                mismatchWindow,
                mismatchLockout,
                minimum,
                jitter,
                historyEntries,
                auditRetention);
    }
}
