package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.posix4j.cli.command.SandboxAttackTest.Mode;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Requires;
import org.posix4j.testing.ScaledTimeout;

/// A program may open (and stat, and check access to) its own descriptors by name, as the kernel
/// lets it: bash's process substitution (`/dev/fd/63`), `cat /dev/stdin`, `echo >> /dev/stdout`,
/// `test -p /dev/stdin`, `/proc/self/fd/N`. What
/// that reaches is decided like any other file, by its own path under the allowances and never by
/// the name of the link; a pipe has no path, and the kernel alone decides. Each case runs in each
/// [Mode], against the same script outside the sandbox.
@ScaledTimeout(120)
class SandboxOwnDescriptorsTest {
    /// The same output as outside the sandbox, for a pipe of process substitution, a pipeline's
    /// pipe on standard input, a file the program opened on descriptor 3 (by /dev/fd,
    /// /proc/self/fd and /proc/thread-self/fd), a descriptor the program does not have
    /// (ENOENT) and standard output appended to by name; then the stat and access of such names.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void ownDescriptorsOpenAgainByName(Mode mode, @TempDir Path tmp) throws Exception {
        Requires.programs("bash");
        Path dir = Files.createDirectory(tmp.resolve("allowed"));
        Path file = Files.writeString(dir.resolve("file"), "allowed\n");
        String script = String.join("; ",
                "cat <(echo substituted)",
                "echo piped | cat /dev/stdin",
                "exec 3<" + file,
                "cat /dev/fd/3 /proc/self/fd/3 /proc/thread-self/fd/3",
                "cat /proc/self/fd/99 2>/dev/null || echo 'fd 99: none'",
                "echo appended >> /dev/stdout",
                "echo | { test -p /dev/stdin && echo 'stdin: a pipe'; }",
                "test -r /dev/fd/3 && echo 'fd 3: readable'",
                "stat -L -c %F /proc/self/fd/3",
                "test -e /dev/fd/99 || echo 'fd 99: not there'");
        String expected = "substituted\npiped\nallowed\nallowed\nallowed\nfd 99: none\nappended\nstdin: a pipe\n"
                + "fd 3: readable\nregular file\nfd 99: not there\n";
        Result outside = ChildProcess.run(List.of("bash", "-c", script));
        assertEquals(expected, outside.stdout(), outside::toString);
        Result r = SandboxAttackTest.finish(new ProcessBuilder(SandboxAttackTest.posix4j(
                mode.enforce("--allow-read", dir.toString()), List.of("bash", "-c", script))));
        assertEquals(expected, r.stdout(), r::toString);
        assertEquals(0, r.exitCode(), r::toString);
    }

    /// The attacks. A descriptor open for reading is no way to write its file, whose path
    /// allows reading only; a file outside the allowances on standard input (redirected there
    /// by whoever started posix4j) is no way to read it by name, nor to stat it in broker mode
    /// (kernel mode lets a program stat anything); nor is a deleted file's
    /// descriptor in broker mode (no path to decide on: refused; Landlock in kernel mode decides
    /// by the directory it was in); and posix4j's own descriptors stay out of reach
    /// (/proc/PPID/fd/2). Outside the sandbox the kernel lets the program do the first four, run as
    /// root and run as uid 65534.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void ownDescriptorsGrantNothingThePolicyRefuses(Mode mode, @TempDir Path tmp) throws Exception {
        Requires.programs("bash", "setpriv");
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root (CI runs as root)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dir = Files.createDirectory(tmp.resolve("read"));
        Path file = Files.writeString(dir.resolve("file"), "read only\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path write = Files.createDirectory(tmp.resolve("write"));
        Files.setPosixFilePermissions(write, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path secret = Files.writeString(tmp.resolve("secret"), "secret\n");
        String script = String.join("; ",
                "exec 3<" + file,
                "{ echo pwned >> /dev/fd/3; } 2>/dev/null || echo 'write: refused'",
                "stat -L -c %s /dev/stdin 2>/dev/null || echo 'stat stdin: refused'",
                "cat /dev/stdin 2>/dev/null || echo 'stdin: refused'",
                "echo gone > " + write.resolve("gone"),
                "exec 4<" + write.resolve("gone"),
                "rm " + write.resolve("gone"),
                "cat /dev/fd/4 2>/dev/null || echo 'deleted: refused'",
                "head -c 0 /proc/$PPID/fd/2 2>/dev/null && echo 'master: opened' || echo 'master: refused'");
        // The program as root, then as uid 65534 under the root posix4j, which may not lend it its
        // own authority: in both, the kernel alone lets it do the first four.
        for (List<String> as : List.of(List.<String>of(),
                List.of("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"))) {
            List<String> program = new ArrayList<>(as);
            program.addAll(List.of("bash", "-c", script));
            Result outside = ChildProcess.start(new ProcessBuilder(program).redirectInput(secret.toFile())).finish();
            assertTrue(outside.stdout().startsWith("7\nsecret\ngone\n"), outside::toString);
            assertEquals("read only\npwned\n", Files.readString(file), "outside, the program writes through fd 3");
            Files.writeString(file, "read only\n");

            Result r = ChildProcess.start(new ProcessBuilder(SandboxAttackTest.posix4j(
                    mode.enforce("--allow-read", dir.toString(), "--allow-write", write.toString()), program))
                    .redirectInput(secret.toFile())).finish();
            assertEquals("write: refused\n" + mode.pick("stat stdin: refused\n", "7\n") + "stdin: refused\n"
                    + mode.pick("deleted: refused\n", "gone\n")
                    + "master: refused\n", r.stdout(), () -> as + ": " + r);
            assertEquals("read only\n", Files.readString(file), "the read-only file is unchanged");
            assertFalse(Files.exists(write.resolve("gone")));
        }
    }
}
