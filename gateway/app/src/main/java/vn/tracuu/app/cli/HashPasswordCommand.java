package vn.tracuu.app.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import vn.tracuu.smpp.session.PasswordCheck;

/**
 * Reads the password from the terminal without echo, or from standard input when piped, never
 * from the command line (where shell history and {@code ps} would keep it).
 */
@Command(
        name = "hash-password",
        description = "Print the config form of an operator's SMPP password, read from the terminal or stdin.")
final class HashPasswordCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String password;
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("SMPP password: ");
            password = typed == null ? "" : new String(typed);
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? "" : line;
        }
        // SMPP 3.4 §4.1.1: password is a C-Octet String of at most 9 octets with its NUL
        if (password.isEmpty() || password.length() > 8) {
            throw new ParameterException(
                    spec.commandLine(), "the password must be 1 to 8 characters (SMPP 3.4 §4.1.1)");
        }
        System.out.println(PasswordCheck.hash(password));
        return 0;
    }
}
