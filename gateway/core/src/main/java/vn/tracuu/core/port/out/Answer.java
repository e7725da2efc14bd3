package vn.tracuu.core.port.out;

import java.time.Duration;
import vn.tracuu.core.domain.audit.AuditEntry;

/**
 * A reply decided before its request was stored ({@link RequestStore#acceptAnswered}): its text,
 * how long it stays valid, how long its sender holds it claimed, and its audit entry, whose
 * request id is the one the store draws for the request.
 */
public record Answer(String text, Duration validity, Duration lease, AuditEntry entry) {}
