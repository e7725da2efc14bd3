package vn.tracuu.smpp.server;

/** The peer answered a PDU with a negative command_status, or never answered. */
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
