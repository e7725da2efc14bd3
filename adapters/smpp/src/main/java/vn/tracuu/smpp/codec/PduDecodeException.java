package vn.tracuu.smpp.codec;

/** A PDU body that does not follow SMPP 3.4; {@code status} is the negative answer to give. */
public final class PduDecodeException extends Exception {

  private final int status;

  public PduDecodeException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
