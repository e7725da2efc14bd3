package vn.tracuu.core.port;

import java.time.Duration;
import vn.tracuu.core.audit.Outcome;
import vn.tracuu.core.domain.Channel;

/** Told of every request's outcome, for metrics; never of who asked. Must return at once. */
public interface LookupObserver {

  LookupObserver NONE = (channel, command, outcome, reason, latency) -> {
  };

  /** {@code latency}: from the request's arrival to its reply being stored in the outbox. */
  void answered(Channel channel, String command, Outcome outcome, String reason, Duration latency);
}
