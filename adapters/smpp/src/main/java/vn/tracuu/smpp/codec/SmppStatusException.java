package vn.tracuu.smpp.codec;

/**
 * A negative SMPP command_status: a PDU of the peer that does not follow SMPP 3.4 (the status to
 * answer it with), or the peer's negative answer to one of ours (or no answer at all).
 */
public final class SmppStatusException extends RuntimeException {

    private final int status;

    public SmppStatusException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
