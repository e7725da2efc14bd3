package vn.tracuu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.app.config.GatewayConfig.SeedMode;

/** What an administrator reads when the gateway cannot start: one line, naming the key to fix. */
class StartUpErrorsTest {

    @TempDir
    Path dir;

    @Test
    void anAdminPortInUseNamesAdminPortNotTheSmppPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Exception e = assertThrows(
                    Exception.class,
                    () -> new TestGateway(10, "admin:\n  port: " + taken.getLocalPort() + "\n").close());
            Throwable cause = e instanceof ConfigException ? e : e.getCause();
            assertTrue(cause instanceof ConfigException, e.toString());
            assertTrue(
                    cause.getMessage()
                            .startsWith("admin.port: the admin listener cannot listen on 127.0.0.1:"
                                    + taken.getLocalPort()),
                    cause.getMessage());
            assertFalse(cause.getMessage().contains("smpp"), cause.getMessage());
        }
    }

    @Test
    void aUrlWithoutAUserIsRefusedRatherThanLoggingInAsUser() {
        GatewayConfig.DatabaseSettings settings = GatewayConfig.load(
                        Optional.empty(), Map.of("TRACUU_DATABASE_URL", "postgresql://db.internal:5432/tracuu"))
                .database();
        ConfigException e = assertThrows(ConfigException.class, () -> Database.externalOptions(settings));
        assertEquals(
                "database.url: names no user: write postgresql://USER@host/database, or set database.user",
                e.getMessage());
    }

    @Test
    void aHostThatDoesNotResolveIsNamedAsSuch() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> Database.open(new GatewayConfig.DatabaseSettings(
                        "postgresql://tracuu@no-such-host.invalid:5432/tracuu",
                        "tracuu",
                        "p",
                        2,
                        10,
                        1,
                        "",
                        dir,
                        SeedMode.NEVER,
                        100)));
        assertTrue(
                e.getMessage().contains("cannot resolve host no-such-host.invalid; check the host in database.url"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
