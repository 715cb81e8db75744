package org.posix4j.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFds;
import org.posix4j.io.OpenFlags;
import org.posix4j.process.Environment;
import org.posix4j.signal.Signal;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Requires;
import org.posix4j.testing.TimeFactor;

class SpawnTest {

    @Test
    void argumentsAndArgv0ReachTheProgram() throws Exception {
        assertEquals("sh|one|two words|\n", Outputs.of(Spawn.program("/bin/sh")
                .args("-c", "printf '%s|' \"$0\" \"$1\" \"$2\"; echo", "sh", "one", "two words")));
        assertEquals("renamed\n", Outputs.of(Spawn.program("/bin/sh").argv0("renamed").args("-c", "echo $0")));
        // argv[0] of an exec'd program is what /proc/PID/cmdline shows first.
        String cmdline = Outputs.of(Spawn.program("/bin/cat").argv0("kitty").args("/proc/self/cmdline"));
        assertEquals("kitty\0/proc/self/cmdline\0", cmdline);
    }

    @Test
    void pathSearchUsesTheNativePath() throws Exception {
        String which = Proc.run("sh", "-c", "command -v true");
        assertEquals(which + "\n", Outputs.of(Spawn.program("sh").args("-c", "command -v true")));
        // The program is found by name and runs: readlink of its own exe names the real file.
        String exe = Outputs.of(Spawn.program("readlink").args("/proc/self/exe")).strip();
        assertEquals(Path.of(Proc.run("sh", "-c", "command -v readlink")).toRealPath().toString(), exe);
    }

    @Test
    void exitCodesAndSignals() throws Exception {
        try (Child c = Spawn.program("/bin/sh").args("-c", "exit 3").start()) {
            assertEquals(new ExitStatus.Exited(3), c.waitFor());
            assertEquals(3, c.waitFor().shellCode());
            assertEquals(new ExitStatus.Exited(3), c.status().orElseThrow());
        }
        try (Child c = Spawn.program("/bin/sh").args("-c", "kill -TERM $$").start()) {
            ExitStatus s = c.waitFor();
            assertEquals(new ExitStatus.Signaled(Signal.TERM.number(), false), s);
            assertEquals(143, s.shellCode());
            assertEquals(Signal.TERM, ((ExitStatus.Signaled) s).knownSignal().orElseThrow());
        }
        try (Child c = Spawn.program("/bin/true").start()) {
            assertTrue(c.waitFor().success());
        }
    }

    @Test
    void coreDumpFlag(@TempDir Path dir) throws Exception {
        // A core_pattern that pipes to a crash collector decides the flag itself.
        String pattern = Outputs.sysctl("kernel/core_pattern");
        Requires.that(!pattern.startsWith("|"), "core_pattern pipes cores to " + pattern);
        try (Child c = Spawn.program("/bin/sh").args("-c", "ulimit -c unlimited; kill -QUIT $$").chdir(dir).start()) {
            assertEquals(new ExitStatus.Signaled(Signal.QUIT.number(), true), c.waitFor());
        }
        try (Child c = Spawn.program("/bin/sh").args("-c", "ulimit -c 0; kill -QUIT $$").chdir(dir).start()) {
            assertEquals(new ExitStatus.Signaled(Signal.QUIT.number(), false), c.waitFor());
        }
    }

    @Test
    void chdirByPathAndByFd(@TempDir Path dir) throws Exception {
        Path real = dir.toRealPath();
        assertEquals(real + "\n", Outputs.of(Spawn.program("/bin/pwd").args("-P").chdir(dir)));
        Files.writeString(dir.resolve("here.txt"), "relative to the new directory");
        assertEquals("relative to the new directory", Outputs.of(Spawn.program("/bin/cat").args("here.txt").chdir(dir)));
        try (Fd fd = Fd.open(dir.toString(), OpenFlags.READ_ONLY | OpenFlags.DIRECTORY, 0)) {
            assertEquals(real + "\n", Outputs.of(Spawn.program("/bin/pwd").args("-P").chdir(fd)));
        }
        assertEquals(Path.of("").toRealPath() + "\n",
                Outputs.of(Spawn.program("/bin/pwd").args("-P").chdir((Path) null)), "null keeps the directory");
    }

