package vn.tracuu.core.port.out;

import io.vertx.core.Future;
import java.util.List;
import vn.tracuu.core.domain.audit.AccessRecord;
import vn.tracuu.core.domain.audit.AuditEntry;

/** The tamper-evident processing log. Append-only: nothing here changes or removes an entry. */
public interface AuditLog {

    /** Appends the entry of a request; a second entry for the same request is ignored. */
    Future<Void> append(AuditEntry entry);

    /** The latest answered accesses to the record with this ID pseudonym, newest first. */
    Future<List<AccessRecord>> recentAccesses(String idPseudonym, int limit);
}
