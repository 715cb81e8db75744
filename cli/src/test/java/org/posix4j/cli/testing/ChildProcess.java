package org.posix4j.cli.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.TimeFactor;

/// A child process of the test (usually a JVM running the command), with its stdout and stderr
/// collected, so that whatever the command changes or prints stays out of the test JVM.
public final class ChildProcess implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = TimeFactor.scale(60);
    /// The test JDK's java, and the options every child JVM gets: native access granted as the
    /// launcher grants it to the module, and the launcher's JIT, heap and page options.
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final List<String> JVM_OPTIONS = jvmOptions();

    private final Process process;
    private final InputStream stdout;
    private final ByteArrayOutputStream stdoutSoFar = new ByteArrayOutputStream();
    private final CompletableFuture<String> stderr;

    private ChildProcess(Process process) {
        this.process = process;
        this.stdout = process.getInputStream();
        // A thread of its own: the common pool may have a single thread, which one child that
        // stays alive would hold, starving the stderr reader of the next child.
        this.stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()),
                task -> Thread.ofPlatform().daemon().name("stderr of " + process.pid()).start(task));
    }

    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-Xmn16m"));
        options.addAll(ChildJvm.LAUNCHER_MEMORY);
        return List.copyOf(options);
    }

    /// The command line that runs `main` with `args` in a fresh JVM of the test's JDK with
    /// [#JVM_OPTIONS], on the test class path, with an AOT cache as the launcher has one (see
    /// [Children]).
    public static List<String> java(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA);
        cmd.addAll(JVM_OPTIONS);
        cmd.addAll(Children.OPTIONS);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /// The class path and class data of the children, made once per test JVM. The tests start
    /// some 550 JVMs, nearly all running the command, so like the launcher they get an AOT cache
    /// (JEP 483) trained on `org.posix4j.cli.Training`: a start takes about a fifth less. A cache
    /// takes classes only from jars, so the directories of the test class path (the module's
    /// classes and test classes) are packed into jars under `target/child-jvm` first, and a jar
    /// the build copied to `target/lib` (picocli's, rewritten there) is taken from there. When
    /// training fails or takes too long, the children run on the test class path as they are,
    /// with the JDK's own class data; the cache's log options keep a cache the JVM cannot use
    /// from printing anything.
    private static final class Children {
        private static final Path LIB = Path.of("target", "lib").toAbsolutePath();
        static final List<String> OPTIONS = prepare();

        private Children() {}

        private static List<String> prepare() {
            String classPath = System.getProperty("java.class.path");
            List<String> plain = List.of("-Xshare:auto", "-cp", classPath);
            Path dir = Path.of("target", "child-jvm").toAbsolutePath();
            try {
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> old = Files.walk(dir)) {
                        for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(p);
                        }
                    }
                }
                Files.createDirectories(dir);
                List<String> jars = new ArrayList<>();
                for (String entry : classPath.split(File.pathSeparator)) {
                    Path path = Path.of(entry);
                    if (Files.isDirectory(path)) {
                        Path jar = dir.resolve("classes-" + jars.size() + ".jar");
                        pack(path, jar);
                        jars.add(jar.toString());
                    } else {
                        // The build's own copy where there is one: target/lib holds the jars
                        // the launcher runs, picocli's rewritten so that the cache can hold it.
                        Path built = LIB.resolve(path.getFileName());
                        jars.add(Files.isRegularFile(built) ? built.toString() : entry);
                    }
                }
                String packed = String.join(File.pathSeparator, jars);
                Path cache = dir.resolve("children.aot");
                List<String> train = new ArrayList<>(List.of(JAVA));
                train.addAll(JVM_OPTIONS);
                train.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-cp", packed, "org.posix4j.cli.Training"));
                Process training = new ProcessBuilder(train).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("training.log").toFile()).start();
                if (!training.waitFor(TimeFactor.scale(40), TimeUnit.SECONDS)) {
                    training.destroyForcibly().waitFor();
                    return plain;
                }
                if (training.exitValue() != 0 || !Files.isRegularFile(cache) || Files.size(cache) == 0) {
                    return plain;
                }
                return List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off,cds*=off", "-cp", packed);
            } catch (IOException e) {
                return plain;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return plain;
            }
        }

        /// Writes the files below `dir` into the jar `jar`, named by their paths relative to it.
        private static void pack(Path dir, Path jar) throws IOException {
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                    Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted().toList()) {
                    String name = dir.relativize(p).toString().replace(File.separatorChar, '/');
                    if (name.isEmpty()) {
                        continue;
                    }
                    if (Files.isDirectory(p)) {
                        out.putNextEntry(new JarEntry(name + "/"));
                    } else {
                        out.putNextEntry(new JarEntry(name));
                        Files.copy(p, out);
                    }
                    out.closeEntry();
                }
            }
        }
    }

    /// Starts `builder`'s command with stdout and stderr as pipes.
    public static ChildProcess start(ProcessBuilder builder) throws IOException {
        return new ChildProcess(builder.redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE).start());
    }

    /// Runs `command` to its end with stdin empty.
    public static Result run(List<String> command) throws IOException, InterruptedException {
        try (ChildProcess child = start(new ProcessBuilder(command))) {
            return child.finish();
        }
    }

    /// Runs `command` to its end and answers its stdout, asserting success and an empty stderr:
    /// for the independent tools (`id`, `uname`...) whose answers the tests compare against.
    public static String output(String... command) throws IOException, InterruptedException {
        Result r = run(List.of(command));
        if (r.exitCode() != 0 || !r.stderr().isEmpty()) {
            throw new AssertionError(String.join(" ", command) + " failed: " + r);
        }
        return r.stdout().strip();
    }

    /// Whether `program` is an executable file in a directory of PATH.
    public static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /// The child's pid.
    public long pid() {
        return process.pid();
    }

    /// Reads stdout until a line starting with `marker` and answers everything before that line
    /// and the rest of the marker line, while the child keeps running.
    ///
    /// @throws AssertionError if stdout ends first
    public String[] readUntil(String marker) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = stdout.read()) != -1; ) {
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (text.startsWith(marker)) {
                return new String[] {stdoutSoFar.toString(StandardCharsets.UTF_8), text.substring(marker.length())};
            }
            stdoutSoFar.writeBytes((text + "\n").getBytes(StandardCharsets.UTF_8));
        }
        throw new AssertionError("the child ended without printing " + marker + "; stdout: " + stdoutSoFar
                + "; stderr: " + stderr.join());
    }

    /// Closes the child's stdin, waits for its end and answers what it did.
    public Result finish() throws IOException, InterruptedException {
        process.getOutputStream().close();
        String out = stdoutSoFar.toString(StandardCharsets.UTF_8) + readAll(stdout);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not end within " + TIMEOUT_SECONDS + " s; stdout: " + out);
        }
        return new Result(process.exitValue(), out, stderr.join());
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /// What a child process did.
    ///
    /// @param exitCode its exit code
    /// @param stdout everything it printed on stdout, as UTF-8
    /// @param stderr everything it printed on stderr, as UTF-8
    public record Result(int exitCode, String stdout, String stderr) {}
}
