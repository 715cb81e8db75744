package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.cli.command.RunCommandTest.concat;
import static org.posix4j.cli.command.RunCommandTest.concurrently;
import static org.posix4j.cli.command.RunCommandTest.posix4j;
import static org.posix4j.cli.command.RunCommandTest.run;

import java.io.File;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Proc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.cli.testing.RunThenWait;
import org.posix4j.terminal.PseudoTerminal;
import org.posix4j.testing.ScaledTimeout;
import org.posix4j.testing.TimeFactor;

/// `posix4j run`'s sessions, process groups, terminal, timeouts and signals, side by side with
/// setsid(1) and timeout(1) on the same commands. The program is a probe that reads its own
/// /proc/self/stat and prints its group, session, terminal and the terminal's foreground group,
/// each as "self" when it is the probe's own pid, so that runs of different processes compare.
@ScaledTimeout(120)
class RunCommandGroupsTest {
    /// Prints `pgrp=.. sid=.. tty=.. tpgid=..` on one line (proc(5) fields 5, 6, 7 and 8) and
    /// `ppid=..` on the next.
    private static final List<String> PROBE = List.of("python3", "-c", """
            s = open('/proc/self/stat').read()
            pid = s.split(' ', 1)[0]
            f = s[s.rindex(')') + 2:].split()
            rel = lambda v: 'self' if v == pid else v
            print('pgrp=%s sid=%s tty=%s tpgid=%s' % (rel(f[2]), rel(f[3]), f[4], rel(f[5])))
            print('ppid=%s' % f[1])
            """);

    /// With `--setsid` the program leads a new session and group without a terminal, as under
    /// setsid(1); without it, it stays in posix4j's group and session, which are the test's.
    @Test
    void sessionLayoutMatchesSetsid() throws Exception {
        Requires.programs("setsid", "python3");
        long self = ProcessHandle.current().pid();
        String setsid = layout(ChildProcess.run(concat(List.of("setsid"), PROBE)));
        assertEquals("pgrp=self sid=self tty=0 tpgid=-1", setsid);
        assertEquals(setsid, layout(run(concat(List.of("--setsid", "--"), PROBE))));

        String plain = layout(ChildProcess.run(PROBE));
        assertTrue(plain.startsWith("pgrp=" + Proc.stat(self, 5) + " sid=" + Proc.stat(self, 6) + " "), plain);
        assertEquals(plain, layout(run(concat(List.of("--"), PROBE))));
    }

    /// `--pgroup new` and `--timeout` give the program a group of its own in posix4j's session,
    /// as setpgid(0, 0) before exec does (Python's os.setpgid is the peer). timeout(1) instead
    /// moves itself and the program into a new group that it leads.
    @Test
    void newGroupMatchesSetpgidAndDiffersFromTimeoutAsDocumented() throws Exception {
        Requires.programs("python3", "timeout");
        long self = ProcessHandle.current().pid();
        List<String> setpgid = concat(List.of("python3", "-c",
                "import os, sys; os.setpgid(0, 0); os.execvp(sys.argv[1], sys.argv[1:])"), PROBE);
        String expected = "pgrp=self sid=" + Proc.stat(self, 6) + " ";
        String peer = layout(ChildProcess.run(setpgid));
        assertTrue(peer.startsWith(expected), peer);
        assertEquals(peer, layout(run(concat(List.of("--pgroup", "new", "--"), PROBE))));
        assertEquals(peer, layout(run(concat(List.of("--timeout", "30", "--"), PROBE))));

        Result timeout = ChildProcess.run(concat(List.of("timeout", "30"), PROBE));
        String[] lines = timeout.stdout().split("\n");
        assertEquals("pgrp=" + lines[1].substring("ppid=".length()) + " sid=" + Proc.stat(self, 6),
                lines[0].substring(0, lines[0].indexOf(" tty=")), "timeout(1) leads the program's group");
    }

