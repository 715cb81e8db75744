package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.cli.Main;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Requires;
import org.posix4j.testing.ScaledTimeout;
import picocli.CommandLine;

/// `posix4j run` in a child JVM, side by side with the programs it stands in for on the same
/// commands: `sh` for exit codes, `bash` and `env` for exec failures, `env -i` and `env NAME=VALUE`
/// for the environment, `cd DIR && pwd` and `env --chdir` for the directory, `env
/// --ignore-signal/--default-signal` for signal dispositions, read back from /proc.
@ScaledTimeout(120)
class RunCommandTest {
    /// Exit codes and deaths by signal, as `sh` reports its child's in `$?`.
    @Test
    void exitStatusMirrorsTheProgramAsTheShellReportsIt() throws Exception {
        Requires.programs("sh");
        Map<String, Integer> scripts = new LinkedHashMap<>();
        scripts.put("exit 3", 3);
        scripts.put("exit 255", 255);
        scripts.put("kill -TERM $$", 128 + 15);
        scripts.put("kill -KILL $$", 128 + 9);
        List<Callable<Result>> runs = new ArrayList<>();
        for (String script : scripts.keySet()) {
            runs.add(() -> ChildProcess.run(List.of("sh", "-c", "sh -c \"$1\"; echo $?", "sh", script)));
            runs.add(() -> run("--", "sh", "-c", script));
        }
        Iterator<Result> results = concurrently(runs).iterator();
        for (var e : scripts.entrySet()) {
            Result shell = results.next();
            Result run = results.next();
            assertEquals(e.getValue() + "\n", shell.stdout(), e.getKey());
            assertEquals(e.getValue(), run.exitCode(), () -> e.getKey() + ": " + run);
            assertEquals("", run.stdout(), e.getKey());
            assertEquals("", run.stderr(), () -> e.getKey() + ": nothing but the program's output");
        }
    }

