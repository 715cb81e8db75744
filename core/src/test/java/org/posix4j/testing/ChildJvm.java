package org.posix4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/// Runs a test's `main` in a fresh JVM, so that process-wide changes (credentials, sessions,
/// rlimits, umask, abort) never touch the test JVM. The child gets the test class path and
/// native access; it talks to the test through lines on stdin and stdout.
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final CompletableFuture<String> err;

    private ChildJvm(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.err = new CompletableFuture<>();
        // A thread of its own per child: a shared pool would let one child that never closes
        // stderr starve the readers of the others.
        Thread.ofPlatform().daemon().name("child-stderr-" + process.pid()).start(() -> {
            try {
                err.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.complete(e.toString());
            }
        });
    }

    /// The collector and page options of the `posix4j` launcher, which start a JVM sooner: the
    /// serial collector, and transparent huge pages where the kernel offers them to a process
    /// that asks (with `never`, the JVM would warn on every start).
    public static final List<String> LAUNCHER_MEMORY = launcherMemory();

    private static List<String> launcherMemory() {
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC"));
        try {
            String thp = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
            if (thp.contains("[madvise]") || thp.contains("[always]")) {
                options.add("-XX:+UseTransparentHugePages");
            }
        } catch (IOException e) {
            // A kernel without transparent huge pages: the JVM runs without them.
        }
        return List.copyOf(options);
    }

    /// The command line that runs `main` with `args` in a child JVM, with extra JVM options first.
    public static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(LAUNCHER_MEMORY);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /// Starts `main` with `args`.
    public static ChildJvm start(Class<?> main, String... args) throws IOException {
        return new ChildJvm(new ProcessBuilder(command(List.of(), main, args)).start());
    }

    /// Starts the given command (built with [#command]) with stdin, stdout and stderr as pipes.
    public static ChildJvm start(ProcessBuilder builder) throws IOException {
        return new ChildJvm(builder.start());
    }

    /// Runs `main` with `args` to the end and answers what it did.
    public static Result run(Class<?> main, String... args) throws IOException, InterruptedException {
        try (ChildJvm child = start(main, args)) {
            return child.finish();
        }
    }

    /// The child's pid.
    public long pid() {
        return process.pid();
    }

    /// The next line the child printed, or null at end of output.
    public String readLine() throws IOException {
        return out.readLine();
    }

    /// Reads lines until one starts with `prefix`, and answers the rest of it.
    public String expect(String prefix) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new AssertionError("child ended without printing " + prefix + "; stderr: " + err.join());
    }

    /// Sends one line to the child's stdin.
    public void send(String line) throws IOException {
        in.write(line + "\n");
        in.flush();
    }

    /// Closes the child's stdin, waits for it to end (30 s times the time factor at most) and answers
    /// the result.
    public Result finish() throws IOException, InterruptedException {
        in.close();
        List<String> lines = new ArrayList<>();
        for (String line; (line = out.readLine()) != null; ) {
            lines.add(line);
        }
        if (!process.waitFor(TimeFactor.scale(30), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not end within " + TimeFactor.scale(30) + " s");
        }
        return new Result(process.exitValue(), lines, err.join());
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /// What a child JVM did.
    ///
    /// @param exitCode its exit code; 128 + N when killed by signal N
    /// @param stdout the lines it printed
    /// @param stderr what it wrote to stderr
    public record Result(int exitCode, List<String> stdout, String stderr) {
        /// The rest of the first stdout line that starts with `prefix`.
        public String value(String prefix) {
            return stdout.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                    .findFirst().orElseThrow(() -> new AssertionError("no line " + prefix + " in " + this));
        }

        /// Asserts the child exited 0 and wrote no warning.
        public Result assertSuccess() {
            assertEquals(0, exitCode, () -> "child failed: " + this);
            assertFalse(stderr.contains("WARNING"), () -> "child warned: " + stderr);
            return this;
        }
    }
}
