package vn.tracuu.simulators;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.MessageRequest;
import org.jsmpp.bean.OptionalParameter;
import vn.tracuu.smpp.codec.ShortMessage;
import vn.tracuu.smpp.text.InboundText;

/**
 * Gathers the segments of the gateway's replies per handset, as they arrive in deliver_sm (the
 * gateway as SMSC) or submit_sm (the gateway as ESME), and hands out whole replies.
 */
final class ReplyAssembler {

    private final Map<String, BlockingQueue<PhoneSimulator.Segment>> byRecipient = new HashMap<>();
    // segments of replies not yet complete, per recipient and reference: replies sent at the same
    // time interleave, so a segment taken while waiting for one reply may belong to the next
    private final Map<String, Map<Integer, List<PhoneSimulator.Segment>>> partial = new ConcurrentHashMap<>();

    /** Takes one segment from a jsmpp deliver_sm or submit_sm. */
    void add(MessageRequest sm) {
        byte[] data = sm.getShortMessage();
        boolean udh = (sm.getEsmClass() & ShortMessage.ESM_UDHI) != 0;
        int reference = 0;
        int total = 1;
        int number = 1;
        if (udh && data.length >= 6 && data[1] == 0x00) {
            reference = data[3] & 0xFF;
            total = data[4] & 0xFF;
            number = data[5] & 0xFF;
        } else if (sm.getOptionalParameter((short) ShortMessage.TAG_SAR_TOTAL_SEGMENTS) != null) {
            reference = tlvValue(sm.getOptionalParameter((short) ShortMessage.TAG_SAR_MSG_REF_NUM));
            total = tlvValue(sm.getOptionalParameter((short) ShortMessage.TAG_SAR_TOTAL_SEGMENTS));
            number = tlvValue(sm.getOptionalParameter((short) ShortMessage.TAG_SAR_SEGMENT_SEQNUM));
        }
        String text = InboundText.decode(sm.getDataCoding() & 0xFF, data, udh);
        queueFor(sm.getDestAddress())
                .add(new PhoneSimulator.Segment(
                        sm.getDataCoding() & 0xFF, sm.getEsmClass() & 0xFF, reference, total, number, text));
    }

    /** Waits for the next whole reply to {@code msisdn}; null when none is complete in time. */
    PhoneSimulator.Reply awaitReply(String msisdn, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, List<PhoneSimulator.Segment>> incomplete = partial.computeIfAbsent(msisdn, m -> new HashMap<>());
        BlockingQueue<PhoneSimulator.Segment> queue = queueFor(msisdn);
        while (true) {
            long left = deadline - System.nanoTime();
            // past the deadline, segments already here still count: a reply whose first segment was
            // taken just before it would otherwise be lost with its second waiting in the queue
            PhoneSimulator.Segment s = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
            if (s == null) {
                return null;
            }
            if (s.total() <= 1) {
                return new PhoneSimulator.Reply(s.text(), List.of(s));
            }
            List<PhoneSimulator.Segment> parts = incomplete.computeIfAbsent(s.reference(), r -> new ArrayList<>());
            parts.add(s);
            if (parts.size() == s.total()) {
                incomplete.remove(s.reference());
                parts.sort(Comparator.comparingInt(PhoneSimulator.Segment::number));
                StringBuilder text = new StringBuilder();
                parts.forEach(p -> text.append(p.text()));
                return new PhoneSimulator.Reply(text.toString(), List.copyOf(parts));
            }
        }
    }

    private synchronized BlockingQueue<PhoneSimulator.Segment> queueFor(String msisdn) {
        return byRecipient.computeIfAbsent(msisdn, m -> new LinkedBlockingQueue<>());
    }

    private static int tlvValue(OptionalParameter p) {
        byte[] tlv = p.serialize();
        int v = 0;
        for (int i = 4; i < tlv.length; i++) {
            v = (v << 8) | (tlv[i] & 0xFF);
        }
        return v;
    }
}
