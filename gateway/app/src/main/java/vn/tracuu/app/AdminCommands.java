package vn.tracuu.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.PostgresDatabase;
import vn.tracuu.postgres.PostgresPolicyStore;
import vn.tracuu.postgres.PostgresSubscriberRegistry;

/**
 * What an operator of the gateway does by hand, standing for a citizen's visit to a service
 * counter. Needs rights the gateway's own role lacks: pass the login's options
 * ({@link DatabaseOptions#asLogin()}).
 */
public final class AdminCommands {

    private AdminCommands() {}

    /** Lifts the KHOA lock of the record bound to {@code msisdn}; true if there was one. */
    public static Future<Boolean> unlock(Vertx vertx, DatabaseOptions db, Pseudonymizer pseudonyms, Msisdn msisdn) {
        PostgresDatabase database = PostgresDatabase.open(vertx, db);
        return new PostgresSubscriberRegistry(database.reads())
                .byMsisdn(msisdn)
                .compose(binding -> binding.isEmpty()
                        ? Future.<Boolean>failedFuture(
                                new IllegalArgumentException("that number is not in the subscriber registry"))
                        : new PostgresPolicyStore(vertx, database.pool(), database.reads())
                                .unlock(pseudonyms
                                        .id(binding.get().personalId())
                                        .value()))
                .eventually(database::close);
    }

    /** Lifts the KHOA lock of the record with this personal ID; true if there was one. */
    public static Future<Boolean> unlock(Vertx vertx, DatabaseOptions db, Pseudonymizer pseudonyms, PersonalId id) {
        PostgresDatabase database = PostgresDatabase.open(vertx, db);
        return new PostgresPolicyStore(vertx, database.pool(), database.reads())
                .unlock(pseudonyms.id(id).value())
                .eventually(database::close);
    }
}
