package vn.tracuu.app;

import vn.tracuu.app.cli.TracuuCommand;

/** The jar's entry point: the {@code tracuu} command line ({@link TracuuCommand}). */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        int code = TracuuCommand.execute(args);
        if (code != TracuuCommand.RUNNING) {
            System.exit(code);
        }
    }
}
