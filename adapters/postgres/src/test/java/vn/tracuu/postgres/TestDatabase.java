package vn.tracuu.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A real PostgreSQL server for the adapter tests, started once per test class, migrated. */
final class TestDatabase implements AutoCloseable {

  private final EmbeddedPostgres server;
  private final DatabaseOptions options;

  private TestDatabase(EmbeddedPostgres server) {
    this.server = server;
    this.options = new DatabaseOptions("localhost", server.getPort(), "postgres", "postgres", "postgres", 4, 100, DatabaseOptions.DEFAULT_ROLE);
  }

  static TestDatabase start() {
    try {
      TestDatabase db = new TestDatabase(EmbeddedPostgres.builder().start());
      PostgresDatabase.migrate(db.options);
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  DatabaseOptions options() {
    return options;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
