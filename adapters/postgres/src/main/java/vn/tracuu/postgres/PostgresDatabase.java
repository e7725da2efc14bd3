package vn.tracuu.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import org.flywaydb.core.Flyway;

/** The gateway's one connection pool and the schema migrations that must run before it is used. */
public final class PostgresDatabase {

  private final Pool pool;

  private PostgresDatabase(Pool pool) {
    this.pool = pool;
  }

  /**
   * Applies the schema migrations (blocking JDBC: call at start-up, never on an event loop).
   * Returns how many migrations ran.
   */
  public static int migrate(DatabaseOptions options) {
    return Flyway.configure()
        .dataSource(options.jdbcUrl(), options.user(), options.password())
        .locations("classpath:db/migration")
        .load()
        .migrate()
        .migrationsExecuted;
  }

  public static PostgresDatabase open(Vertx vertx, DatabaseOptions options) {
    Pool pool = PgBuilder.pool()
        .with(options.poolOptions())
        .connectingTo(options.connectOptions())
        .using(vertx)
        .build();
    return new PostgresDatabase(pool);
  }

  public Pool pool() {
    return pool;
  }

  public Future<Void> close() {
    return pool.close();
  }
}