    /// `--pgroup PGID` joins an existing group of the session; a group of another session is
    /// posix4j's failure (setpgid's EPERM), exit code 125.
    @Test
    void pgroupJoinsAnExistingGroup() throws Exception {
        Requires.programs("python3", "setsid");
        // A session leader already leads its group, and setpgid would refuse it (EPERM).
        String holder = "import os, sys; os.getpgrp() == os.getpid() or os.setpgid(0, 0); print('pgid=%d' % os.getpgrp(), flush=True); sys.stdin.read()";
        try (ChildProcess group = ChildProcess.start(new ProcessBuilder("python3", "-c", holder))) {
            String pgid = group.readUntil("pgid=")[1];
            assertEquals(Long.toString(group.pid()), pgid);
            assertTrue(layout(run(concat(List.of("--pgroup", pgid, "--"), PROBE))).startsWith("pgrp=" + pgid + " "));
        }
        try (ChildProcess otherSession = ChildProcess.start(new ProcessBuilder("setsid", "python3", "-c", holder))) {
            String pgid = otherSession.readUntil("pgid=")[1];
            Result r = run("--pgroup", pgid, "--", "sh", "-c", "echo started");
            assertEquals(125, r.exitCode(), r::toString);
            assertEquals("", r.stdout());
            assertEquals("posix4j run: --pgroup " + pgid
                    + ": Operation not permitted (no such process group in this session)\n", r.stderr());
        }
    }

    /// `--foreground` makes the program's new group the foreground group of posix4j's
    /// controlling terminal: a pseudo-terminal that `setsid -c` made posix4j's; once the program
    /// ended, the terminal's foreground group is posix4j's again.
    @Test
    void foregroundGivesTheProgramTheTerminal() throws Exception {
        Requires.programs("setsid", "python3");
        try (PseudoTerminal pty = PseudoTerminal.open();
                ChildProcess child = ChildProcess.start(new ProcessBuilder(concat(List.of("setsid", "-c"),
                        ChildProcess.java(RunThenWait.class, concat(List.of("run", "--foreground", "--"), PROBE)
                                .toArray(String[]::new))))
                        .redirectInput(new File(pty.slavePath())))) {
            String[] printed = child.readUntil(RunThenWait.MARKER);
            assertEquals("0", printed[1], printed[0]);
            String layout = printed[0].lines().findFirst().orElseThrow();
            long posix4j = child.pid();
            assertEquals(posix4j, Proc.stat(posix4j, 6), "setsid -c made posix4j a session leader");
            assertEquals("pgrp=self sid=" + posix4j + " tty=" + Proc.stat(posix4j, 7) + " tpgid=self", layout);
            assertNotEquals(0, Proc.stat(posix4j, 7), "posix4j has the pty as controlling terminal");
            assertEquals(posix4j, Proc.stat(posix4j, 8), "posix4j took the terminal back");
        }
    }

    /// A non-interactive script that runs `posix4j run --foreground` (in the script's group, the
    /// terminal's foreground group) has the terminal again afterwards, as after a shell's job: it
    /// can change the terminal's settings, which a background group cannot (stty fails with EIO,
    /// the group being orphaned). A posix4j started in a background group leaves the terminal to
    /// the program's group: it was not posix4j's to take back.
    @Test
    void foregroundGivesTheTerminalBackToTheCallingScript() throws Exception {
        Requires.programs("setsid", "sh", "stty", "ps", "python3");
        String script = """
                "$@"; echo "posix4j=$?"
                stty -echo && echo "stty=ok"
                echo "pgid,tpgid=$(ps -o pgid=,tpgid= -p $$ | xargs | tr ' ' ,)"
                """;
        List<String> command = posix4j("--foreground", "--", "sh", "-c", "echo program=$$");
        try (PseudoTerminal pty = PseudoTerminal.open()) {
            Result foreground = RunCommandTest.finish(new ProcessBuilder(
                    concat(List.of("setsid", "-c", "sh", "-c", script, "sh"), command))
                    .redirectInput(new File(pty.slavePath())));
            assertEquals(0, foreground.exitCode(), foreground::toString);
            assertEquals("", foreground.stderr());
            String program = lineValue(foreground.stdout(), "program=");
            String launcher = lineValue(foreground.stdout(), "pgid,tpgid=").split(",")[0];
            assertNotEquals(program, launcher);
            assertEquals("posix4j=0\nstty=ok\npgid,tpgid=" + launcher + "," + launcher + "\n",
                    foreground.stdout().substring(foreground.stdout().indexOf("posix4j=")), foreground::toString);

            List<String> inBackground = concat(List.of("python3", "-c",
                    "import os, sys; os.setpgid(0, 0); os.execvp(sys.argv[1], sys.argv[1:])"), command);
            Result background = RunCommandTest.finish(new ProcessBuilder(
                    concat(List.of("setsid", "-c", "sh", "-c", script, "sh"), inBackground))
                    .redirectInput(new File(pty.slavePath())));
            String stranger = lineValue(background.stdout(), "program=");
            String caller = lineValue(background.stdout(), "pgid,tpgid=").split(",")[0];
            assertEquals("posix4j=0\npgid,tpgid=" + caller + "," + stranger + "\n",
                    background.stdout().substring(background.stdout().indexOf("posix4j=")), background::toString);
            assertTrue(background.stderr().contains("Input/output error"), background::stderr);
        }
    }

