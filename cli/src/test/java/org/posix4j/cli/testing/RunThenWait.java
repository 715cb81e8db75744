package org.posix4j.cli.testing;

import java.io.IOException;
import org.posix4j.cli.Main;

/// Runs the command like [Main#main], then prints [#MARKER] and the exit code, and stays alive
/// until its stdin closes, so that a test can read /proc/PID of the very process that answered
/// before the pid can be reused.
public final class RunThenWait {
    /// The line after the command's output: this prefix, then the exit code.
    public static final String MARKER = "=== posix4j exited with ";

    private RunThenWait() {}

    /// Runs `args` as the `posix4j` command line, then waits for stdin to close.
    public static void main(String[] args) throws IOException {
        int code = Main.run(args);
        System.out.println(MARKER + code);
        System.out.flush();
        System.in.readAllBytes();
        System.exit(code);
    }
}
