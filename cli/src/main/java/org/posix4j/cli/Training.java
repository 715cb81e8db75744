package org.posix4j.cli;

import java.util.Arrays;

/// The workload the launchers (`./posix4j` and the dist's) run once to train their AOT cache
/// (JEP 483 and 514): a JVM started with `-XX:AOTCacheOutput` records the classes this run loads
/// and links, and every later start with that cache finds them ready.
///
/// One `info` alone left out what a sandbox needs: the broker, the spawn, the seccomp filter,
/// Landlock and the method handles of their native calls, which cost a sandboxed command's start
/// about a tenth of a second. So this runs, in one JVM, the commands people start most: `info`, a
/// brokered sandbox whose program stats and opens a file, a sandbox in kernel mode and `run`.
///
/// Their output goes where the launcher sends it (a log). Only `info` has to succeed: a machine
/// where a sandbox cannot run (no seccomp in a container, say) still gets a cache for the rest.
final class Training {
    /// The program the sandboxes run: `/bin/sh`, there on every Linux, testing for one file and
    /// reading a line of it, so that the broker answers a stat and an open.
    private static final String[] PROGRAM =
            {"--", "/bin/sh", "-c", "test -e /etc/passwd && read -r line < /etc/passwd; exit 0"};

    private Training() {}

    /// Runs the training commands; exits with `info`'s exit code.
    public static void main(String[] args) {
        int info = Main.run("info");
        sandbox("--enforce", "broker");
        sandbox("--enforce", "kernel", "--no-defaults", "--allow-read", "/");
        Main.run("run", "--", "/bin/sh", "-c", "exit 0");
        System.exit(info);
    }

    /// Runs `posix4j sandbox` with the options `options` on [#PROGRAM].
    private static void sandbox(String... options) {
        String[] line = Arrays.copyOf(new String[] {"sandbox"}, 1 + options.length + PROGRAM.length);
        System.arraycopy(options, 0, line, 1, options.length);
        System.arraycopy(PROGRAM, 0, line, 1 + options.length, PROGRAM.length);
        Main.run(line);
    }
}
