package vn.tracuu.core.guard;

/** The guard did not let a call through (quota, bulkhead, open circuit) or gave up on it (timeout). */
public final class GuardRejected extends RuntimeException {

  public GuardRejected(String message) {
    super(message, null, false, false);
  }
}