    /// The rest of the line of `output` that starts with `prefix`.
    private static String lineValue(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + output)).substring(prefix.length());
    }

    /// `--foreground` needs a terminal on stdin that is posix4j's controlling terminal; else it is
    /// posix4j's failure, 125, and the program does not start.
    @Test
    void foregroundWithoutTheControllingTerminalIs125() throws Exception {
        Result pipe = run("--foreground", "--", "sh", "-c", "echo started");
        assertEquals(125, pipe.exitCode(), pipe::toString);
        assertEquals("", pipe.stdout());
        assertEquals("posix4j run: --foreground: standard input is not a terminal\n", pipe.stderr());

        try (PseudoTerminal pty = PseudoTerminal.open()) {
            Result notOurs = RunCommandTest.finish(new ProcessBuilder(posix4j("--foreground", "--", "sh", "-c", "echo started"))
                    .redirectInput(new File(pty.slavePath())));
            assertEquals(125, notOurs.exitCode(), notOurs::toString);
            assertEquals("", notOurs.stdout());
            assertTrue(notOurs.stderr().startsWith(
                    "posix4j run: --foreground: standard input is not posix4j's controlling terminal"), notOurs::stderr);
        }
    }

    /// The exit codes of timeout(1) on the same commands: the program's own when it ends in
    /// time, 124 when the time ran out (whatever the program then exits with), 128 + 9 when
    /// SIGKILL was needed, none with a kill delay of 0.
    @Test
    void timeoutExitCodesMatchTimeout() throws Exception {
        Requires.programs("timeout", "sh");
        record Case(String script, String timeout, String killAfter, int code) {}
        List<Case> cases = List.of(
                new Case("exit 3", "30", null, 3),
                new Case("kill -USR1 $$", "30", null, 128 + 10),
                new Case("sleep 30", "0.3", null, 124),
                new Case("trap 'exit 0' TERM; sleep 30 & wait", "0.3", null, 124),
                new Case("trap '' TERM; sleep 30", "0.3", "0.3", 128 + 9),
                new Case("trap '' TERM; sleep 1", "0.3", "0", 124));
        List<Callable<Result>> runs = new ArrayList<>();
        for (Case c : cases) {
            List<String> peer = c.killAfter() == null
                    ? List.of("timeout", c.timeout(), "sh", "-c", c.script())
                    : List.of("timeout", "-k", c.killAfter(), c.timeout(), "sh", "-c", c.script());
            List<String> args = c.killAfter() == null
                    ? List.of("--timeout", c.timeout(), "--", "sh", "-c", c.script())
                    : List.of("--timeout", c.timeout(), "--kill-after", c.killAfter(), "--", "sh", "-c", c.script());
            runs.add(() -> ChildProcess.run(peer));
            runs.add(() -> run(args));
        }
        Iterator<Result> results = concurrently(runs).iterator();
        for (Case c : cases) {
            Result timeout = results.next();
            Result r = results.next();
            assertEquals(c.code(), timeout.exitCode(), () -> c + ": timeout(1) " + timeout);
            assertEquals(c.code(), r.exitCode(), () -> c + ": " + r);
            assertEquals("", r.stderr(), c::toString);
        }
    }

    /// On timeout the whole process group gets SIGTERM: a grandchild is gone too, as with
    /// timeout(1), with the program in a new group or a new session.
    @Test
    void timeoutEndsTheWholeProcessGroup() throws Exception {
        Requires.programs("timeout", "sh", "sleep");
        String script = "sleep 30 & echo $!; wait";
        List<List<String>> commands = List.of(
                List.of("timeout", "0.5", "sh", "-c", script),
                posix4j("--timeout", "0.5", "--", "sh", "-c", script),
                posix4j("--timeout", "0.5", "--setsid", "--", "sh", "-c", script));
        List<Result> results = concurrently(commands.stream()
                .<Callable<Result>>map(command -> () -> ChildProcess.run(command)).toList());
        for (int i = 0; i < commands.size(); i++) {
            Result r = results.get(i);
            assertEquals(124, r.exitCode(), commands.get(i) + ": " + r);
            assertDead(Long.parseLong(r.stdout().strip()), commands.get(i).toString());
        }
    }

    /// SIGINT sent to posix4j reaches a program that has its own group, on its whole group; the
    /// program's trap decides the exit code.
    @Test
    void signalsToPosix4jReachAProgramInItsOwnGroup() throws Exception {
        Result r = signalled("INT", "--pgroup", "new");
        assertEquals(8, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("got INT\n"), r::stdout);
    }

    /// A program in posix4j's own group gets SIGTERM from posix4j, but not SIGINT, which a
    /// terminal sends to the whole group itself: posix4j just waits for the program's end.
    @Test
    void aProgramInPosix4jsGroupGetsTermButNotInt() throws Exception {
        Result term = signalled("TERM");
        assertEquals(7, term.exitCode(), term::toString);
        assertTrue(term.stdout().contains("got TERM\n"), term::stdout);

        Result interrupt = signalled("INT");
        assertEquals(5, interrupt.exitCode(), interrupt::toString);
        assertFalse(interrupt.stdout().contains("got INT"), interrupt::stdout);
        assertTrue(interrupt.stdout().endsWith("ended\n"), interrupt::stdout);
    }

    /// Runs a shell that traps INT (exit 8) and TERM (exit 7), else ends by itself with 5 after
    /// about a second, and sends `signal` to posix4j's JVM once the shell is ready.
    private static Result signalled(String signal, String... options) throws Exception {
        Requires.programs("sh", "kill");
        String script = "trap 'echo got INT; exit 8' INT; trap 'echo got TERM; exit 7' TERM;"
                + " echo ready; i=0; while [ $i -lt 10 ]; do sleep 0.1; i=$((i+1)); done; echo ended; exit 5";
        List<String> args = concat(List.of(options), List.of("--", "sh", "-c", script));
        try (ChildProcess child = ChildProcess.start(new ProcessBuilder(posix4j(args)))) {
            child.readUntil("ready");
            ChildProcess.output("kill", "-" + signal, Long.toString(child.pid()));
            return child.finish();
        }
    }

    /// The first line of a probe's output, checking that the probe succeeded.
    private static String layout(Result r) {
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.stderr());
        return r.stdout().lines().findFirst().orElseThrow();
    }

    /// Asserts that process `pid` ended within 5 s (times the time factor). Here an orphan is reparented to
    /// an init that may not reap it, so a zombie counts as ended.
    private static void assertDead(long pid, String what) throws Exception {
        for (long i = 0, n = TimeFactor.scale(100); i < n; i++) {
            Optional<String> stat = Proc.statIfAlive(pid);
            if (stat.isEmpty()) {
                return;
            }
            String state = stat.get();
            if (state.substring(state.lastIndexOf(')') + 2).startsWith("Z")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + ": grandchild " + pid + " still runs: "
                + Proc.statIfAlive(pid).orElse("(gone since)"));
    }
}