    @Test
    void chdirFailureIsReportedByPosixSpawn(@TempDir Path dir) {
        PosixException e = assertThrows(PosixException.class,
                () -> Spawn.program("/bin/true").chdir(dir.resolve("missing")).start());
        assertTrue(e.is(Errno.ENOENT), e.getMessage());
        assertEquals("posix_spawn", e.function());
    }

    /// glibc's posix_spawn returns a failed file action's errno as it returns exec's; the
    /// message names the action that fails with that errno, and an exec failure stays as it is.
    @Test
    void failedFileActionIsNamed(@TempDir Path dir) throws Exception {
        assertSpawnFails("posix_spawn(/bin/true: chdir /etc/passwd): Not a directory [ENOTDIR]",
                Spawn.program("/bin/true").chdir(Path.of("/etc/passwd")));
        Path missing = dir.resolve("missing");
        assertSpawnFails("posix_spawn(/bin/true: chdir " + missing + "): No such file or directory [ENOENT]",
                Spawn.program("/bin/true").chdir(missing));
        assertSpawnFails("posix_spawn(/bin/true: open " + missing + " as fd 3): No such file or directory [ENOENT]",
                Spawn.program("/bin/true").open(3, missing.toString(), OpenFlags.READ_ONLY, 0));
        assertSpawnFails("posix_spawn(/bin/true: open missing as fd 3): No such file or directory [ENOENT]",
                Spawn.program("/bin/true").chdir(dir).open(3, "missing", OpenFlags.READ_ONLY, 0));
        assertSpawnFails("posix_spawn(/bin/true: open no/file as fd 4): No such file or directory [ENOENT]",
                Spawn.program("/bin/true").chdir(dir).open(4, "no/file", OpenFlags.WRITE_ONLY | OpenFlags.CREATE, 0644));
        assertSpawnFails("posix_spawn(/bin/true: open " + dir + " as fd 3): Is a directory [EISDIR]",
                Spawn.program("/bin/true").open(3, dir.toString(), OpenFlags.WRITE_ONLY, 0));
        int notOpen = 700;
        assertFalse(Files.exists(Path.of("/proc/self/fd/" + notOpen)));
        assertSpawnFails("posix_spawn(/bin/true: dup2 700 5): Bad file descriptor [EBADF]",
                Spawn.program("/bin/true").dup2(notOpen, 5));
        assertSpawnFails("posix_spawn(/bin/true: keep fd 700): Bad file descriptor [EBADF]",
                Spawn.program("/bin/true").keepFd(notOpen));
        try (Fd fd = Fd.open("/dev/null", OpenFlags.READ_ONLY, 0)) {
            assertSpawnFails("posix_spawn(/bin/true: dup2 " + fd.intValue() + " 5): Bad file descriptor [EBADF]",
                    Spawn.program("/bin/true").close(fd.intValue()).dup2(fd.intValue(), 5));
        }
        assertFalse(Files.exists(dir.resolve("no")), "checking the actions created nothing");

        // Every action succeeds: exec is to blame, and the message says so as before.
        Path program = dir.resolve("nothing");
        assertSpawnFails("posix_spawn(" + program + "): No such file or directory [ENOENT]",
                Spawn.program(program.toString()).chdir(dir).open(3, "/etc/passwd", OpenFlags.READ_ONLY, 0));
        assertSpawnFails("posix_spawn(/etc/passwd/x): Not a directory [ENOTDIR]",
                Spawn.program("/etc/passwd/x").chdir(Path.of("/")));
    }

    private static void assertSpawnFails(String message, Spawn spawn) {
        PosixException e = assertThrows(PosixException.class, spawn::start);
        assertEquals(message, e.getMessage());
    }

