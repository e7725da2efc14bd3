package vn.tracuu.smpp.ussd;

import java.util.Optional;

/**
 * The its_session_info TLV (SMPP 3.4 §5.3.2.43): octet 1 is the dialogue's number, octet 2 the
 * sequence (bits 7..1) and the end-of-session flag (bit 0). Both ends of a dialogue read and
 * write it: the gateway's screens, the simulators' and the load driver's handsets.
 */
public record ItsSessionInfo(int session, int sequence, boolean end) {

    private static final int END_OF_SESSION = 0x01;

    /** The TLV's value, or empty when it is absent or not two octets. */
    public static Optional<ItsSessionInfo> parse(byte[] value) {
        if (value == null || value.length != 2) {
            return Optional.empty();
        }
        return Optional.of(
                new ItsSessionInfo(value[0] & 0xFF, (value[1] & 0xFF) >>> 1, (value[1] & END_OF_SESSION) != 0));
    }

    public byte[] encode() {
        return new byte[] {(byte) session, (byte) (((sequence & 0x7F) << 1) | (end ? END_OF_SESSION : 0))};
    }

    /** The answer's: the same dialogue, the sequence advanced (seven bits, so 127 wraps to 0). */
    public ItsSessionInfo next(boolean last) {
        return new ItsSessionInfo(session, (sequence + 1) & 0x7F, last);
    }
}
