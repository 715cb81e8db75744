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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Requires;
import org.posix4j.landlock.Landlock;

/// `posix4j sandbox --enforce`: the kernel (Landlock) enforcing the file rules, the broker the
/// rest (issue 12). Each case reads back what happened on disk from this JVM.
@Timeout(120)
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
