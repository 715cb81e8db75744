package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.cli.command.RunCommandTest.concat;
import static org.posix4j.cli.command.SandboxAttackTest.finish;
import static org.posix4j.cli.command.SandboxAttackTest.posix4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Gcc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.landlock.Landlock;
import org.posix4j.testing.ScaledTimeout;

/// `posix4j sandbox --enforce`: the kernel (Landlock) enforcing the file rules, the broker the
/// rest (issue 12). Each case reads back what happened on disk from this JVM.
@ScaledTimeout(120)
class SandboxEnforceTest {

    /// In kernel mode real programs read the allowed tree and write the writable one, and are
    /// refused the rest by the kernel: the audit shows none of their file calls (they never
    /// reach the broker) but still the network call the broker refused.
    @Test
    void theKernelEnforcesTheFileRules(@TempDir Path tmp) throws Exception {
        Requires.that(Landlock.abi() >= 3, "kernel mode needs Landlock ABI 3");
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Path rw = Files.createDirectories(tmp.resolve("rw"));
        Path secret = Files.writeString(Files.createDirectories(tmp.resolve("secret")).resolve("s"), "secret\n");
        Files.writeString(ro.resolve("f"), "read-only\n");
        Path audit = tmp.resolve("audit.jsonl");
        String script = "cat \"$1/f\"; cat \"$3\" 2>/dev/null || echo secret-refused;"
                + " echo x > \"$1/new\" 2>/dev/null || echo ro-refused; echo written > \"$2/new\"; cat \"$2/new\";"
                + " exec 3<>/dev/tcp/127.0.0.1/9 2>/dev/null || echo connect-refused";
        Result r = finish(new ProcessBuilder(posix4j(List.of("--enforce", "kernel", "--allow-read", ro.toString(),
                "--allow-write", rw.toString(), "--audit", audit.toString()),
                List.of("bash", "-c", script, "bash", ro.toString(), rw.toString(), secret.toString()))));
        assertEquals("read-only\nsecret-refused\nro-refused\nwritten\nconnect-refused\n", r.stdout(), r::toString);
        assertEquals(0, r.exitCode(), r::toString);
        assertFalse(Files.exists(ro.resolve("new")), "nothing created in the read-only tree");
        assertEquals("written\n", Files.readString(rw.resolve("new")));
        List<String> lines = Files.readAllLines(audit);
        assertTrue(lines.stream().noneMatch(l -> l.contains("\"function\":\"open")), () -> "no file call brokered: "
                + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"function\":\"connect_inet\"") && l.contains("deny")),
                () -> "the broker still decides the network: " + lines);
    }

    /// Kernel mode is the one enforcing: a program (sandbox/enforce/filecalls.c) stats, opens
    /// and reads 1000 allowed files and tries a secret outside 1000 times. In kernel mode it gets
    /// the same answers as in broker mode, yet the audit, which records every call that reaches
    /// the broker, has not one line naming those files; in broker mode it has one for each call
    /// (at least 2000 for the allowed files, 1000 denials of the secret). Control: outside the
    /// sandbox the secret opens.
    @Test
    void noFileCallReachesTheBrokerInKernelMode(@TempDir Path tmp) throws Exception {
        Requires.that(Landlock.abi() >= 3, "kernel mode needs Landlock ABI 3");
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root (CI runs as root)");
        Path filecalls = Gcc.compile("sandbox/enforce/filecalls.c", Files.createDirectory(tmp.resolve("bin")));
        Path files = Files.createDirectory(tmp.resolve("files"));
        for (int i = 0; i < 1000; i++) {
            Files.writeString(files.resolve(Integer.toString(i)), "x\n");
        }
        Path secret = Files.writeString(Files.createDirectory(tmp.resolve("secret")).resolve("s"), "secret\n");
        List<String> program = List.of(filecalls.toString(), files.toString(), "1000", secret.toString());
        assertEquals("filecalls: stat=1000 open=1000 read=1000 secret-opened=1000 secret-errno=none\n",
                ChildProcess.run(program).stdout(), "control: outside, the secret opens");
        for (String mode : List.of("kernel", "broker")) {
            Path audit = tmp.resolve(mode + ".jsonl");
            Result r = finish(new ProcessBuilder(posix4j(List.of("--enforce", mode, "--allow-read", files.toString(),
                    "--allow-read", filecalls.getParent().toString(), "--audit", audit.toString()), program)));
            assertEquals("filecalls: stat=1000 open=1000 read=1000 secret-opened=0 secret-errno=EACCES\n",
                    r.stdout(), () -> mode + ": " + r);
            assertEquals(0, r.exitCode(), () -> mode + ": " + r);
            List<String> lines = Files.readAllLines(audit);
            long allowed = lines.stream().filter(l -> l.contains(files.toString())).count();
            long denied = lines.stream().filter(l -> l.contains(secret.toString()) && l.contains("deny")).count();
            if (mode.equals("kernel")) {
                assertEquals(0, allowed + denied, () -> "kernel mode brokered file calls: " + lines.subList(0,
                        Math.min(lines.size(), 20)));
            } else {
                assertTrue(allowed >= 2000, () -> "broker mode: " + allowed + " lines for the allowed files");
                assertTrue(denied >= 1000, () -> "broker mode: " + denied + " denials of the secret");
            }
        }
    }

    /// A policy Landlock cannot say exactly (a deny inside a writable tree) is refused in kernel
    /// mode with exit 2, naming the part; `auto` explains that the broker enforces it, and runs.
    @Test
    void aPolicyTheKernelCannotSayIsRefusedOrLeftToTheBroker(@TempDir Path tmp) throws Exception {
        Requires.that(Landlock.abi() >= 3, "kernel mode needs Landlock ABI 3");
        Path rw = Files.createDirectories(tmp.resolve("rw"));
        Path denied = Files.createDirectories(rw.resolve("private"));
        Files.writeString(denied.resolve("f"), "private\n");
        List<String> options = List.of("--allow-write", rw.toString(), "--deny", denied.toString());
        Result kernel = finish(new ProcessBuilder(posix4j(
                concat(List.of("--enforce", "kernel"), options), List.of("true"))));
        assertEquals(2, kernel.exitCode(), kernel::toString);
        assertTrue(kernel.stderr().contains("--deny " + denied), kernel::toString);
        Result auto = finish(new ProcessBuilder(posix4j(concat(List.of("--explain"), options),
                List.of("cat", denied.resolve("f").toString()))));
        assertTrue(auto.stderr().contains("enforced by the broker"), auto::toString);
        assertTrue(auto.stderr().contains("Permission denied"), auto::toString);
        assertEquals(1, auto.exitCode(), auto::toString);
    }

    /// With the defaults, auto takes the kernel: it can say every allowance but the program's
    /// own /proc/PID, which it refuses (stricter, as `--explain` says): the program reads its
    /// tree but not /proc/self/status, which it reads in broker mode.
    @Test
    void theDefaultsRunInTheKernel(@TempDir Path tmp) throws Exception {
        Requires.that(Landlock.abi() >= 3, "kernel mode needs Landlock ABI 3");
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Files.writeString(ro.resolve("f"), "ro\n");
        String script = "cat \"$1\"; head -n 1 /proc/self/status || echo proc-refused";
        Result auto = finish(new ProcessBuilder(posix4j(List.of("--explain", "--allow-read", ro.toString()),
                List.of("sh", "-c", script, "sh", ro.resolve("f").toString()))));
        assertEquals("ro\nproc-refused\n", auto.stdout(), auto::toString);
        assertTrue(auto.stderr().contains("--enforce auto: file rules enforced by the kernel"), auto::toString);
        assertTrue(auto.stderr().contains("stricter than asked: the program's own /proc/PID"), auto::toString);
        assertTrue(auto.stderr().contains("'/proc/self/status' for reading: Permission denied"), auto::toString);
        Result broker = finish(new ProcessBuilder(posix4j(List.of("--enforce", "broker", "--allow-read",
                ro.toString()), List.of("sh", "-c", script, "sh", ro.resolve("f").toString()))));
        assertEquals("ro\nName:\thead\n", broker.stdout(), broker::toString);
    }

    /// posix4j's own /proc/PID (its command line, memory map, status) is never the program's,
    /// whatever the policy allows: under `--allow-read /proc` auto takes the broker, which hides
    /// it, and kernel mode refuses the policy (exit 2, naming it); under `--allow-read /` the
    /// kernel grants everything but /proc. Control: outside the sandbox a child reads its
    /// parent's.
    @Test
    void theSupervisorsProcIsNeverShown(@TempDir Path tmp) throws Exception {
        Requires.that(Landlock.abi() >= 3, "kernel mode needs Landlock ABI 3");
        String script = "cat /proc/$PPID/cmdline /proc/$PPID/maps /proc/$PPID/status 2>/dev/null | tr '\\0' ' '"
                + " | grep -c -e java -e libjvm; head -c 2 /etc/hostname >/dev/null && echo etc-read";
        Result control = ChildProcess.run(List.of("sh", "-c", "sh -c \"$1\"; :", "sh",
                "cat /proc/$PPID/cmdline /proc/$PPID/maps /proc/$PPID/status | grep -c -e bin/sh -e libc"));
        assertNotEquals("0", control.stdout().strip(), () -> "control: a child reads its parent's /proc: " + control);
        Result proc = finish(new ProcessBuilder(posix4j(List.of("--explain", "--allow-read", "/proc",
                "--allow-read", "/etc"), List.of("sh", "-c", script))));
        assertEquals("0\netc-read\n", proc.stdout(), proc::toString);
        assertTrue(proc.stderr().contains("enforced by the broker"), proc::toString);
        assertTrue(proc.stderr().contains("the allowance of /proc"), proc::toString);
        Result kernel = finish(new ProcessBuilder(posix4j(List.of("--enforce", "kernel", "--allow-read", "/proc"),
                List.of("true"))));
        assertEquals(2, kernel.exitCode(), kernel::toString);
        assertTrue(kernel.stderr().contains("the allowance of /proc"), kernel::toString);
        Result root = finish(new ProcessBuilder(posix4j(List.of("--explain", "--allow-read", "/"),
                List.of("sh", "-c", script))));
        assertEquals("0\netc-read\n", root.stdout(), root::toString);
        assertTrue(root.stderr().contains("enforced by the kernel"), root::toString);
        assertTrue(root.stderr().contains("stricter than asked: /proc, inside allowed tree /"), root::toString);
    }

    /// `--explain` says when the kernel enforces the file rules, and with which ABI.
    @Test
    void explainNamesTheKernel(@TempDir Path tmp) throws Exception {
        Requires.that(Landlock.abi() >= 3, "kernel mode needs Landlock ABI 3");
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Files.writeString(ro.resolve("f"), "ro\n");
        Result r = finish(new ProcessBuilder(posix4j(List.of("--explain", "--enforce", "kernel", "--allow-read",
                ro.toString()), List.of("cat", ro.resolve("f").toString()))));
        assertEquals("ro\n", r.stdout(), r::toString);
        assertTrue(r.stderr().contains("enforced by the kernel (Landlock ABI " + Landlock.abi() + ")"), r::toString);
    }
}
