package vn.tracuu.smpp.text;

/** How the segments of a long reply are tied together. */
public enum Concatenation {
    /** 8-bit reference user data header in short_message (3GPP TS 23.040 §9.2.3.24.1). */
    UDH,
    /** SMPP 3.4 §5.3.2.22-24 sar_msg_ref_num, sar_total_segments, sar_segment_seqnum TLVs. */
    SAR
}
