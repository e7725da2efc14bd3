package vn.tracuu.core.lookup;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import vn.tracuu.core.domain.InvalidOption;

/**
 * Options of the lookup service, built from the {@code lookup} section of the YAML config, and
 * the name of the node it runs on ({@code node.id}), which its audit entries and claims carry.
 */
public record LookupOptions(
        Duration replyValidity,
        Duration recoveryGrace,
        Duration recoveryInterval,
        int recoveryBatch,
        Duration duplicateWindow,
        Duration recoveryLease,
        Duration answerWithAcceptWithin,
        String nodeId,
        Map<String, String> noticeShortCodes) {

    public static final Duration DEFAULT_REPLY_VALIDITY = Duration.ofHours(24);
    public static final Duration DEFAULT_RECOVERY_GRACE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_RECOVERY_BATCH = 200;
    public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RECOVERY_LEASE = Duration.ofSeconds(30);
    /**
     * A decision made within this after its message arrived is stored with the request in one
     * commit, the operator acknowledged after it; a slower one has its request stored (and
     * acknowledged) first. Zero: always first. Well under an SMSC's response timer (often 10 s).
     */
    public static final Duration DEFAULT_ANSWER_WITH_ACCEPT_WITHIN = Duration.ofMillis(200);

    public static final String DEFAULT_NODE_ID = "node";

    public LookupOptions {
        InvalidOption.inRange("recoveryBatch", recoveryBatch, 1, 100_000);
        Objects.requireNonNull(replyValidity, "replyValidity");
        Objects.requireNonNull(recoveryGrace, "recoveryGrace");
        Objects.requireNonNull(recoveryInterval, "recoveryInterval");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        Objects.requireNonNull(recoveryLease, "recoveryLease");
        Objects.requireNonNull(answerWithAcceptWithin, "answerWithAcceptWithin");
        Objects.requireNonNull(nodeId, "nodeId");
        noticeShortCodes = Map.copyOf(noticeShortCodes);
    }

    /**
     * {@code noticeShortCodes}: for each operator whose numbers are told when their record is
     * looked up from another number, the short code the notice comes from (an operator absent:
     * no notices to its numbers). None by default; the config gives every operator its first
     * short code unless {@code operators[N].lookup-notices} is false.
     */
    public LookupOptions withNoticeShortCodes(Map<String, String> noticeShortCodes) {
        return new LookupOptions(
                replyValidity,
                recoveryGrace,
                recoveryInterval,
                recoveryBatch,
                duplicateWindow,
                recoveryLease,
                answerWithAcceptWithin,
                nodeId,
                noticeShortCodes);
    }

    public static LookupOptions defaults() {
        return new LookupOptions(
                DEFAULT_REPLY_VALIDITY,
                DEFAULT_RECOVERY_GRACE,
                DEFAULT_RECOVERY_INTERVAL,
                DEFAULT_RECOVERY_BATCH,
                DEFAULT_DUPLICATE_WINDOW,
                DEFAULT_RECOVERY_LEASE,
                DEFAULT_ANSWER_WITH_ACCEPT_WITHIN,
                DEFAULT_NODE_ID,
                Map.of());
    }
}
