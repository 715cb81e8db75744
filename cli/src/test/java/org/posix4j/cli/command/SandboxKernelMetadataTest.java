package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.cli.command.SandboxAttackTest.finish;
import static org.posix4j.cli.command.SandboxAttackTest.posix4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Requires;
import org.posix4j.landlock.Landlock;
import org.posix4j.testing.ScaledTimeout;

/// What a program observes of paths outside its allowances when the kernel enforces the file
/// rules (issue 12): `--hide-metadata` keeps stat, access, readlink and chdir with the broker,
/// which answers them as in broker mode, and /proc is the kernel's to refuse while the loader's
/// readlink of /proc/self/exe, which Landlock does not govern, works.
@ScaledTimeout(120)
class SandboxKernelMetadataTest {
    private static final String SCRIPT = "stat -c size=%s \"$1\" 2>&1; test -e \"$1\" && echo exists;"
            + " cd \"$(dirname \"$1\")\" 2>/dev/null && echo entered; stat -c size=%s \"$2\"";

    /// Without `--hide-metadata` the kernel answers a stat, a test -e and a cd outside the
    /// allowances (the file's size is seen), with it the broker refuses all three, as in broker
    /// mode; a file inside the allowances is stat'ed in every case. Reading the outside file
    /// is refused throughout.
    @Test
    void hideMetadataKeepsLookingAtPathsWithTheBroker(@TempDir Path tmp) throws Exception {
        Requires.that(Landlock.abi() >= 3, "kernel mode needs Landlock ABI 3");
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Path inside = Files.writeString(ro.resolve("f"), "12345\n");
        Path secret = Files.writeString(Files.createDirectories(tmp.resolve("secret")).resolve("s"), "secret!\n");
        List<String> program = List.of("sh", "-c", SCRIPT + "; cat \"$1\" 2>/dev/null || echo unreadable", "sh",
                secret.toString(), inside.toString());

        Result revealed = run(List.of("--enforce", "kernel"), ro, program);
        assertEquals("size=8\nexists\nentered\nsize=6\nunreadable\n", revealed.stdout(), revealed::toString);

        Result hidden = run(List.of("--enforce", "kernel", "--hide-metadata"), ro, program);
        assertTrue(hidden.stdout().endsWith("Permission denied\nsize=6\nunreadable\n"), hidden::toString);
        assertTrue(!hidden.stdout().contains("size=8") && !hidden.stdout().contains("exists")
                && !hidden.stdout().contains("entered"), hidden::toString);

        Result broker = run(List.of("--enforce", "broker"), ro, program);
        assertEquals(hidden.stdout(), broker.stdout(), "the broker answers as --hide-metadata does");
    }

    /// In kernel mode the own-/proc allowance (a default) does not become all of /proc: the
    /// program reads nothing there (stricter, said by --explain), while readlink of
    /// /proc/self/exe, which Landlock does not govern, still names the program.
    @Test
    void procIsRefusedByTheKernelButTheLoaderStillFindsItself(@TempDir Path tmp) throws Exception {
        Requires.that(Landlock.abi() >= 3, "kernel mode needs Landlock ABI 3");
        Result r = run(List.of("--enforce", "kernel", "--explain"), tmp, List.of("sh", "-c",
                "readlink /proc/self/exe; head -c 5 /proc/self/status 2>/dev/null || echo own-refused;"
                        + " head -c 5 /proc/1/cmdline 2>/dev/null || echo other-refused"));
        assertEquals("/usr/bin/readlink\nown-refused\nother-refused\n", r.stdout(), r::toString);
        assertTrue(r.stderr().contains("stricter than asked: the program's own /proc/PID"), r::toString);
        assertEquals(0, r.exitCode(), r::toString);
    }

    private static Result run(List<String> options, Path readable, List<String> program) throws Exception {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of("--allow-read", readable.toString()));
        return finish(new ProcessBuilder(posix4j(all, program)));
    }
}
