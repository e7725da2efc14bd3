package vn.tracuu.smpp.text;

import java.util.Map;

/** One SMS of a reply, ready for a short_message field: payload, data_coding, esm_class, TLVs. */
public record Segment(byte[] payload, int dataCoding, int esmClass, Map<Integer, byte[]> tlvs) {}
