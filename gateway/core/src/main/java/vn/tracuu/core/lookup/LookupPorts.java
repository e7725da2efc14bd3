package vn.tracuu.core.lookup;

import java.util.Objects;
import vn.tracuu.core.port.out.AuditLog;
import vn.tracuu.core.port.out.PolicyStore;
import vn.tracuu.core.port.out.PopulationDirectory;
import vn.tracuu.core.port.out.RequestStore;
import vn.tracuu.core.port.out.SubscriberRegistry;

/** The driven ports the lookup service works through. */
public record LookupPorts(
        RequestStore requests,
        SubscriberRegistry registry,
        PopulationDirectory population,
        PolicyStore policy,
        AuditLog audit) {

    public LookupPorts {
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(population, "population");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(audit, "audit");
    }
}
