package vn.tracuu.core.lookup;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.audit.Pseudonym;
import vn.tracuu.core.policy.PolicyOptions;
import vn.tracuu.core.port.out.PolicyStore;
import vn.tracuu.core.port.out.PolicyStore.Limit;
import vn.tracuu.core.port.out.PolicyStore.RecordCheck;

/**
 * The limits a lookup counts against (per number an hour and a day, per record a day, per
 * operator a minute), in windows of the request's receipt time. Counted by a request's first
 * decision only ({@code count}); a decision of the same request again checks them, counting
 * nothing, so deciding a request twice never counts it twice.
 */
final class LookupLimits {

    private final PolicyStore store;
    private final PolicyOptions policy;

    LookupLimits(PolicyStore store, PolicyOptions policy) {
        this.store = store;
        this.policy = policy;
    }

    private static final String NUMBER_HOUR = "number-hour:";
    private static final String NUMBER_DAY = "number-day:";
    private static final String RECORD_DAY = "record-day:";
    private static final Duration ONE_DAY = Duration.ofDays(1);
    private static final Duration ONE_HOUR = Duration.ofHours(1);

    List<Limit> ofSender(InboundMessage m, Pseudonym sender) {
        Instant now = m.receivedAt();
        return List.of(
                new Limit(
                        NUMBER_HOUR + sender.value(),
                        now.truncatedTo(ChronoUnit.HOURS),
                        policy.lookupsPerNumberPerHour()),
                new Limit(NUMBER_DAY + sender.value(), dayStart(now), policy.lookupsPerNumberPerDay()),
                new Limit(
                        "operator-minute:" + m.operatorId(),
                        now.truncatedTo(ChronoUnit.MINUTES),
                        policy.lookupsPerOperatorPerMinute()));
    }

    /** {@code senderLimits} and the record's own day; none when the sender's are none (nothing is counted). */
    List<Limit> withRecord(List<Limit> senderLimits, InboundMessage m, Pseudonym id) {
        return senderLimits.isEmpty()
                ? senderLimits
                : Stream.concat(
                                senderLimits.stream(),
                                Stream.of(new Limit(
                                        "record-day:" + id.value(),
                                        m.receivedAt().truncatedTo(ChronoUnit.DAYS),
                                        policy.lookupsPerRecordPerDay())))
                        .toList();
    }

    /** A day as the citizen counts it: from midnight in Vietnam, so "try again tomorrow" means their tomorrow. */
    private static Instant dayStart(Instant at) {
        return at.atZone(ReplyText.ZONE).truncatedTo(ChronoUnit.DAYS).toInstant();
    }

    /**
     * What to tell a sender past one of {@code counted}: the daily limits first (the number's or the
     * record's: from the next day), then the number's hourly one (from the next hour); the
     * operator's per minute, or a check that fails, is "busy". Asked only once a request was refused.
     */
    Future<String> refusalText(List<Limit> counted, Instant received) {
        List<Limit> daily = counted.stream()
                .filter(l -> l.key().startsWith(NUMBER_DAY) || l.key().startsWith(RECORD_DAY))
                .toList();
        List<Limit> hourly =
                counted.stream().filter(l -> l.key().startsWith(NUMBER_HOUR)).toList();
        return within(daily, false)
                .compose(withinDay -> !withinDay
                        ? Future.succeededFuture(ReplyText.limitReached(true, dayStart(received.plus(ONE_DAY))))
                        : within(hourly, false)
                                .map(withinHour -> withinHour
                                        ? ReplyText.BUSY
                                        : ReplyText.limitReached(
                                                false,
                                                received.truncatedTo(ChronoUnit.HOURS)
                                                        .plus(ONE_HOUR))))
                .otherwise(ReplyText.BUSY);
    }

    Future<Boolean> within(List<Limit> limits, boolean count) {
        if (limits.isEmpty()) {
            return Future.succeededFuture(true);
        }
        return count ? store.count(limits) : store.within(limits);
    }

    /** {@link #within} and whether the record is locked, in one round trip where the store can. */
    Future<RecordCheck> withinAndLocked(List<Limit> limits, String idPseudonym, boolean count) {
        return count ? store.countAndCheckLock(limits, idPseudonym) : store.checkLock(limits, idPseudonym);
    }
}