    @Test
    void nullArgumentIsNamed() {
        Spawn spawn = Spawn.program("/bin/echo").args("a");
        NullPointerException e = assertThrows(NullPointerException.class, () -> spawn.args("b", null));
        assertEquals("args[1] is null", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> spawn.args(java.util.Arrays.asList("b", "c", null)));
        assertEquals("args[2] is null", e.getMessage());
        assertEquals("Spawn[/bin/echo a]", spawn.toString(), "a refused call appends nothing");
    }

    @Test
    void environmentExplicitClearedAndEdited() throws Exception {
        List<String> env = Outputs.lines(Spawn.program("/usr/bin/env").environment(Map.of("A", "1", "B", "two words")));
        assertEquals(Set.of("A=1", "B=two words"), Set.copyOf(env));
        assertEquals("", Outputs.of(Spawn.program("/usr/bin/env").clearEnvironment()));
        assertEquals(List.of("ONLY=x"), Outputs.lines(Spawn.program("/usr/bin/env").clearEnvironment().setEnv("ONLY", "x")));
        List<String> edited = Outputs.lines(Spawn.program("/usr/bin/env")
                .setEnv("POSIX4J_ADDED", "héllo").setEnv("PATH", "/nowhere").unsetEnv("HOME"));
        assertTrue(edited.contains("POSIX4J_ADDED=héllo"), edited::toString);
        assertTrue(edited.contains("PATH=/nowhere"), edited::toString);
        assertFalse(edited.stream().anyMatch(l -> l.startsWith("HOME=")), edited::toString);
        assertEquals(1, edited.stream().filter(l -> l.startsWith("PATH=")).count(), edited::toString);
        List<String> inherited = Outputs.lines(Spawn.program("/usr/bin/env"));
        assertTrue(inherited.contains("PATH=" + System.getenv("PATH")), inherited::toString);
    }

    /// Changes the real environment with posix4j, then reports what a spawned `env` saw.
    public static final class NativeEnvironment {
        public static void main(String[] args) throws Exception {
            Environment.set("POSIX4J_SPAWN_SEES", "set after start");
            Environment.unset("HOME");
            System.out.print(Outputs.of(Spawn.program("/usr/bin/env")));
            System.out.print(Outputs.of(Spawn.program("/usr/bin/env").setEnv("EXTRA", "1")));
        }
    }

    @Test
    void environmentSetIsSeenByChildren() throws Exception {
        ChildJvm.Result r = ChildJvm.run(NativeEnvironment.class).assertSuccess();
        assertEquals(2, r.stdout().stream().filter(l -> l.equals("POSIX4J_SPAWN_SEES=set after start")).count(), r::toString);
        assertFalse(r.stdout().stream().anyMatch(l -> l.startsWith("HOME=")), r::toString);
        assertTrue(r.stdout().contains("EXTRA=1"), r::toString);
    }

