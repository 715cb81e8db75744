package org.posix4j.cli;

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
///
/// With the argument `broker` it runs instead the workload of the cache the launchers use for
/// `sandbox --enforce broker` alone: a brokered program stats and opens up to 20,000 files of
/// /usr (about 60,000 calls), long enough for the broker's serving code to reach C2 in the
/// training, whose profiles and compilations the cache keeps (JEP 515). A brokered command
/// started with it runs its first calls with that code (a 20,000-file walk about a tenth
/// shorter); its start is about 50 ms longer, which is why the other commands keep the cache
/// trained with C1 alone.
final class Training {
    /// The script of the program the sandboxes run, `/bin/sh` (there on every Linux): it tests for
    /// one file and reads a line of it, so that the broker answers a stat and an open, then runs
    /// `id`, whose user name lookup first tries to connect to nscd's unix socket, as most programs'
    /// lookups do: the broker's network path, whose classes a program's first connect would
    /// otherwise load from the jar (about 8 ms).
    private static final String SCRIPT = "test -e /etc/passwd && read -r line < /etc/passwd; id -un >/dev/null 2>&1;"
            + " exit 0";

    /// The brokered workload: `find` lists the files (its own calls are brokered too), and for
    /// each the shell stats it (`test -f`) and opens it without reading (`: < FILE`).
    private static final String WALK = "find /usr -type f 2>/dev/null | head -n 20000 |"
            + " while read -r f; do test -f \"$f\" && : < \"$f\"; done 2>/dev/null; exit 0";

    private Training() {}

    /// Runs the training commands; exits with `info`'s exit code, or the brokered workload's
    /// with `broker`.
    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("broker")) {
            System.exit(Main.run("sandbox", "--enforce", "broker", "--allow-read", "/", "--", "/bin/sh", "-c", WALK));
        }
        int info = Main.run("info");
        Main.run("sandbox", "--enforce", "broker", "--", "/bin/sh", "-c", SCRIPT);
        Main.run("sandbox", "--enforce", "kernel", "--no-defaults", "--allow-read", "/", "--", "/bin/sh", "-c", SCRIPT);
        Main.run("run", "--", "/bin/sh", "-c", "exit 0");
        System.exit(info);
    }
}
