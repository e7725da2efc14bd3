package vn.tracuu.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig.DatabaseSettings;
import vn.tracuu.app.config.GatewayConfig.SeedMode;
import vn.tracuu.postgres.demo.DemoPopulation;

class DatabaseTest {

  @TempDir
  Path dir;

  @Test
  void aServerGivenByUrlIsMigratedButNotSeeded() throws Exception {
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
      String url = "postgresql://localhost:" + server.getPort() + "/postgres";
      try (Database db = Database.open(new DatabaseSettings(url, "postgres", "postgres", 2, 10, "tracuu_gateway", dir, SeedMode.AUTO, 100))) {
        assertFalse(db.embedded());
        assertTrue(DemoPopulation.isEmpty(db.options()), "an external database is never seeded unless told");
      }
      try (Database db = Database.open(new DatabaseSettings(url, "postgres", "postgres", 2, 10, "tracuu_gateway", dir, SeedMode.ALWAYS, 100))) {
        assertFalse(DemoPopulation.isEmpty(db.options()), "seed: always seeds it");
      }
    }
  }

  @Test
  void anUnreachableDatabaseIsAOneLineStartUpError() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String url = "postgresql://127.0.0.1:" + closedPort + "/tracuu";
    ConfigException e = assertThrows(ConfigException.class,
        () -> Database.open(new DatabaseSettings(url, "u", "p", 2, 10, "", dir, SeedMode.AUTO, 100)));
    assertTrue(e.getMessage().startsWith("database at database.url could not be prepared"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
