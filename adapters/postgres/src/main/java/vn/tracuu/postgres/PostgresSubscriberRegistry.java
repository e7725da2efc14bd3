package vn.tracuu.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.port.out.SubscriberRegistry;

/** The verified-subscriber registry in the {@code subscribers} schema. */
public final class PostgresSubscriberRegistry implements SubscriberRegistry {

    // A binding counts as verified only while its status says so; verified_at alone is history.
    // Whether another verified number shares the record comes with it (by the personal_id index):
    // most records have one number, and their lookups then skip the notices' read of the others.
    private static final String BY_MSISDN =
            "SELECT personal_id, operator_id, CASE WHEN status = 'verified' THEN verified_at END AS verified_at, sim_changed_at, "
                    + "EXISTS (SELECT 1 FROM subscribers.subscriber o WHERE o.personal_id = s.personal_id "
                    + "AND o.msisdn <> s.msisdn AND o.status = 'verified') AS shared_record "
                    + "FROM subscribers.subscriber s WHERE msisdn = $1";

    private static final String VERIFIED_OF_ID =
            "SELECT msisdn, operator_id, verified_at FROM subscribers.subscriber WHERE personal_id = $1 AND status = 'verified'";

    private final SqlClient reads;

    public PostgresSubscriberRegistry(SqlClient reads) {
        this.reads = reads;
    }

    @Override
    public Future<Optional<SubscriberBinding>> byMsisdn(Msisdn msisdn) {
        return PostgresDatabase.read(reads, BY_MSISDN, Tuple.of(msisdn.digits()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    return Optional.of(new SubscriberBinding(
                            msisdn,
                            PersonalId.of(r.getString("personal_id")),
                            r.getString("operator_id"),
                            instant(r.getOffsetDateTime("verified_at")),
                            instant(r.getOffsetDateTime("sim_changed_at")),
                            r.getBoolean("shared_record")));
                });
    }

    @Override
    public Future<List<SubscriberBinding>> verifiedNumbersOf(PersonalId id) {
        return PostgresDatabase.read(reads, VERIFIED_OF_ID, Tuple.of(id.digits()))
                .map(rows -> {
                    List<SubscriberBinding> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new SubscriberBinding(
                                Msisdn.of(r.getString("msisdn")),
                                id,
                                r.getString("operator_id"),
                                instant(r.getOffsetDateTime("verified_at")),
                                null));
                    }
                    return out;
                });
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