    @Test
    void execFailuresAreExceptionsNotExit127(@TempDir Path dir) throws Exception {
        PosixException e = assertThrows(PosixException.class, () -> Spawn.program("/nonexistent/program").start());
        assertTrue(e.is(Errno.ENOENT));
        assertEquals("posix_spawn(/nonexistent/program): No such file or directory [ENOENT]", e.getMessage());
        e = assertThrows(PosixException.class, () -> Spawn.program("posix4j-no-such-program").start());
        assertTrue(e.is(Errno.ENOENT));
        assertEquals("posix_spawnp", e.function());
        assertEquals("posix4j-no-such-program", e.subject());

        Path notExecutable = Files.writeString(dir.resolve("data"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
        e = assertThrows(PosixException.class, () -> Spawn.program(notExecutable.toString()).start());
        assertTrue(e.is(Errno.EACCES), e.getMessage());

        // No #! line and not ELF: glibc's posix_spawn (and posix_spawnp since 2.15) does not
        // retry with /bin/sh as execvp(3) does; the error is the kernel's ENOEXEC.
        Path garbage = Files.write(dir.resolve("garbage"), new byte[] {1, 2, 3, 4, '\n'});
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rwxr-xr-x"));
        e = assertThrows(PosixException.class, () -> Spawn.program(garbage.toString()).start());
        assertTrue(e.is(Errno.ENOEXEC), e.getMessage());
        e = assertThrows(PosixException.class, () -> Spawn.program("garbage").setEnv("PATH", dir.toString())
                .chdir(dir).start());
        assertTrue(e.is(Errno.ENOENT), "PATH search uses this process's PATH, not the child's: " + e.getMessage());

        e = assertThrows(PosixException.class, () -> Spawn.program("/etc/passwd/x").start());
        assertTrue(e.is(Errno.ENOTDIR), e.getMessage());
        assertEquals("/etc/passwd/x", e.subject());
    }

    /// Puts a directory with a garbage executable first in the real PATH, then spawns it by name.
    public static final class PathSearchEnoexec {
        public static void main(String[] args) throws Exception {
            Environment.set("PATH", args[0] + ":" + Environment.get("PATH").orElseThrow());
            try {
                Spawn.program("garbage").start();
                System.out.println("spawnp=started");
            } catch (PosixException e) {
                System.out.println("spawnp=" + e.errno().orElseThrow());
            }
        }
    }

    @Test
    void pathSearchDoesNotFallBackToTheShell(@TempDir Path dir) throws Exception {
        Path garbage = Files.write(dir.resolve("garbage"), new byte[] {1, 2, 3, 4, '\n'});
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals("ENOEXEC", ChildJvm.run(PathSearchEnoexec.class, dir.toString()).assertSuccess().value("spawnp="));
    }

    @Test
    void noChildIsLeftByAFailedSpawn() throws Exception {
        Subprocesses.startWatcher();
        Set<String> before = OpenFds.snapshot();
        List<String> children = Zombies.children();
        for (int i = 0; i < 20; i++) {
            assertThrows(PosixException.class, () -> Spawn.program("/nonexistent").stdin(Redirect.PIPE)
                    .stdout(Redirect.PIPE).stderr(Redirect.PIPE).start());
        }
        OpenFds.assertNoneOpenedSince(before);
        assertEquals(List.of(), Zombies.newSince(children), "no child, zombie or not");
    }

    @Test
    void redirections(@TempDir Path dir) throws Exception {
        Path in = Files.writeString(dir.resolve("in"), "from a file\n");
        Path out = dir.resolve("out");
        try (Child c = Spawn.program("/bin/cat").stdin(Redirect.file(in)).stdout(Redirect.file(out)).start()) {
            assertEquals(0, c.waitFor().shellCode());
        }
        assertEquals("from a file\n", Files.readString(out));
        try (Child c = Spawn.program("/bin/sh").args("-c", "echo more").stdout(Redirect.append(out)).start()) {
            c.waitFor();
        }
        assertEquals("from a file\nmore\n", Files.readString(out));
        try (Child c = Spawn.program("/bin/sh").args("-c", "echo replaced").stdout(Redirect.file(out)).start()) {
            c.waitFor();
        }
        assertEquals("replaced\n", Files.readString(out));

        try (Child c = Spawn.program("/bin/sh").args("-c", "readlink /proc/self/fd/0 /proc/self/fd/2; cat; echo err >&2")
                .stdin(Redirect.NULL).stdout(Redirect.PIPE).stderr(Redirect.PIPE).start()) {
            String o = new String(c.stdoutPipe().orElseThrow().inputStream().readAllBytes(), StandardCharsets.UTF_8);
            String e = new String(c.stderrPipe().orElseThrow().inputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(o.startsWith("/dev/null\npipe:["), o);
            assertEquals("err\n", e);
            assertEquals(0, c.waitFor().shellCode());
        }

        try (Child c = Spawn.program("/bin/sh").args("-c", "read line; echo \"got $line\"; echo oops >&2")
                .stdin(Redirect.PIPE).stdout(Redirect.PIPE).dup2(1, 2).start()) {
            try (var w = c.stdinPipe().orElseThrow().outputStream()) {
                w.write("hello\n".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals("got hello\noops\n", new String(c.stdoutPipe().orElseThrow().inputStream().readAllBytes(),
                    StandardCharsets.UTF_8), "dup2(1, 2) after the redirections merges stderr into the pipe");
            c.waitFor();
        }

        try (Fd file = Fd.open(dir.resolve("viafd").toString(), OpenFlags.WRITE_ONLY | OpenFlags.CREATE, 0600);
                Child c = Spawn.program("/bin/sh").args("-c", "echo through fd").stdout(Redirect.fd(file)).start()) {
            c.waitFor();
            assertTrue(file.isOpen(), "the caller's descriptor stays open");
        }
        assertEquals("through fd\n", Files.readString(dir.resolve("viafd")));

        PosixException e = assertThrows(PosixException.class,
                () -> Spawn.program("/bin/cat").stdin(Redirect.file(dir.resolve("missing"))).start());
        assertEquals("open", e.function(), "redirect files are opened here, so the error names the file");
        assertEquals(dir.resolve("missing").toString(), e.subject());
    }

    @Test
    void signalAfterReapIsEsrchNotAnotherProcess() throws Exception {
        try (Child c = Spawn.program("/bin/true").start()) {
            c.waitFor();
            PosixException e = assertThrows(PosixException.class, () -> c.signal(Signal.KILL));
            assertTrue(e.is(Errno.ESRCH), e.getMessage());
            assertEquals("pidfd_send_signal", e.function());
        }
        try (Child c = Spawn.program("/bin/sleep").args("30").start()) {
            assertEquals("S", Proc.stat(c.pid())[0].replace("R", "S"));
            c.signal(Signal.TERM);
            assertEquals(new ExitStatus.Signaled(Signal.TERM.number(), false), c.waitFor());
        }
    }

    @Test
    void pidfdIsAPollablePidfd() throws Exception {
        Child c = Spawn.program("/bin/sleep").args("30").start();
        Fd pidfd = c.pidfd();
        assertEquals("anon_inode:[pidfd]", OpenFds.target(pidfd.intValue()));
        assertEquals(Integer.toString(c.pid()), OpenFds.fdinfo(pidfd.intValue(), "Pid"));
        assertTrue(pidfd.isCloseOnExec());
        c.signal(Signal.KILL);
        c.waitFor();
        assertEquals("-1", OpenFds.fdinfo(pidfd.intValue(), "Pid"), "the kernel says the process is gone");
        c.close();
        assertFalse(pidfd.isOpen());
        assertThrows(IllegalStateException.class, () -> c.signal(Signal.TERM));
    }

    @Test
    void waitWithTimeout() throws Exception {
        try (Child c = Spawn.program("/bin/sleep").args("30").start()) {
            long t0 = System.nanoTime();
            assertTrue(c.waitFor(Duration.ofMillis(100)).isEmpty());
            assertTrue(System.nanoTime() - t0 >= 100_000_000L);
            assertTrue(c.status().isEmpty());
            c.signal(Signal.KILL);
            assertEquals(137, c.waitFor(TimeFactor.seconds(10)).orElseThrow().shellCode());
        }
    }

    @Test
    void interruptEndsAWaitAndTheWatcherStillReaps() throws Exception {
        try (Child c = Spawn.program("/bin/sleep").args("30").start()) {
            java.util.concurrent.CompletableFuture<String> outcome = new java.util.concurrent.CompletableFuture<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    outcome.complete("returned " + c.waitFor());
                } catch (InterruptedException e) {
                    outcome.complete("interrupted, status still set: " + Thread.currentThread().isInterrupted());
                }
            });
            Thread.sleep(TimeFactor.scale(100));
            waiter.interrupt();
            assertEquals("interrupted, status still set: false", outcome.get(TimeFactor.scale(10), java.util.concurrent.TimeUnit.SECONDS));
            // Neither the interrupted wait nor a timed-out one may leave the child unwatched.
            assertTrue(c.waitFor(Duration.ofMillis(50)).isEmpty());
            java.util.concurrent.CompletableFuture<ExitStatus> exit = c.onExit();
            Proc.run("kill", "-KILL", Integer.toString(c.pid()));
            assertEquals(new ExitStatus.Signaled(Signal.KILL.number(), false),
                    exit.get(TimeFactor.scale(10), java.util.concurrent.TimeUnit.SECONDS), "the watcher reaped it");
        }
        Thread.currentThread().interrupt();
        try (Child c = Spawn.program("/bin/sleep").args("30").start()) {
            assertThrows(InterruptedException.class, c::waitFor, "an interrupted thread does not wait");
            assertFalse(Thread.currentThread().isInterrupted());
            c.signal(Signal.KILL);
            c.waitFor();
        }
    }

    @Test
    void waitForOnAVirtualThreadDoesNotPin() throws Exception {
        // More sleeping virtual threads than carriers: they all finish only if waiting unmounts.
        int n = Runtime.getRuntime().availableProcessors() * 4;
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<ExitStatus>> results = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(executor.submit(() -> {
                    try (Child c = Spawn.program("/bin/sleep").args("0.3").start()) {
                        return c.waitFor();
                    }
                }));
            }
            long t0 = System.nanoTime();
            for (var r : results) {
                assertEquals(new ExitStatus.Exited(0), r.get());
            }
            assertTrue(System.nanoTime() - t0 < TimeFactor.seconds(5).toNanos());
        }
    }

