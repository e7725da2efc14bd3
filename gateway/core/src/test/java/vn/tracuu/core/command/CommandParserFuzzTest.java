package vn.tracuu.core.command;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any text a citizen can send is parsed into some command (help at worst), never an exception.
 * Fuzzed for a bounded time in the normal build; findings replay from {@code CommandParserFuzzTestInputs}.
 */
class CommandParserFuzzTest {

    private final CommandParser parser = new CommandParser();

    @FuzzTest(maxDuration = "10s")
    void everyTextIsSomeCommand(String text) {
        assertNotNull(parser.parse(text).code());
    }
}
