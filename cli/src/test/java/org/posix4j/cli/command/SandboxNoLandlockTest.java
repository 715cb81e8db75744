package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.cli.command.RunCommandTest.concat;
import static org.posix4j.cli.command.SandboxAttackTest.finish;
import static org.posix4j.cli.command.SandboxAttackTest.posix4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Feature;
import org.posix4j.Features;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Gcc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.landlock.Landlock;
import org.posix4j.testing.ScaledTimeout;

/// `posix4j sandbox` on a kernel without Landlock (issue 12, tests), simulated by running
/// posix4j's JVM under nolandlock.c, a seccomp filter that makes landlock_create_ruleset fail
/// with ENOSYS: the default mode falls back to the broker and says so in one line on standard
/// error, `--enforce kernel` is refused with exit 2 naming the reason, and every exec after the
/// program's own is refused (the kernel cannot hold exec to the readable trees).
@ScaledTimeout(120)
class SandboxNoLandlockTest {
    private static final String NOTICE = "posix4j sandbox: this kernel has no Landlock: the broker enforces the"
            + " file rules, and refuses every exec after the program's own";

    private static void requireSandbox() throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root (CI runs as root)");
        Feature notification = Features.seccompUserNotification();
        Requires.that(notification.available(), "needs seccomp user notification: " + notification.reason());
        Requires.that(Landlock.abi() >= 3, "the controls run with this kernel's Landlock (ABI 3 needed)");
        Requires.that(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");
        Requires.programs("sh", "cat", "ls");
    }

    /// posix4j's command line for `options` and `program`, run under nolandlock.
    private static List<String> withoutLandlock(Path nolandlock, List<String> options, List<String> program) {
        return concat(List.of(nolandlock.toString()), posix4j(options, program));
    }

    /// The control for the wrapper itself: landlock_create_ruleset(NULL, 0,
    /// LANDLOCK_CREATE_RULESET_VERSION) answers the ABI without it, and ENOSYS under it.
    @Test
    void theWrapperHidesLandlock(@TempDir Path tmp) throws Exception {
        requireSandbox();
        Path nolandlock = Gcc.compile("sandbox/rights/nolandlock.c", tmp);
        List<String> probe = List.of("/usr/bin/python3", "-c", "import ctypes, os\n"
                + "libc = ctypes.CDLL(None, use_errno=True)\n"
                + "r = libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1))\n"
                + "print(r if r >= 0 else os.strerror(ctypes.get_errno()))");
        assertEquals(Landlock.abi() + "\n", ChildProcess.run(probe).stdout());
        Result hidden = ChildProcess.run(concat(List.of(nolandlock.toString()), probe));
        assertEquals("Function not implemented\n", hidden.stdout(), hidden::toString);
    }

    /// By default the broker enforces the file rules, and posix4j says so in exactly one line on
    /// standard error: the allowed file is read, the other one refused. Control: with Landlock
    /// the same command says nothing.
    @Test
    void autoFallsBackToTheBrokerAndSaysSoOnce(@TempDir Path tmp) throws Exception {
        requireSandbox();
        Path nolandlock = Gcc.compile("sandbox/rights/nolandlock.c", tmp);
        Path ro = Files.createDirectory(tmp.resolve("ro")).toRealPath();
        Files.writeString(ro.resolve("f"), "allowed\n");
        Path secret = Files.writeString(tmp.resolve("secret"), "secret\n");
        List<String> options = List.of("--allow-read", ro.toString());
        List<String> program = List.of("cat", ro.resolve("f").toString());

        Result control = finish(new ProcessBuilder(posix4j(options, program)));
        assertEquals("allowed\n", control.stdout(), control::toString);
        assertEquals("", control.stderr(), control::toString);
        assertEquals(0, control.exitCode(), control::toString);

        Result r = finish(new ProcessBuilder(withoutLandlock(nolandlock, options, program)));
        assertEquals("allowed\n", r.stdout(), r::toString);
        assertEquals(0, r.exitCode(), r::toString);
        List<String> lines = r.stderr().lines().toList();
        assertEquals(1, lines.size(), r::toString);
        assertEquals(NOTICE, lines.getFirst(), r::toString);

        Result denied = finish(new ProcessBuilder(withoutLandlock(nolandlock, options,
                List.of("cat", secret.toString()))));
        assertEquals("", denied.stdout(), denied::toString);
        assertEquals(1, denied.exitCode(), denied::toString);
        assertTrue(denied.stderr().contains(secret + ": Permission denied"), denied::toString);
    }

    /// `--enforce kernel` without Landlock is refused with exit 2, naming the reason, and the
    /// program does not run. Control: with Landlock it runs.
    @Test
    void kernelModeIsRefusedWithExit2(@TempDir Path tmp) throws Exception {
        requireSandbox();
        Path nolandlock = Gcc.compile("sandbox/rights/nolandlock.c", tmp);
        Path rw = Files.createDirectory(tmp.resolve("rw")).toRealPath();
        List<String> options = List.of("--enforce", "kernel", "--allow-write", rw.toString());

        Result control = finish(new ProcessBuilder(posix4j(options, List.of("sh", "-c", "echo ran > " + rw + "/ran"))));
        assertEquals(0, control.exitCode(), control::toString);
        assertTrue(Files.exists(rw.resolve("ran")), control::toString);
        Files.delete(rw.resolve("ran"));

        Result r = finish(new ProcessBuilder(withoutLandlock(nolandlock, options,
                List.of("sh", "-c", "echo ran > " + rw + "/ran"))));
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("--enforce kernel: Landlock ABI 3 or later is needed (this kernel has no"
                + " Landlock)"), r::toString);
        assertFalse(Files.exists(rw.resolve("ran")), "the program did not run");
    }

    /// Without Landlock the kernel cannot hold exec to the readable trees, so the broker refuses
    /// every exec after the program's own: `sh -c 'ls DIR'` gets EACCES for ls, as the notice
    /// says. Control: with Landlock the same command lists the allowed directory.
    @Test
    void everyExecAfterTheFirstIsRefused(@TempDir Path tmp) throws Exception {
        requireSandbox();
        Path nolandlock = Gcc.compile("sandbox/rights/nolandlock.c", tmp);
        Path ro = Files.createDirectory(tmp.resolve("ro")).toRealPath();
        Files.writeString(ro.resolve("listed"), "");
        for (String mode : List.of("auto", "broker")) {
            List<String> options = List.of("--enforce", mode, "--allow-read", ro.toString());
            List<String> program = List.of("sh", "-c", "ls " + ro);

            Result control = finish(new ProcessBuilder(posix4j(options, program)));
            assertEquals("listed\n", control.stdout(), control::toString);
            assertEquals(0, control.exitCode(), control::toString);

            Result r = finish(new ProcessBuilder(withoutLandlock(nolandlock, options, program)));
            assertEquals("", r.stdout(), r::toString);
            assertEquals(126, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains("ls: Permission denied"), r::toString);
            if (mode.equals("auto")) {
                assertTrue(r.stderr().lines().anyMatch(NOTICE::equals),
                        r::toString);
            }
        }
    }
}
