package vn.tracuu.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Pins this JVM's threads to some CPUs with Linux's {@code taskset}, to measure what a second core
 * gives the gateway: PostgreSQL's processes, started before, keep every core, and threads the JVM
 * starts later inherit the pin from the thread that starts them.
 */
final class JvmCpus {

    private JvmCpus() {}

    static void pin(String cpus) throws IOException, InterruptedException {
        Process taskset = new ProcessBuilder(
                        "taskset",
                        "--all-tasks",
                        "--cpu-list",
                        "--pid",
                        cpus,
                        Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true)
                .start();
        String said = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (taskset.waitFor() != 0) {
            throw new IllegalStateException("--jvm-cpus " + cpus + ": taskset refused: " + said);
        }
    }
}
