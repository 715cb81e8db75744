package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.cli.command.SandboxAttackTest.finish;
import static org.posix4j.cli.command.SandboxAttackTest.match;
import static org.posix4j.cli.command.SandboxAttackTest.posix4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.posix4j.cli.command.SandboxAttackTest.Mode;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Gcc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.landlock.Landlock;
import org.posix4j.testing.ScaledTimeout;

/// Exec under `posix4j sandbox`, as the kernel enforces it: the Landlock ruleset of
/// [org.posix4j.broker.Sandbox#start] refuses to execute a program under `--deny` (or outside
/// the read allowances) whatever the broker let through. An exec the broker allows continues in
/// the kernel, which looks the path up again, so the races of the attacker execrace.c (the
/// path buffer rewritten, a symbolic link swapped after the check) are the attacks this wall
/// stops; each is first shown to run the denied program without the sandbox. Each runs in
/// both [Mode]s: in kernel mode the ruleset refusing the exec is the whole file policy's.
@ScaledTimeout(120)
class SandboxExecTest {
    private static final String EXECRACE = "sandbox/attack/execrace.c";
    /// Runs of a race inside the sandbox, at most, to see both of its outcomes.
    private static final int RUNS = 5;
    private static final String RESULT = "execrace \\w+: ok=(\\d+) denied-ran=(\\d+) eacces=(\\d+) other=(\\d+)";

    private Path root;
    private Path ok;
    private Path secret;
    private Path links;

    @BeforeEach
    void layout(@TempDir Path tmp) throws IOException {
        Requires.that(Landlock.abi() > 0, "the kernel has no Landlock");
        root = tmp;
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        ok = bin.resolve("ok-tool");
        secret = bin.resolve("secret-tool");
        Files.copy(Path.of("/usr/bin/true"), ok, StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(Path.of("/usr/bin/false"), secret, StandardCopyOption.COPY_ATTRIBUTES);
        links = Files.createDirectory(tmp.resolve("links"));
        Files.createSymbolicLink(links.resolve("cur"), ok);
        Files.createSymbolicLink(links.resolve("spare"), secret);
    }

    /// `posix4j sandbox --allow-read DIR --deny DIR/bin/secret-tool -- DIR/bin/secret-tool`
    /// cannot start it (126, the kernel's "Permission denied"), while DIR/bin/ok-tool, beside it
    /// under the same options, runs.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aDeniedProgramCannotBeStarted(Mode mode) throws Exception {
        assertEquals(1, ChildProcess.run(List.of(secret.toString())).exitCode(), "control: it runs outside");
        List<String> options = mode.enforce("--allow-read", root.toString(), "--deny", secret.toString());
        Result denied = finish(new ProcessBuilder(posix4j(options, List.of(secret.toString()))));
        assertEquals(126, denied.exitCode(), denied::toString);
        assertTrue(denied.stderr().contains(secret + ": Permission denied"), denied::toString);
        Result allowed = finish(new ProcessBuilder(posix4j(options, List.of(ok.toString()))));
        assertEquals(0, allowed.exitCode(), allowed::toString);
    }

    /// A second thread rewrites the path buffer of execve between ok-tool and secret-tool while
    /// vforked children exec it: secret-tool never runs inside, and both paths were seen (some
    /// execs ran ok-tool, some were refused).
    @ParameterizedTest
    @EnumSource(Mode.class)
    void rewritingTheExecPathNeverRunsTheDeniedProgram(Mode mode) throws Exception {
        Path race = Gcc.compile(EXECRACE, root);
        List<String> program = List.of(race.toString(), "path", ok.toString(), secret.toString(), "60");
        assertRan(ChildProcess.run(program));
        List<String> options = mode.enforce("--allow-read", root.toString(), "--deny", secret.toString());
        assertRefused(() -> finish(new ProcessBuilder(posix4j(options, program))));
    }

    /// A second thread swaps a symbolic link to ok-tool with one to secret-tool (three renames
    /// in a writable directory) while children exec the link: secret-tool never runs inside.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void swappingTheExecutedSymlinkNeverRunsTheDeniedProgram(Mode mode) throws Exception {
        Path race = Gcc.compile(EXECRACE, root);
        List<String> program = List.of(race.toString(), "symlink", links.toString(), "400");
        assertRan(ChildProcess.run(program));
        List<String> options = mode.enforce("--allow-read", root.toString(), "--allow-write", links.toString(),
                "--deny", secret.toString());
        assertRefused(() -> finish(new ProcessBuilder(posix4j(options, program))));
    }

    private static void assertRan(Result outside) {
        Matcher m = match(outside, RESULT);
        assertTrue(Long.parseLong(m.group(2)) > 0, () -> "control: the race runs secret-tool outside: " + outside);
    }

    /// Runs the race inside the sandbox until both outcomes were seen, at most [#RUNS] times:
    /// secret-tool never runs in any run, and over the runs ok-tool ran and the denied program
    /// was reached and refused. One run's tries can all fall on one side when the attacker's
    /// thread is held off the CPU meanwhile (two CPUs, and the sandbox's JVM finishing its start
    /// on them).
    private static void assertRefused(Callable<Result> race) throws Exception {
        long ran = 0;
        long refused = 0;
        List<Result> runs = new ArrayList<>();
        while (runs.size() < RUNS && (ran == 0 || refused == 0)) {
            Result inside = race.call();
            runs.add(inside);
            Matcher m = match(inside, RESULT);
            assertEquals("0", m.group(2), () -> "secret-tool ran inside: " + inside);
            ran += Long.parseLong(m.group(1));
            refused += Long.parseLong(m.group(3));
        }
        assertTrue(ran > 0, () -> "ok-tool ran inside: " + runs);
        assertTrue(refused > 0, () -> "the denied program was reached and refused: " + runs);
    }
}