    /// The program reads posix4j's stdin and writes on its stdout and stderr.
    @Test
    void programInheritsStandardInputOutputAndError(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("input"), "line one\nline two\n");
        try (ChildProcess child = ChildProcess.start(new ProcessBuilder(
                        posix4j("--", "sh", "-c", "cat; echo 'to stderr' >&2"))
                .redirectInput(input.toFile()))) {
            Result r = child.finish();
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals("line one\nline two\n", r.stdout());
            assertEquals("to stderr\n", r.stderr());
        }
    }

    /// Arguments after PROGRAM are the program's even when they look like options, with or
    /// without `--`, and `@FILE` is not expanded as picocli would by default.
    @Test
    void argumentsAfterTheProgramArePassedAsTheyAre(@TempDir Path dir) throws Exception {
        Path atFile = Files.writeString(dir.resolve("args"), "--expanded\n");
        Result r = run("printf", "%s|", "--env", "-x", "--", "@" + atFile);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("--env|-x|--|@" + atFile + "|", r.stdout());
        assertEquals("", r.stderr());
    }

    /// Exec failures: the message names the program and the error as env(1) and bash(1) word it
    /// (the same strerror text), and the exit code is bash's: 127 when the program is not found,
    /// 126 when it is there but cannot be executed.
    @Test
    void execFailuresAre127Or126LikeBash(@TempDir Path dir) throws Exception {
        Requires.programs("bash", "env");
        Path noExec = Files.writeString(dir.resolve("not-executable"), "echo hi\n");
        Path badElf = dir.resolve("bad-elf");
        Files.write(badElf, new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Files.setPosixFilePermissions(badElf, PosixFilePermissions.fromString("rwxr-xr-x"));
        record Case(String program, int code, String error) {}
        List<Case> cases = List.of(
                new Case("posix4j-no-such-program", 127, "No such file or directory"),
                new Case("", 127, "No such file or directory"),
                new Case(dir.resolve("missing").toString(), 127, "No such file or directory"),
                new Case(noExec.toString(), 126, "Permission denied"),
                new Case(dir.toString(), 126, "Permission denied"),
                new Case(badElf.toString(), 126, "Exec format error"));
        List<Callable<Result>> runs = new ArrayList<>();
        for (Case c : cases) {
            runs.add(() -> ChildProcess.run(List.of("bash", "-c", "\"$@\"", "bash", c.program())));
            runs.add(() -> ChildProcess.run(List.of("env", c.program())));
            runs.add(() -> run("--", c.program(), "arg"));
        }
        Iterator<Result> results = concurrently(runs).iterator();
        for (Case c : cases) {
            Result bash = results.next();
            Result env = results.next();
            Result run = results.next();
            assertEquals(c.code(), bash.exitCode(), () -> "bash: " + bash);
            assertEquals(c.code(), run.exitCode(), () -> c + ": " + run);
            assertEquals("", run.stdout());
            assertEquals("posix4j run: " + c.program() + ": " + c.error() + "\n", run.stderr());
            if (c.code() == 127 || c.error().equals("Permission denied")) {
                // env words the same errno the same way; it runs a bad ELF through /bin/sh instead.
                assertEquals(c.code(), env.exitCode(), () -> "env: " + env);
                assertTrue(env.stderr().endsWith(": " + c.error() + "\n"), env::stderr);
            } else {
                assertTrue(bash.stderr().endsWith(": " + c.error() + "\n"), bash::stderr);
            }
        }
    }

    /// `--clear-env` with `--env` gives the program the environment `env -i NAME=VALUE...` gives.
    @Test
    void clearEnvWithEnvMatchesEnvDashI() throws Exception {
        Requires.programs("env");
        List<String> vars = List.of("A=1", "SPACED=a b  c", "EMPTY=", "EQUALS=x=y=z", "A=2");
        List<String> env = new ArrayList<>(List.of("env", "-i"));
        env.addAll(vars);
        env.add("env");
        List<String> args = new ArrayList<>(List.of("--clear-env"));
        vars.forEach(v -> args.addAll(List.of("--env", v)));
        args.addAll(List.of("--", "env"));

        Result peer = ChildProcess.run(env);
        Result run = run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.stderr());
        assertEquals(lines(peer.stdout()), lines(run.stdout()));
        assertEquals(Set.of("A=2", "SPACED=a b  c", "EMPTY=", "EQUALS=x=y=z"), lines(run.stdout()));
    }

    /// Without `--clear-env`, the program gets posix4j's environment with the `--env` changes,
    /// as `env NAME=VALUE...` gives it.
    @Test
    void envAddsToTheInheritedEnvironmentLikeEnv() throws Exception {
        Requires.programs("env");
        Map<String, String> base = Map.of(
                "PATH", System.getenv("PATH"), "KEPT", "kept value", "REPLACED", "old", "LANG", "C");
        ProcessBuilder peer = new ProcessBuilder("env", "REPLACED=new", "ADDED=a=b", "env");
        peer.environment().clear();
        peer.environment().putAll(base);
        ProcessBuilder run = new ProcessBuilder(posix4j("--env", "REPLACED=new", "--env", "ADDED=a=b", "--", "env"));
        run.environment().clear();
        run.environment().putAll(base);

        Result expected = finish(peer);
        Result r = finish(run);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.stderr());
        assertEquals(lines(expected.stdout()), lines(r.stdout()));
        assertTrue(lines(r.stdout()).containsAll(Set.of("KEPT=kept value", "REPLACED=new", "ADDED=a=b")), r::stdout);
    }

    /// `--chdir DIR` runs the program where `cd DIR` would put a shell: absolute, relative to
    /// posix4j's directory, and a relative PROGRAM found from DIR, as with `env --chdir`.
    @Test
    void chdirMatchesCdAndEnvChdir(@TempDir Path tmp) throws Exception {
        Requires.programs("sh", "env", "pwd");
        Path dir = Files.createDirectory(tmp.resolve("a dir"));
        Path script = Files.writeString(dir.resolve("where.sh"), "#!/bin/sh\necho \"$0 in $(pwd)\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        Result cd = ChildProcess.run(List.of("sh", "-c", "cd \"$1\" && pwd", "sh", dir.toString()));
        Result run = run("--chdir", dir.toString(), "--", "pwd");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(dir.toRealPath() + "\n", cd.stdout());
        assertEquals(cd.stdout(), run.stdout());

        Result relative = finish(new ProcessBuilder(posix4j("--chdir", "a dir", "--", "pwd")).directory(tmp.toFile()));
        assertEquals(cd.stdout(), relative.stdout(), relative::toString);

        Result env = ChildProcess.run(List.of("env", "--chdir=" + dir, "./where.sh"));
        Result runScript = run("--chdir", dir.toString(), "--", "./where.sh");
        assertEquals(0, runScript.exitCode(), runScript::toString);
        assertEquals("./where.sh in " + dir.toRealPath() + "\n", env.stdout());
        assertEquals(env.stdout(), runScript.stdout());
    }

    /// A directory that cannot be entered is posix4j's own failure: exit code 125, as env and
    /// timeout use for theirs, and a message naming the directory and the error.
    @Test
    void chdirToAMissingDirectoryIs125LikeEnv(@TempDir Path tmp) throws Exception {
        Requires.programs("env");
        Path missing = tmp.resolve("missing");
        Result env = ChildProcess.run(List.of("env", "--chdir=" + missing, "true"));
        Result run = run("--chdir", missing.toString(), "--", "true");
        assertEquals(125, env.exitCode());
        assertEquals(env.exitCode(), run.exitCode(), run::toString);
        assertEquals("posix4j run: cannot change directory to " + missing + ": No such file or directory\n",
                run.stderr());
        assertEquals("", run.stdout());
    }

    /// The program inherits 0, 1, 2 and the `--keep-fd` descriptors, nothing else: not the
    /// descriptors posix4j's JVM opened, nor the other ones posix4j inherited. The program is a
    /// shell that lists its own descriptors, /proc/$$/fd, with ls (the `; :` keeps dash from
    /// exec'ing ls in its place).
    @Test
    void programGetsOnlyStandardAndKeptDescriptors(@TempDir Path tmp) throws Exception {
        Requires.programs("sh", "env", "ls");
        Path three = Files.writeString(tmp.resolve("three"), "3");
        Path five = Files.writeString(tmp.resolve("five"), "5");
        String list = "ls -l /proc/$$/fd; :";

        Map<String, String> envFds = fds(underShell(three, five, List.of("env", "sh", "-c", list)));
        assertEquals(Set.of("0", "1", "2", "3", "5"), envFds.keySet(), "env passes on everything open");

        Map<String, String> kept = fds(underShell(three, five, posix4j("--keep-fd", "3", "--", "sh", "-c", list)));
        assertEquals(Set.of("0", "1", "2", "3"), kept.keySet());
        assertEquals(three.toString(), kept.get("3"));

        Map<String, String> none = fds(underShell(three, five, posix4j("--", "sh", "-c", list)));
        assertEquals(Set.of("0", "1", "2"), none.keySet());
    }

    /// A `--keep-fd` that is not open is posix4j's failure (125), found before the program starts.
    @Test
    void keepingAClosedDescriptorIs125() throws Exception {
        Result r = run("--keep-fd", "97", "--", "sh", "-c", "echo started");
        assertEquals(125, r.exitCode(), r::toString);
        assertEquals("", r.stdout(), "the program did not start");
        assertEquals("posix4j run: --keep-fd 97: Bad file descriptor\n", r.stderr());
    }

    /// `--ignore-signal` and `--default-signal` give the program the ignored and blocked signals
    /// that env(1)'s options of the same names give, read from the program's /proc/self/status;
    /// with neither, the program has those of a program the test JVM starts (the JVM's own
    /// handlers do not leak into it as "ignored").
    ///
    /// glibc's two internal signals, 32 and 33, are left out of the comparison: glibc's
    /// posix_spawn sets them to SIG_IGN in its child, which is how the JDK starts the peers, while
    /// posix4j gives the program their default action.
    @Test
    void signalDispositionsMatchEnv() throws Exception {
        Requires.programs("env", "grep");
        List<String> probe = List.of("grep", "-E", "^Sig(Ign|Blk):", "/proc/self/status");
        long hup = 1L << 0, usr1 = 1L << 9, pipe = 1L << 12, urg = 1L << 22, winch = 1L << 27;

        Result plain = ChildProcess.run(probe);
        long inherited = mask(plain, "SigIgn");
        Result runPlain = run(concat(List.of("--"), probe));
        assertEquals(0, runPlain.exitCode(), runPlain::toString);
        assertEquals(dispositions(plain), dispositions(runPlain));

        Result envIgnore = ChildProcess.run(concat(List.of("env", "--ignore-signal=USR1,HUP,PIPE"), probe));
        Result runIgnore = run(concat(List.of("--ignore-signal", "USR1", "--ignore-signal", "SIGHUP",
                "--ignore-signal", "13", "--"), probe));
        assertEquals(0, runIgnore.exitCode(), runIgnore::toString);
        assertEquals(inherited | usr1 | hup | pipe, mask(envIgnore, "SigIgn"));
        assertEquals(dispositions(envIgnore), dispositions(runIgnore));

        // posix4j itself starts with URG and WINCH ignored, which its children inherit unless told.
        List<String> ignoring = List.of("env", "--ignore-signal=URG,WINCH");
        Result envDefault = ChildProcess.run(concat(ignoring, List.of("env", "--default-signal=URG"), probe));
        Result runDefault = ChildProcess.run(concat(ignoring, posix4j(concat(List.of("--default-signal", "urg", "--"), probe))));
        assertEquals(0, runDefault.exitCode(), runDefault::toString);
        assertEquals(inherited | winch, mask(envDefault, "SigIgn"));
        assertEquals(dispositions(envDefault), dispositions(runDefault));
        Result runInherited = ChildProcess.run(concat(ignoring, posix4j(concat(List.of("--"), probe))));
        assertEquals(inherited | winch | urg, mask(runInherited, "SigIgn"));
    }

    /// The blocked and ignored signals the probe printed, without glibc's internal 32 and 33.
    private static String dispositions(Result probe) {
        return "blocked " + Long.toHexString(mask(probe, "SigBlk")) + ", ignored " + Long.toHexString(mask(probe, "SigIgn"));
    }

    /// The mask on the probe's `name:` line, signal N as bit N - 1, without glibc's 32 and 33.
    private static long mask(Result probe, String name) {
        String line = probe.stdout().lines().filter(l -> l.startsWith(name + ":")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in: " + probe));
        return Long.parseUnsignedLong(line.substring(name.length() + 1).strip(), 16) & ~(3L << 31);
    }

    /// Bad command lines are usage errors, exit code 2, reported before anything runs, through
    /// the real `Main` once and in this JVM for the rest (parsing changes nothing in the process).
    @Test
    void badOptionsAreUsageErrors() throws Exception {
        Result r = ChildProcess.run(ChildProcess.java(Main.class, "run", "--timeout", "soon", "--", "true"));
        assertEquals(2, r.exitCode());
        assertEquals("", r.stdout());
        assertTrue(r.stderr().startsWith("Invalid value for option '--timeout': 'soon' is not a time"), r.stderr());

        Map<List<String>, String> bad = new LinkedHashMap<>();
        bad.put(List.of(), "Missing required parameter: 'PROGRAM'");
        bad.put(List.of("--bogus", "--", "true"), "Unknown option: '--bogus'");
        bad.put(List.of("--env", "NOVALUE", "--", "true"), "Invalid value for option '--env' (NAME=VALUE): 'NOVALUE' is not NAME=VALUE");
        bad.put(List.of("--env", "=x", "--", "true"), "Invalid value for option '--env' (NAME=VALUE): the name is empty in '=x'");
        bad.put(List.of("--pgroup", "next", "--", "true"), "Invalid value for option '--pgroup': 'next' is neither 'new' nor a process group id");
        bad.put(List.of("--pgroup", "0", "--", "true"), "Invalid value for option '--pgroup': a process group id is positive: 0");
        bad.put(List.of("--keep-fd", "-1", "--", "true"), "Invalid value for option '--keep-fd' (N): a descriptor is not negative: -1");
        bad.put(List.of("--ignore-signal", "KILL", "--", "true"), "Invalid value for option '--ignore-signal' (SIG): SIGKILL's action cannot be changed");
        bad.put(List.of("--ignore-signal", "CHLD", "--", "true"), "Invalid value for option '--ignore-signal' (SIG): signal SIGCHLD cannot be ignored by a spawned child");
        bad.put(List.of("--default-signal", "NOPE", "--", "true"), "Invalid value for option '--default-signal' (SIG): no signal is called NOPE");
        bad.put(List.of("--ignore-signal", "40", "--", "true"), "Invalid value for option '--ignore-signal' (SIG): no signal has number 40");
        bad.put(List.of("--timeout", "-1", "--", "true"), "Invalid value for option '--timeout': '-1' is not a time");
        bad.put(List.of("--setsid", "--pgroup", "new", "--", "true"), "--setsid and --pgroup cannot be used together");
        bad.put(List.of("--setsid", "--foreground", "--", "true"), "--setsid and --foreground cannot be used together");
        bad.put(List.of("--pgroup", "new", "--foreground", "--", "true"), "--pgroup and --foreground cannot be used together");
        bad.put(List.of("--timeout", "1", "--pgroup", "1234", "--", "true"), "--timeout signals the program's whole process group");
        bad.put(List.of("--kill-after", "1", "--", "true"), "--kill-after needs --timeout");
        bad.forEach((args, message) -> {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            List<String> line = concat(List.of("run"), args);
            int code = RootCommand.commandLine(line.toArray(String[]::new)).setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true)).execute(line.toArray(String[]::new));
            assertEquals(2, code, () -> line + ": " + err);
            assertEquals("", out.toString(), line::toString);
            assertTrue(err.toString().startsWith(message), () -> line + ": " + err);
            assertTrue(err.toString().contains("\nUsage: posix4j run "), () -> line + ": " + err);
        });
    }

    /// `posix4j run --help` documents the options and every exit status, and `posix4j --help`
    /// lists the command.
    @Test
    void helpDocumentsOptionsAndExitStatuses() throws Exception {
        Result r = ChildProcess.run(ChildProcess.java(Main.class, "run", "--help"));
        assertEquals(0, r.exitCode());
        assertEquals("", r.stderr());
        assertTrue(r.stdout().startsWith("Usage: posix4j run [OPTIONS] [--] PROGRAM [ARG...]\n"), r.stdout());
        for (String option : List.of("--chdir=DIR", "--env=NAME=VALUE", "--clear-env", "--setsid",
                "--pgroup=new|PGID", "--foreground", "--keep-fd=N", "--default-signal=SIG", "--ignore-signal=SIG",
                "--timeout=TIME", "--kill-after=TIME")) {
            assertTrue(r.stdout().contains(option), option);
        }
        for (String status : List.of("124", "125", "126", "127", "128+N", "137")) {
            assertTrue(r.stdout().contains("\n  " + status), status);
        }
        Result root = ChildProcess.run(ChildProcess.java(Main.class, "--help"));
        assertTrue(root.stdout().contains("\n  run "), root.stdout());
    }

    /// The `posix4j run ARGS` command line in a fresh JVM.
    static List<String> posix4j(String... args) {
        return ChildProcess.java(Main.class, concat(List.of("run"), Arrays.asList(args)).toArray(String[]::new));
    }

    static List<String> posix4j(List<String> args) {
        return posix4j(args.toArray(String[]::new));
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return ChildProcess.run(posix4j(args));
    }

    static Result run(List<String> args) throws IOException, InterruptedException {
        return run(args.toArray(String[]::new));
    }

    static Result finish(ProcessBuilder builder) throws IOException, InterruptedException {
        try (ChildProcess child = ChildProcess.start(builder)) {
            return child.finish();
        }
    }

    /// Runs `tasks` at the same time, each on a virtual thread (they mostly wait for a child
    /// process), and answers their results in order; assertions are left to the caller's thread.
    static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<T> results = new ArrayList<>();
            for (Future<T> f : threads.invokeAll(tasks)) {
                results.add(f.get());
            }
            return results;
        }
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    private static Set<String> lines(String text) {
        return new TreeSet<>(text.lines().toList());
    }

    /// Runs `command` from a shell that first opens `three` as descriptor 3 and `five` as 5.
    private static Result underShell(Path three, Path five, List<String> command) throws Exception {
        Result r = ChildProcess.run(concat(
                List.of("sh", "-c", "exec 3<\"$1\" 5<\"$2\"; shift 2; exec \"$@\"", "sh", three.toString(), five.toString()),
                command));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.stderr());
        return r;
    }

    /// The "... N -> target" lines of `ls -l /proc/PID/fd` as a map from descriptor number to
    /// what it points at.
    private static Map<String, String> fds(Result r) {
        Map<String, String> fds = new LinkedHashMap<>();
        r.stdout().lines().filter(line -> line.contains(" -> ")).forEach(line -> {
            String[] link = line.split(" -> ", 2);
            fds.put(link[0].substring(link[0].lastIndexOf(' ') + 1), link[1]);
        });
        return fds;
    }
}
