package vn.tracuu.core.domain.audit;

import java.time.Instant;
import vn.tracuu.core.domain.Channel;

/** One earlier access to a record, as a citizen's access history (LS) shows it. */
public record AccessRecord(Instant at, Channel channel, String command, String topic, String msisdnPseudonym) {}