    @Test
    void invalidArgumentsAreRejectedBeforeAnyCall() {
        assertMessage("program ", () -> Spawn.program(""));
        assertMessage("program ", () -> Spawn.program("a\0b"));
        assertMessage("args[1] ", () -> Spawn.program("x").args("ok", "b\0d"));
        assertMessage("name ", () -> Spawn.program("x").setEnv("A=B", "v"));
        assertMessage("name ", () -> Spawn.program("x").unsetEnv(""));
        assertMessage("value ", () -> Spawn.program("x").environment(Map.of("A", "\0")));
        assertMessage("fd ", () -> Spawn.program("x").close(-1));
        assertMessage("fd ", () -> Spawn.program("x").keepFd(-3));
        assertMessage("from ", () -> Spawn.program("x").dup2(-1, 4));
        assertMessage("to ", () -> Spawn.program("x").dup2(4, -1));
        assertMessage("flags ", () -> Spawn.program("x").open(3, "/tmp/x", OpenFlags.READ_ONLY | 02000000, 0));
        assertMessage("mode ", () -> Spawn.program("x").open(3, "/tmp/x", OpenFlags.READ_ONLY, 010000));
        assertMessage("pgid ", () -> ProcessGroup.join(0));
        assertMessage("r: stdin ", () -> Spawn.program("x").stdin(Redirect.append(Path.of("/tmp/x"))));
        assertMessage("signal SIGKILL ", () -> Spawn.program("x").ignoreSignal(Signal.KILL));
        assertMessage("signal SIGCHLD ", () -> Spawn.program("x").ignoreSignal(Signal.CHLD));
        assertMessage("signal SIGSEGV ", () -> Spawn.program("x").ignoreSignal(Signal.SEGV));
        assertMessage("code ", () -> new ExitStatus.Exited(256));
        assertMessage("signal ", () -> new ExitStatus.Signaled(0, false));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Spawn.program("/bin/true").newSession().processGroup(ProcessGroup.join(1)).start());
        assertTrue(e.getMessage().startsWith("newSession() cannot be combined"), e.getMessage());
    }

    private static void assertMessage(String prefix, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
