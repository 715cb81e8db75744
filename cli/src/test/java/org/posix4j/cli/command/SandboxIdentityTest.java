package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.cli.command.SandboxAttackTest.results;
import static org.posix4j.cli.command.SandboxAttackTest.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.cli.command.SandboxAttackTest.Tree;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Gcc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.testing.ScaledTimeout;
import org.posix4j.testing.TimeFactor;

/// `posix4j sandbox` and the identity of other processes: a sandboxed program signals only
/// processes of its own sandbox, by whatever route (issue 11, item 3).
@ScaledTimeout(120)
class SandboxIdentityTest {
    private static final String SIGNALS = "sandbox/identity/signals.c";
    private static final List<String> ROUTES = List.of("kill", "killpg", "tkill", "tgkill", "sigqueue", "pidfd",
            "setown", "setownex");

    /// Each route first kills an outside `sleep` (in a session and group of its own) without the
    /// sandbox; under the sandbox, aimed at fresh outside sleeps and at the supervising JVM
    /// (the program's parent), every route is refused and every target is still there, not
    /// even stopped; and a child of the program can still be killed, and raise() still works,
    /// while a child that dropped to uid 65534 cannot signal its root parent, as without the
    /// sandbox.
    @Test
    void signalsReachOnlyTheSandbox(@TempDir Path tmp) throws Exception {
        Requires.programs("setsid", "sleep");
        Path program = Gcc.compile(SIGNALS, tmp);
        for (String route : ROUTES) {
            Process sleep = outsideSleep();
            Result control = ChildProcess.run(List.of(program.toString(), route + ":" + sleep.pid()));
            assertEquals(route + ":" + sleep.pid() + ": OK", control.stdout().strip(), () -> "control " + control);
            assertTrue(sleep.waitFor(TimeFactor.scale(5), TimeUnit.SECONDS), () -> "control: " + route + " did not kill the outsider");
        }
        // A child that dropped to uid 65534 may not signal its root parent: the kernel's answer,
        // which the sandbox must give too (the master sends with the caller's credentials).
        Result dropped = ChildProcess.run(List.of(program.toString(), "dropped:-"));
        assertEquals("dropped:-: EPERM", dropped.stdout().strip(), () -> "control " + dropped);
        Tree t = Tree.create(tmp);
        List<Process> sleeps = new ArrayList<>();
        List<String> ops = new ArrayList<>();
        Map<String, String> expected = new LinkedHashMap<>();
        for (String route : ROUTES) {
            Process sleep = outsideSleep();
            sleeps.add(sleep);
            ops.add(route + ":" + sleep.pid());
            expected.put(route + ":" + sleep.pid(), "EPERM");
            ops.add(route + ":ppid");
            // The supervisor's /proc directory is not opened for the program at all.
            expected.put(route + ":ppid", route.equals("pidfd") ? "EACCES" : "EPERM");
        }
        ops.add("child:-");
        expected.put("child:-", "OK");
        ops.add("raise:-");
        expected.put("raise:-", "OK");
        ops.add("dropped:-");
        expected.put("dropped:-", "EPERM");
        List<String> line = new ArrayList<>();
        line.add(program.toString());
        line.addAll(ops);
        try {
            Result r = sandbox(t, List.of("--allow-read", "/proc"), line.toArray(String[]::new));
            assertEquals(0, r.exitCode(), () -> "the sandbox (and its JVM) survived: " + r);
            Map<String, String> got = results(r);
            for (Process sleep : sleeps) {
                assertTrue(sleep.isAlive(), () -> "outsider " + sleep.pid() + " died: " + got);
                String state = Files.readString(Path.of("/proc", Long.toString(sleep.pid()), "stat"));
                String code = state.substring(state.lastIndexOf(')') + 2, state.lastIndexOf(')') + 3);
                assertEquals("S", code, () -> "outsider " + sleep.pid() + " state " + state);
            }
            assertEquals(expected, got, () -> r.toString());
        } finally {
            for (Process sleep : sleeps) {
                sleep.destroyForcibly().waitFor();
            }
        }
    }

    /// A `sleep 60` in a session (and process group) of its own, outside any sandbox.
    private static Process outsideSleep() throws Exception {
        Process p = new ProcessBuilder("setsid", "sleep", "60").start();
        for (long i = 0, n = TimeFactor.scale(100); i < n && !Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).startsWith("sleep"); i++) {
            Thread.sleep(10);
        }
        return p;
    }
}
