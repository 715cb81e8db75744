package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.cli.Main;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Proc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.cli.testing.Rsyslog;
import org.posix4j.testing.ScaledTimeout;
import org.posix4j.testing.TimeFactor;

/// `posix4j daemon` in child JVMs: the launcher's exit code, the supervisor and program read back
/// from /proc and ps, start-stop-daemon(8) stopping it through the pid file, its `--syslog` lines
/// read back from a real rsyslogd, and libslack's daemon(1) detaching the same program alike.
@ScaledTimeout(120)
class DaemonCommandTest {
    private static Result posix4j(String... args) throws IOException, InterruptedException {
        return ChildProcess.run(ChildProcess.java(Main.class, args));
    }

    /// The pids of `parent`'s children, as ps(1) lists them.
    private static List<Long> children(long parent) throws IOException, InterruptedException {
        Result r = ChildProcess.run(List.of("ps", "-o", "pid=", "--ppid", Long.toString(parent)));
        List<Long> pids = new ArrayList<>();
        for (String line : r.stdout().strip().split("\n")) {
            if (!line.isBlank()) {
                pids.add(Long.parseLong(line.strip()));
            }
        }
        return pids;
    }

    private static boolean alive(long pid) throws IOException {
        // A zombie left to a parent that does not reap is gone as far as a daemon goes.
        return Proc.statIfAlive(pid).filter(stat -> !stat.contains(") Z ")).isPresent();
    }

    private static void awaitGone(long pid) throws IOException, InterruptedException {
        for (long i = 0, n = TimeFactor.scale(200); i < n && alive(pid); i++) {
            Thread.sleep(50);
        }
        assertFalse(alive(pid), "pid " + pid + " still runs");
    }

