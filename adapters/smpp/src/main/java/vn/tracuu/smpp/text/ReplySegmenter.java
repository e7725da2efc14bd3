package vn.tracuu.smpp.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import vn.tracuu.core.domain.TextNormalizer;
import vn.tracuu.smpp.codec.ShortMessage;

/**
 * Turns a reply text into the SMS segments an operator carries. GSM-7 replies are folded to
 * accent-free text first. Segments break at a space when one is near, never inside a GSM-7
 * escape pair; past the configured maximum the text is cut short with "...".
 */
public final class ReplySegmenter {

    private static final String ELLIPSIS = "...";
    private static final int WORD_BREAK_LOOKBACK = 20;

    private final Alphabet alphabet;
    private final Concatenation concatenation;
    private final int maxSegments;

    public ReplySegmenter(Alphabet alphabet, Concatenation concatenation, int maxSegments) {
        if (maxSegments < 1) {
            throw new IllegalArgumentException("maxSegments must be at least 1");
        }
        this.alphabet = alphabet;
        this.concatenation = concatenation;
        this.maxSegments = maxSegments;
    }

    /** {@code reference} ties the segments together on the handset; any value per reply. */
    public List<Segment> segment(String text, int reference) {
        String body = alphabet == Alphabet.GSM7 ? TextNormalizer.stripDiacritics(text) : text;
        if (weight(body, 0, body.length()) <= alphabet.singleLimit()) {
            return List.of(new Segment(encode(body), alphabet.dataCoding(), 0, Map.of()));
        }
        List<String> parts = split(body);
        List<Segment> out = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            out.add(concatenated(encode(parts.get(i)), reference, parts.size(), i + 1));
        }
        return out;
    }

    private List<String> split(String text) {
        int limit = alphabet.segmentLimit();
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            if (parts.size() == maxSegments - 1) {
                parts.add(lastPart(text.substring(start), limit));
                break;
            }
            int end = fit(text, start, limit);
            if (end < text.length()) {
                int space = text.lastIndexOf(' ', end);
                if (space > start && end - space <= WORD_BREAK_LOOKBACK && text.charAt(end) != ' ') {
                    end = space + 1;
                }
            }
            parts.add(text.substring(start, end));
            start = end;
        }
        return parts;
    }

    private String lastPart(String rest, int limit) {
        if (weight(rest, 0, rest.length()) <= limit) {
            return rest;
        }
        int end = fit(rest, 0, limit - ELLIPSIS.length());
        int space = rest.lastIndexOf(' ', end);
        if (space > 0 && end - space <= WORD_BREAK_LOOKBACK) {
            end = space;
        }
        return rest.substring(0, end) + ELLIPSIS;
    }

    /** The largest end index such that text[start, end) fits in {@code limit} units. */
    private int fit(String text, int start, int limit) {
        int used = 0;
        int i = start;
        while (i < text.length()) {
            int w = weight(text, i, i + 1);
            if (used + w > limit) {
                break;
            }
            used += w;
            i++;
        }
        return i;
    }

    private int weight(String text, int from, int to) {
        if (alphabet == Alphabet.UCS2) {
            return to - from;
        }
        int septets = 0;
        for (int i = from; i < to; i++) {
            septets += Math.max(1, Gsm7.septets(text.charAt(i)));
        }
        return septets;
    }

    private byte[] encode(String text) {
        return alphabet.encode(text);
    }

    private Segment concatenated(byte[] payload, int reference, int total, int seq) {
        if (concatenation == Concatenation.SAR) {
            return new Segment(
                    payload,
                    alphabet.dataCoding(),
                    0,
                    Map.of(
                            ShortMessage.TAG_SAR_MSG_REF_NUM, new byte[] {(byte) (reference >> 8), (byte) reference},
                            ShortMessage.TAG_SAR_TOTAL_SEGMENTS, new byte[] {(byte) total},
                            ShortMessage.TAG_SAR_SEGMENT_SEQNUM, new byte[] {(byte) seq}));
        }
        byte[] withHeader = new byte[payload.length + 6];
        withHeader[0] = 0x05; // UDHL
        withHeader[1] = 0x00; // IEI: concatenated short message, 8-bit reference
        withHeader[2] = 0x03;
        withHeader[3] = (byte) reference;
        withHeader[4] = (byte) total;
        withHeader[5] = (byte) seq;
        System.arraycopy(payload, 0, withHeader, 6, payload.length);
        return new Segment(withHeader, alphabet.dataCoding(), ShortMessage.ESM_UDHI, Map.of());
    }
}
