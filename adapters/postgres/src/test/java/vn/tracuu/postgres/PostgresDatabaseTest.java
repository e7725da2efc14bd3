package vn.tracuu.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Which failed reads run once more. The race that brings each shape is in
 * {@code PostgresLookupAdaptersTest.aReadWhoseConnectionIsLostUnderItIsReadAgainOnAFreshOne}; it
 * cannot be made to happen on demand, so the shapes are named here.
 */
class PostgresDatabaseTest {

    @Test
    void aConnectionLostInAnyOfItsShapesIsReadAgain() {
        assertTrue(PostgresDatabase.connectionLost(ClosedConnectionException.INSTANCE), "closed under the statement");
        assertTrue(PostgresDatabase.connectionLost(new IOException("Connection reset")), "reset");
        // the pool handed out a connection that had closed (CI, 2026-12-02): the statement never left
        assertTrue(
                PostgresDatabase.connectionLost(
                        VertxException.noStackTrace("Connection is not active now, current status: CLOSED")),
                "already closed");
        assertTrue(
                PostgresDatabase.connectionLost(
                        new PgException("terminating connection due to administrator command", "FATAL", "57P01", null)),
                "backend ended");
        assertTrue(
                PostgresDatabase.connectionLost(
                        new PgException("terminating connection due to crash", "FATAL", "57P02", null)),
                "backend ended by a crash");
    }

    @Test
    void theServersOwnAnswerAndAFullQueueAreFinal() {
        assertFalse(
                PostgresDatabase.connectionLost(new PgException("relation does not exist", "ERROR", "42P01", null)));
        assertFalse(PostgresDatabase.connectionLost(
                new PgException("canceling statement due to statement timeout", "ERROR", "57014", null)));
        assertFalse(PostgresDatabase.connectionLost(
                new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 10")));
    }
}