    @Test
    void startsDetachedAndStartStopDaemonStopsIt(@TempDir Path tmp) throws Exception {
        Requires.programs("start-stop-daemon", "ps", "sh", "sleep");
        Path pidFile = tmp.resolve("d.pid");
        Path out = tmp.resolve("out.log");
        Result start = posix4j("daemon", "--pidfile", pidFile.toString(), "--output", out.toString(), "--chdir",
                tmp.toString(), "--", "sh", "-c", "echo started in $(pwd); echo oops >&2; exec sleep 60");
        assertEquals(0, start.exitCode(), start.toString());
        long supervisor = Long.parseLong(Files.readString(pidFile).strip());
        try {
            assertTrue(alive(supervisor));
            // A new session that it does not lead, so it can never get a terminal, and no terminal.
            long sid = Proc.stat(supervisor, 6);
            assertNotEquals(supervisor, sid);
            assertNotEquals(ProcessHandle.current().pid(), Proc.stat(supervisor, 4));
            assertEquals(0, Proc.stat(supervisor, 7));
            assertEquals("/", Files.readSymbolicLink(Path.of("/proc/" + supervisor + "/cwd")).toString());

            List<Long> kids = children(supervisor);
            assertEquals(1, kids.size(), kids.toString());
            long program = kids.getFirst();
            assertTrue(Files.readString(Path.of("/proc/" + program + "/cmdline")).startsWith("sleep\0"));
            assertEquals(sid, Proc.stat(program, 6));
            assertEquals(0, Proc.stat(program, 7));
            assertEquals(program, Proc.stat(program, 5), "the program leads a process group of its own");
            assertEquals(tmp.toRealPath(), Files.readSymbolicLink(Path.of("/proc/" + program + "/cwd")));
            assertEquals("/dev/null", Files.readSymbolicLink(Path.of("/proc/" + program + "/fd/0")).toString());
            assertEquals("0022", Proc.status(program, "Umask"));
            assertEquals("started in " + tmp.toRealPath() + "\noops\n", Files.readString(out));

            assertEquals(0, posix4j("daemon", "--status", "--pidfile", pidFile.toString()).exitCode());
            Result second = posix4j("daemon", "--pidfile", pidFile.toString(), "--", "sleep", "60");
            assertEquals(1, second.exitCode());
            assertTrue(second.stderr().contains("already running as pid " + supervisor), second.stderr());

            Result stop = ChildProcess.run(List.of("start-stop-daemon", "--stop", "--pidfile", pidFile.toString(),
                    "--retry", "5"));
            assertEquals(0, stop.exitCode(), stop.toString());
            awaitGone(supervisor);
            awaitGone(program);
            assertFalse(Files.exists(pidFile));
            assertEquals(DaemonCommand.EXIT_NOT_RUNNING,
                    posix4j("daemon", "--status", "--pidfile", pidFile.toString()).exitCode());
        } finally {
            if (alive(supervisor)) {
                ProcessHandle.of(supervisor).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void stopOptionEndsSupervisorAndProgram(@TempDir Path tmp) throws Exception {
        Requires.programs("ps", "sleep");
        Path pidFile = tmp.resolve("d.pid");
        assertEquals(0, posix4j("daemon", "--pidfile", pidFile.toString(), "--", "sleep", "60").exitCode());
        long supervisor = Long.parseLong(Files.readString(pidFile).strip());
        long program = children(supervisor).getFirst();
        Result stop = posix4j("daemon", "--stop", "--pidfile", pidFile.toString());
        assertEquals(0, stop.exitCode(), stop.toString());
        assertFalse(Files.exists(pidFile));
        awaitGone(supervisor);
        awaitGone(program);
        Result again = posix4j("daemon", "--stop", "--pidfile", pidFile.toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.stderr().contains("not running"), again.stderr());
    }

    @Test
    void execFailureMakesTheLauncherFailWithTheReason(@TempDir Path tmp) throws Exception {
        Path pidFile = tmp.resolve("d.pid");
        Path missing = tmp.resolve("no-such-program");
        Result r = posix4j("daemon", "--pidfile", pidFile.toString(), "--", missing.toString());
        assertEquals(1, r.exitCode());
        assertEquals("posix4j daemon: " + missing + ": No such file or directory\n", r.stderr());
        assertFalse(Files.exists(pidFile), "the failed supervisor removed its pid file");
    }

    @Test
    void syslogSendsStdoutAtInfoAndStderrAtErr(@TempDir Path tmp) throws Exception {
        Requires.programs("sh", "sleep");
        String tag = "p4jdaemon" + ProcessHandle.current().pid();
        Path pidFile = tmp.resolve("d.pid");
        try (Rsyslog rsyslog = Rsyslog.start()) {
            // In the namespace where /dev/log is the test's rsyslogd, which the daemon inherits.
            Result start = ChildProcess.run(rsyslog.command(ChildProcess.java(Main.class, "daemon", "--syslog", tag,
                    "--pidfile", pidFile.toString(), "--", "sh", "-c", "echo to stdout; echo to stderr >&2; exec sleep 60")));
            assertEquals(0, start.exitCode(), start.toString());
            long supervisor = Long.parseLong(Files.readString(pidFile).strip());
            try {
                List<Rsyslog.Entry> got = rsyslog.await(2, e -> e.program().equals(tag));
                // 3 is daemon; 6 info, 3 err. The supervisor sends them, so its pid is in the tag.
                assertEquals(List.of(
                                new Rsyslog.Entry(3, 6, tag, tag + "[" + supervisor + "]:", Long.toString(supervisor),
                                        "to stdout"),
                                new Rsyslog.Entry(3, 3, tag, tag + "[" + supervisor + "]:", Long.toString(supervisor),
                                        "to stderr")),
                        got.stream().sorted(Comparator.comparing(Rsyslog.Entry::message).reversed()).toList());
                assertEquals(0, posix4j("daemon", "--stop", "--pidfile", pidFile.toString()).exitCode());
                awaitGone(supervisor);
            } finally {
                if (alive(supervisor)) {
                    ProcessHandle.of(supervisor).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    /// What the program under test writes to `dir`: the target of its fd 0, its /proc stat line,
    /// its cwd, then what it read on stdin (to its end), and last "done".
    private static List<String> reporter(Path dir) {
        return List.of("sh", "-c", "readlink /proc/$$/fd/0 > " + dir + "/fd0; cat /proc/$$/stat > " + dir
                + "/stat; pwd -P > " + dir + "/cwd; cat > " + dir + "/stdin; echo done > " + dir
                + "/done; exec sleep 60");
    }

    private static void awaitFile(Path file) throws InterruptedException {
        for (long i = 0, n = TimeFactor.scale(200); i < n && !Files.exists(file); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(file), file + " never appeared");
    }

    /// Checks what the reporter in `dir`, run by the supervisor `supervisor`, found, and answers
    /// its pid: both in the supervisor's session, which neither leads, without a terminal, in "/",
    /// with stdin at its end from the start; the supervisor's stdio on /dev/null.
    private static long checkDaemonized(String who, long supervisor, Path dir) throws IOException, InterruptedException {
        awaitFile(dir.resolve("done"));
        String line = Files.readString(dir.resolve("stat"));
        long program = Long.parseLong(line.substring(0, line.indexOf(' ')));
        // The fields after "(comm) ": state, ppid, pgrp, session, tty_nr...
        String[] stat = line.substring(line.lastIndexOf(')') + 2).split(" ");
        long sid = Long.parseLong(stat[3]);
        assertNotEquals(program, sid, who + ": the program leads no session");
        assertEquals("0", stat[4], who + ": the program has no controlling terminal");
        assertEquals("/\n", Files.readString(dir.resolve("cwd")), who);
        assertEquals("", Files.readString(dir.resolve("stdin")), who + ": stdin at its end");
        assertEquals(sid, Proc.stat(supervisor, 6), who + ": the program is in the supervisor's session");
        assertNotEquals(supervisor, sid, who + ": the supervisor leads no session");
        assertEquals(0, Proc.stat(supervisor, 7), who);
        assertEquals("/", Files.readSymbolicLink(Path.of("/proc/" + supervisor + "/cwd")).toString(), who);
        for (int fd = 0; fd <= 2; fd++) {
            assertEquals("/dev/null", Files.readSymbolicLink(Path.of("/proc/" + supervisor + "/fd/" + fd)).toString(),
                    who + ": supervisor's fd " + fd);
        }
        assertEquals(List.of(program), children(supervisor), who);
        return program;
    }

    @Test
    void detachesLikeLibslackDaemon(@TempDir Path tmp) throws Exception {
        Requires.programs("daemon", "sh", "sleep", "cat", "readlink", "ps");
        Path theirs = Files.createDirectory(tmp.resolve("theirs"));
        Path ours = Files.createDirectory(tmp.resolve("ours"));
        String name = "p4jtest" + ProcessHandle.current().pid();
        List<String> daemon = List.of("daemon", "--noconfig", "--name=" + name, "--pidfiles=" + theirs);
        List<String> start = new ArrayList<>(daemon);
        start.add("--");
        start.addAll(reporter(theirs));
        Result r = ChildProcess.run(start);
        assertEquals(0, r.exitCode(), r.toString());
        Path pidFile = ours.resolve("d.pid");
        List<String> args = new ArrayList<>(List.of("daemon", "--pidfile", pidFile.toString(), "--"));
        args.addAll(reporter(ours));
        Result p = posix4j(args.toArray(String[]::new));
        assertEquals(0, p.exitCode(), p.toString());
        Path theirPidFile = theirs.resolve(name + ".pid");
        awaitFile(theirPidFile);
        long theirSupervisor = Long.parseLong(Files.readString(theirPidFile).strip());
        long ourSupervisor = Long.parseLong(Files.readString(pidFile).strip());
        try {
            long theirProgram = checkDaemonized("daemon(1)", theirSupervisor, theirs);
            long ourProgram = checkDaemonized("posix4j daemon", ourSupervisor, ours);
            // daemon(1) hands its program an empty pipe as stdin; posix4j daemon, /dev/null.
            assertEquals("/dev/null\n", Files.readString(ours.resolve("fd0")));

            List<String> stop = new ArrayList<>(daemon);
            stop.add("--stop");
            Result stopped = ChildProcess.run(stop);
            assertEquals(0, stopped.exitCode(), stopped.toString());
            assertEquals(0, posix4j("daemon", "--stop", "--pidfile", pidFile.toString()).exitCode());
            for (long pid : List.of(theirSupervisor, theirProgram, ourSupervisor, ourProgram)) {
                awaitGone(pid);
            }
        } finally {
            for (long pid : List.of(theirSupervisor, ourSupervisor)) {
                if (alive(pid)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    @Test
    void relativePidFileIsAUsageError() throws Exception {
        Result r = posix4j("daemon", "--pidfile", "d.pid", "--", "true");
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.stderr().contains("--pidfile needs an absolute path"), r.stderr());
    }

    @Test
    void aRespawnDelayOutOfRangeIsAUsageError() throws Exception {
        for (String ms : List.of("0", "30001")) {
            Result r = posix4j("daemon", "--respawn", "--respawn-delay", ms, "--", "true");
            assertEquals(Main.EXIT_USAGE, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains("--respawn-delay must be 1..30000 (ms): " + ms), r::toString);
        }
    }

    @Test
    void respawnRestartsAFailingProgramThenGivesUp(@TempDir Path tmp) throws Exception {
        Requires.programs("sh");
        Path pidFile = tmp.resolve("d.pid");
        Path runs = tmp.resolve("runs");
        Path out = tmp.resolve("out.log");
        Result start = posix4j("daemon", "--respawn", "--respawn-delay", "100", "--pidfile", pidFile.toString(),
                "--output", out.toString(), "--", "sh", "-c", "echo run >> " + runs + "; exit 1");
        assertEquals(0, start.exitCode(), start.toString());
        long supervisor = Long.parseLong(Files.readString(pidFile).strip());
        // Back-off 0.1 + 0.2 + 0.4 + 0.8 s between the 5 runs.
        for (long i = 0, n = TimeFactor.scale(600); i < n && alive(supervisor); i++) {
            Thread.sleep(50);
        }
        assertFalse(alive(supervisor));
        assertEquals(5, Files.readAllLines(runs).size());
        assertTrue(Files.readString(out).contains("giving up: sh failed 5 times"), Files.readString(out));
        assertFalse(Files.exists(pidFile));
    }

    /// Waits up to `seconds` (times the time factor) until `file` contains `text`.
    private static void awaitText(Path file, String text, int seconds) throws IOException, InterruptedException {
        long deadline = TimeFactor.deadline(Duration.ofSeconds(seconds));
        while (System.nanoTime() < deadline && !(Files.exists(file) && Files.readString(file).contains(text))) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(file) && Files.readString(file).contains(text),
                file + " never contained '" + text + "': " + (Files.exists(file) ? Files.readString(file) : "(none)"));
    }

    /// A shell script at `program` that appends a line to `runs`, then, on its first run, moves its
    /// own file away to `program.away` and fails; on later runs it stays up.
    private static void vanishingProgram(Path program, Path runs) throws IOException {
        Path flag = program.resolveSibling("ran-once");
        Files.writeString(program, "#!/bin/sh\necho run >> " + runs + "\nif [ ! -e " + flag + " ]; then touch "
                + flag + "; mv " + program + " " + program + ".away; exit 1; fi\nexec sleep 60\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void respawnCountsAMissingProgramAsAFailureAndStartsItWhenBack(@TempDir Path tmp) throws Exception {
        Requires.programs("sh", "mv", "touch", "sleep", "ps");
        Path program = tmp.resolve("prog");
        Path runs = tmp.resolve("runs");
        Path out = tmp.resolve("out.log");
        Path pidFile = tmp.resolve("d.pid");
        vanishingProgram(program, runs);
        Result start = posix4j("daemon", "--respawn", "--respawn-delay", "500", "--pidfile", pidFile.toString(),
                "--output", out.toString(), "--", program.toString());
        assertEquals(0, start.exitCode(), start.toString());
        long supervisor = Long.parseLong(Files.readString(pidFile).strip());
        try {
            // Run 1 fails at once and takes the file away; the restart 0.5 s later finds nothing.
            awaitText(out, program + " could not be started (" + program + ": No such file or directory);"
                    + " restarting in 1000 ms", 20);
            assertTrue(alive(supervisor), "a missing program is a failure to count, not a reason to give up");
            Files.move(program.resolveSibling("prog.away"), program);
            // The next restart finds it again: run 2 stays up as a child of the supervisor.
            long deadline = TimeFactor.deadline(Duration.ofSeconds(20));
            while (System.nanoTime() < deadline && Files.readAllLines(runs).size() < 2) {
                Thread.sleep(50);
            }
            assertEquals(2, Files.readAllLines(runs).size(), Files.readString(out));
            assertTrue(alive(supervisor));
            assertEquals(1, children(supervisor).size());
            assertFalse(Files.readString(out).contains("giving up"), Files.readString(out));
            assertEquals(0, posix4j("daemon", "--stop", "--pidfile", pidFile.toString()).exitCode());
            awaitGone(supervisor);
        } finally {
            if (alive(supervisor)) {
                ProcessHandle.of(supervisor).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void respawnGivesUpWhenTheProgramStaysMissing(@TempDir Path tmp) throws Exception {
        Requires.programs("sh", "mv", "touch");
        Path program = tmp.resolve("prog");
        Path runs = tmp.resolve("runs");
        Path out = tmp.resolve("out.log");
        Path pidFile = tmp.resolve("d.pid");
        vanishingProgram(program, runs);
        Result start = posix4j("daemon", "--respawn", "--respawn-delay", "100", "--pidfile", pidFile.toString(),
                "--output", out.toString(), "--", program.toString());
        assertEquals(0, start.exitCode(), start.toString());
        long supervisor = Long.parseLong(Files.readString(pidFile).strip());
        // One run and four starts that fail, 0.1 + 0.2 + 0.4 + 0.8 s apart: the fifth failure ends it.
        awaitText(out, "giving up: " + program + " failed 5 times in a row within 10 s of its start (last: could not"
                + " be started (" + program + ": No such file or directory))", 40);
        awaitGone(supervisor);
        assertEquals(1, Files.readAllLines(runs).size());
        String log = Files.readString(out);
        assertEquals(3, log.split("could not be started \\(", -1).length - 2, log);
        assertFalse(Files.exists(pidFile));
    }

    /// Runs `posix4j daemon --pidfile DIR/d.pid` in a mount namespace of its own where `setup`
    /// (a shell command, DIR in $1) has mounted something on DIR, so the machine's mounts are
    /// never touched; the program would leave `marker` if it ran.
    private static Result daemonWithPidFileIn(Path dir, String setup, Path marker)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                setup + " && shift && exec \"$@\"", "sh", dir.toString()));
        cmd.addAll(ChildProcess.java(Main.class, "daemon", "--pidfile", dir.resolve("d.pid").toString(), "--",
                "touch", marker.toString()));
        return ChildProcess.run(cmd);
    }

    @Test
    void pidFileOnAReadOnlyFileSystemFailsAtStart(@TempDir Path tmp) throws Exception {
        assertPidFileFails(tmp, "mount -t tmpfs -o ro,size=64k tmpfs \"$1\"", "Read-only file system [EROFS]");
    }

    @Test
    void pidFileOnAFullFileSystemFailsAtStart(@TempDir Path tmp) throws Exception {
        Requires.programs("dd");
        // One page of tmpfs, filled: the pid file can be created but not written.
        assertPidFileFails(tmp, "mount -t tmpfs -o size=4k tmpfs \"$1\" && { dd if=/dev/zero"
                + " of=\"$1/fill\" bs=4k count=2 2>/dev/null; [ -s \"$1/fill\" ]; }",
                "No space left on device [ENOSPC]");
    }

    /// The pid file's directory made unusable by `mount` (run in a private mount namespace):
    /// posix4j daemon says so in one line ending in `error`, exits 1, and never starts the program.
    private static void assertPidFileFails(Path tmp, String mount, String error) throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root to mount (CI runs as root)");
        Requires.programs("unshare", "mount", "sh", "touch");
        Path dir = Files.createDirectory(tmp.resolve("pid"));
        Path marker = tmp.resolve("ran");
        Result r = daemonWithPidFileIn(dir, mount, marker);
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stderr().startsWith("posix4j daemon: cannot create the pid file " + dir.resolve("d.pid") + ": ")
                && r.stderr().endsWith(": " + error + "\n"), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertFalse(Files.exists(marker), "the program never started");
    }

    @Test
    void userDropsPrivilegesOfTheProgram(@TempDir Path tmp) throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root to change user (CI runs as root)");
        Requires.programs("ps", "sleep");
        Path pidFile = tmp.resolve("d.pid");
        Result start = posix4j("daemon", "--user", "nobody", "--pidfile", pidFile.toString(), "--", "sleep", "60");
        assertEquals(0, start.exitCode(), start.toString());
        long supervisor = Long.parseLong(Files.readString(pidFile).strip());
        try {
            long program = children(supervisor).getFirst();
            String nobody = ChildProcess.output("id", "-u", "nobody");
            String group = ChildProcess.output("id", "-g", "nobody");
            for (long pid : List.of(supervisor, program)) {
                assertEquals(List.of(nobody, nobody, nobody, nobody),
                        List.of(Proc.status(pid, "Uid").split("\\s+")));
                assertEquals(List.of(group, group, group, group), List.of(Proc.status(pid, "Gid").split("\\s+")));
            }
            assertEquals(0, posix4j("daemon", "--stop", "--pidfile", pidFile.toString()).exitCode());
            awaitGone(supervisor);
            awaitGone(program);
        } finally {
            if (alive(supervisor)) {
                ProcessHandle.of(supervisor).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
