package org.posix4j.landlock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.PosixException;
import org.posix4j.spawn.Redirect;
import org.posix4j.spawn.Spawn;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Requires;

/// Landlock against the kernel: the ABI as a C program reads it, a ruleset restricting one
/// thread of a child JVM (its exec refused with the kernel's EACCES) while another thread of
/// the same JVM still executes the same file, and the refusals made in Java before any syscall.
class LandlockTest {
    private static final String ABI_PROBE = """
            #include <stdio.h>
            #include <unistd.h>
            #include <sys/syscall.h>
            int main(void) {
                long abi = syscall(444, NULL, 0, 1UL);
                long errata = syscall(444, NULL, 0, 2UL);
                printf("%ld %ld\\n", abi < 0 ? 0 : abi, errata < 0 ? 0 : errata);
                return 0;
            }
            """;

    /// abi() and errata() answer what landlock_create_ruleset(NULL, 0, VERSION / ERRATA) answers
    /// a C program.
    @Test
    void abiAndErrataAreWhatTheKernelTellsACProgram(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("abi.c");
        Files.writeString(source, ABI_PROBE);
        Path program = dir.resolve("abi");
        Process gcc = new ProcessBuilder("gcc", "-o", program.toString(), source.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, gcc.waitFor(), new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Process p = new ProcessBuilder(program.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor());
        assertEquals(out, Landlock.abi() + " " + Landlock.errata());
        Requires.that(Landlock.abi() > 0, "the kernel has no Landlock");
    }

    /// [Spawn#confine]: the program reads and executes only beneath /usr and one directory
    /// (a file beside it is refused by the kernel, EACCES from cat), while its standard output,
    /// a file outside the ruleset, was opened by this JVM and is written, and /proc is refused
    /// to it too; no thread of this JVM has no_new_privs, the one that called start() included,
    /// which still reads the refused file. Control: the same spawn unconfined reads both.
    @Test
    void aConfinedSpawnRestrictsTheProgramAndNoThreadOfTheJvm(@TempDir Path dir) throws Exception {
        Requires.that(Landlock.abi() > 0, "the kernel has no Landlock");
        Path inside = Files.createDirectory(dir.resolve("inside"));
        Files.writeString(inside.resolve("f"), "inside\n");
        Path outside = Files.writeString(dir.resolve("outside"), "outside\n");
        Path log = dir.resolve("log");
        String script = "cat \"$1\"; cat \"$2\" 2>/dev/null || echo refused; grep NoNewPrivs /proc/self/status"
                + " 2>/dev/null || echo no-proc";
        Spawn spawn = Spawn.program("/bin/sh").args("-c", script, "sh", inside.resolve("f").toString(),
                outside.toString()).stdout(Redirect.file(log));
        assertEquals(0, spawn.start().waitFor().shellCode());
        assertEquals("inside\noutside\nNoNewPrivs:\t0\n", Files.readString(log), "control: unconfined");
        Set<FsAccess> read = EnumSet.of(FsAccess.EXECUTE, FsAccess.READ_FILE, FsAccess.READ_DIR);
        try (Ruleset rules = Ruleset.builder().handle(read).compatibility(Compatibility.STRICT).build()) {
            rules.allow(Path.of("/usr"), read).allow(inside, read);
            assertEquals(0, spawn.confine(rules).start().waitFor().shellCode());
        }
        assertEquals("inside\nrefused\nno-proc\n", Files.readString(log), "confined");
        assertEquals("outside\n", Files.readString(outside), "this thread is not restricted");
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String status = Files.readString(task.resolve("status"));
                assertTrue(status.contains("NoNewPrivs:\t0"), () -> task + " is not restricted: " + status);
            }
        }
    }

    /// A ruleset handling EXECUTE that allows it only beneath /usr: the restricted thread's
    /// posix_spawn of a copy of /bin/true in a temporary directory fails with EACCES from the
    /// kernel while /usr/bin/true still runs, and the JVM's main thread, never restricted,
    /// runs the copy. /proc/self/task/TID/status shows no_new_privs on that thread only.
    @Test
    void aRestrictedThreadCannotExecuteOutsideItsRulesAndOtherThreadsStillCan(@TempDir Path dir) throws Exception {
        Requires.that(Landlock.abi() > 0, "the kernel has no Landlock");
        Path copy = dir.resolve("true");
        Files.copy(Path.of("/usr/bin/true"), copy, StandardCopyOption.COPY_ATTRIBUTES);
        ChildJvm.Result r = ChildJvm.run(ExecChild.class, copy.toString()).assertSuccess();
        assertEquals("0", r.value("before restricting, copy: "), "control: the copy runs");
        assertEquals("EACCES", r.value("restricted thread, copy: "));
        assertEquals("0", r.value("restricted thread, /usr/bin/true: "));
        assertEquals("1", r.value("restricted thread, NoNewPrivs: "));
        assertEquals("0", r.value("main thread, copy: "));
        assertEquals("0", r.value("main thread, NoNewPrivs: "));
    }

    /// The child JVM of [#aRestrictedThreadCannotExecuteOutsideItsRulesAndOtherThreadsStillCan].
    static final class ExecChild {
        public static void main(String[] args) throws Exception {
            String copy = args[0];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    System.out.println("before restricting, copy: " + run(copy));
                    try (Ruleset rules = Ruleset.builder().handle(FsAccess.EXECUTE)
                            .allow(Path.of("/usr"), Set.of(FsAccess.EXECUTE)).compatibility(Compatibility.STRICT)
                            .build()) {
                        rules.restrictCurrentThread();
                    }
                    System.out.println("restricted thread, copy: " + run(copy));
                    System.out.println("restricted thread, /usr/bin/true: " + run("/usr/bin/true"));
                    System.out.println("restricted thread, NoNewPrivs: " + noNewPrivs());
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            t.join();
            System.out.println("main thread, copy: " + run(copy));
            System.out.println("main thread, NoNewPrivs: " + noNewPrivs());
        }

        private static String run(String program) throws IOException {
            try {
                return Integer.toString(Spawn.program(program).start().waitFor().shellCode());
            } catch (PosixException e) {
                return e.errno().orElseThrow().name();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        private static String noNewPrivs() throws IOException {
            long tid = Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
            return Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status")).stream()
                    .filter(l -> l.startsWith("NoNewPrivs:")).findFirst().orElseThrow().split("\\s+")[1];
        }
    }

    /// A ruleset handling TCP connect with a rule for one port, and scoping signals: the
    /// restricted thread's connect to that port succeeds, to another listening port fails with
    /// the kernel's EACCES (the main thread reaches it), and a shell it starts cannot signal a
    /// process outside the domain (kill -0 fails; the main thread's succeeds) but can its own child.
    @Test
    void portRulesAndTheSignalScope() throws Exception {
        Requires.that(Landlock.abi() >= Scope.ABI, "the kernel's Landlock lacks scopes (ABI 6)");
        ChildJvm.Result r = ChildJvm.run(NetChild.class).assertSuccess();
        assertEquals("[CONNECT_TCP] [SIGNAL]", r.value("handled: "));
        assertEquals("connected", r.value("restricted thread, allowed port: "));
        assertTrue(r.value("restricted thread, other port: ").contains("Permission denied"), r::toString);
        assertEquals("connected", r.value("main thread, other port: "));
        assertEquals("0", r.value("main thread, kill -0 outside: "));
        assertEquals("1", r.value("restricted thread, kill -0 outside: "));
        assertEquals("0", r.value("restricted thread, kill own child: "));
        assertEquals("port must be 0..65535: 65536", assertThrows(IllegalArgumentException.class,
                () -> Ruleset.builder().allowPort(65536, Set.of(NetAccess.CONNECT_TCP))).getMessage());
    }

    /// The child JVM of [#portRulesAndTheSignalScope].
    static final class NetChild {
        public static void main(String[] args) throws Exception {
            Process sleeper = new ProcessBuilder("sleep", "60").start();
            try (ServerSocket allowed = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                    ServerSocket other = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
                Thread t = Thread.ofPlatform().start(() -> {
                    try (Ruleset rules = Ruleset.builder().handle(NetAccess.CONNECT_TCP).scope(Set.of(Scope.SIGNAL))
                            .allowPort(allowed.getLocalPort(), Set.of(NetAccess.CONNECT_TCP))
                            .compatibility(Compatibility.STRICT).build()) {
                        System.out.println("handled: " + rules.handledNet() + " " + rules.scoped());
                        rules.restrictCurrentThread();
                        System.out.println("restricted thread, allowed port: " + connect(allowed.getLocalPort()));
                        System.out.println("restricted thread, other port: " + connect(other.getLocalPort()));
                        System.out.println("restricted thread, kill -0 outside: " + sh("kill -0 " + sleeper.pid()));
                        System.out.println("restricted thread, kill own child: " + sh("sleep 30 & kill $!"));
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                t.join();
                System.out.println("main thread, other port: " + connect(other.getLocalPort()));
                System.out.println("main thread, kill -0 outside: " + sh("kill -0 " + sleeper.pid()));
            } finally {
                sleeper.destroyForcibly().waitFor();
            }
        }

        private static String connect(int port) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return s.isConnected() ? "connected" : "not connected";
            } catch (IOException e) {
                return e.getMessage();
            }
        }

        private static String sh(String command) throws IOException {
            try {
                return Integer.toString(Spawn.program("/bin/sh").args("-c", command + " 2>/dev/null").start().waitFor()
                        .shellCode());
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }
    }

    /// Under STRICT a right the kernel's ABI lacks is refused and under BEST_EFFORT it is left
    /// out. On a kernel that has every right (ABI 5+) the refusal is driven through the same
    /// choice with the ABIs that lacked them, and a strict ruleset of every right is built.
    @Test
    void strictRefusesARightTheAbiLacksAndBestEffortLeavesItOut() throws Exception {
        int abi = Landlock.abi();
        Requires.that(abi > 0, "the kernel has no Landlock");
        for (int old = 1; old < 5; old++) {
            int a = old;
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> Ruleset.Builder.kept(EnumSet.of(FsAccess.EXECUTE, FsAccess.IOCTL_DEV), a,
                            Compatibility.STRICT));
            assertTrue(e.getMessage().contains("IOCTL_DEV needs ABI 5"), e.getMessage());
            assertEquals(EnumSet.of(FsAccess.EXECUTE), Ruleset.Builder.kept(
                    EnumSet.of(FsAccess.EXECUTE, FsAccess.IOCTL_DEV), a, Compatibility.BEST_EFFORT));
        }
        assertThrows(UnsupportedOperationException.class, () -> Ruleset.Builder.kept(
                EnumSet.of(FsAccess.TRUNCATE), 2, Compatibility.BEST_EFFORT), "nothing left to handle");
        Set<FsAccess> above = EnumSet.complementOf(EnumSet.copyOf(FsAccess.ofAbi(abi)));
        if (above.isEmpty()) {
            try (Ruleset all = Ruleset.builder().handle(FsAccess.values()).compatibility(Compatibility.STRICT)
                    .build()) {
                assertEquals(EnumSet.allOf(FsAccess.class), all.handled());
                assertEquals(abi, all.abi());
            }
        } else {
            assertThrows(UnsupportedOperationException.class, () -> Ruleset.builder().handle(above)
                    .compatibility(Compatibility.STRICT).build());
            try (Ruleset some = Ruleset.builder().handle(FsAccess.values()).build()) {
                assertEquals(FsAccess.ofAbi(abi), some.handled());
            }
        }
    }

    /// A rule on a file may grant only the rights that apply to files; the others are refused
    /// by name before landlock_add_rule, and the ruleset descriptor is not leaked.
    @Test
    void aFileRuleWithADirectoryRightIsRefused() throws IOException {
        Requires.that(Landlock.abi() > 0, "the kernel has no Landlock");
        long before = openFds();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ruleset.builder()
                .handle(FsAccess.READ_FILE, FsAccess.READ_DIR)
                .allow(Path.of("/etc/passwd"), EnumSet.of(FsAccess.READ_FILE, FsAccess.READ_DIR)).build());
        assertEquals("/etc/passwd is not a directory, and rights [READ_DIR] apply only beneath a directory",
                e.getMessage());
        assertEquals(before, openFds(), "the ruleset and the rule's path are closed");
    }

    private static long openFds() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /// The other refusals in Java: empty rights, a rule granting a right the ruleset does not
    /// handle, a ruleset handling nothing, a missing path (ENOENT from open).
    @Test
    void invalidRulesAreRefusedByName() throws Exception {
        Requires.that(Landlock.abi() > 0, "the kernel has no Landlock");
        assertEquals("rights must not be empty (rule beneath /usr)", assertThrows(IllegalArgumentException.class,
                () -> Ruleset.builder().allow(Path.of("/usr"), Set.of())).getMessage());
        assertThrows(IllegalStateException.class, () -> Ruleset.builder().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ruleset.builder()
                .handle(FsAccess.EXECUTE).allow(Path.of("/usr"), Set.of(FsAccess.READ_FILE)).build());
        assertEquals("rights [READ_FILE] of the rule beneath /usr are not handled by this ruleset, which handles"
                + " [EXECUTE]", e.getMessage());
        try (Ruleset r = Ruleset.builder().handle(FsAccess.EXECUTE).build()) {
            PosixException missing = assertThrows(PosixException.class,
                    () -> r.allow(Path.of("/nonexistent-posix4j"), Set.of(FsAccess.EXECUTE)));
            assertTrue(missing.isNotFound(), missing::getMessage);
            assertEquals("anon_inode:[landlock-ruleset]",
                    Files.readSymbolicLink(Path.of("/proc/self/fd/" + r.fd().intValue())).toString());
        }
    }
}
