package vn.tracuu.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.tracuu.smpp.session.PasswordCheck;

/** What an administrator typing the wrong thing is told, before anything starts. */
class TracuuCommandTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TracuuCommand.execute(new PrintWriter(err, true), args);
    }

    @Test
    void wordsAndOptionsACommandDoesNotTakeAreRefusedWithItsUsage() {
        assertEquals(2, run("run", "-x", "whatever"));
        assertTrue(err.toString().contains("Usage: tracuu run"), err.toString());
    }

    @Test
    void aMistypedSubcommandIsRefusedWithASuggestionAndStartsNothing() {
        assertEquals(2, run("audit", "verifyy"));
        assertTrue(err.toString().contains("Did you mean: audit verify?"), err.toString());
    }

    @Test
    void unlockTakesExactlyOneOfMsisdnAndId() {
        assertEquals(2, run("unlock", "--msisdn", "0912345678", "--id", "001099012345"));
        assertTrue(err.toString().contains("mutually exclusive"), err.toString());
    }

    @Test
    void aMissingConfigFileIsOneLineNamingIt() {
        assertEquals(2, run("seed", "--show", "1", "--config", "/nonexistent/tracuu.yaml"));
        assertEquals(
                "tracuu: config: config file /nonexistent/tracuu.yaml does not exist or is not a file",
                err.toString().strip());
    }

    @Test
    void hashPasswordReadsThePasswordFromStandardInputNotTheCommandLine() throws Exception {
        InputStream stdin = System.in;
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream("s3cret\n".getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertEquals(0, run("hash-password"));
        } finally {
            System.setIn(stdin);
            System.setOut(stdout);
        }
        String hash = printed.toString(StandardCharsets.UTF_8).strip();
        assertTrue(PasswordCheck.parse(hash).matches("s3cret"), hash);
        assertEquals(2, run("hash-password", "s3cret"), "a password on the command line is refused");
    }

    @Test
    void configCheckPassesAGoodFileAndNamesTheKeyOfABadOne(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "smpp:\n  port: 2776\n");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "smpp:\n  port: 70000\n");
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, run("config", "check", "--config", good.toString()));
        } finally {
            System.setOut(stdout);
        }
        assertTrue(
                out.toString(StandardCharsets.UTF_8).startsWith("config OK: bundled defaults and " + good),
                out.toString());
        assertEquals(2, run("config", "check", "--config", bad.toString()));
        assertEquals(
                "tracuu: config: smpp.port: must be a whole number from 0 to 65535, got '70000'",
                err.toString().strip());
    }
}
