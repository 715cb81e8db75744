package org.posix4j.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.signal.Signal;
import org.posix4j.signal.Signals;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.DaemonProgram;

/// Daemons launched the way people start JVMs, with paths relative to the working directory:
/// the daemon starts in "/", so the re-launch must not depend on that directory.
class DaemonRelativePathsTest {

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /// A directory `app` to start from, with greeting.txt in it, and the library's classes and
    /// the test classes as lib/classes and lib/tests, so that the relative paths cannot resolve
    /// from "/" as well (one that climbs with `..` could). The classes are copied: the JDK does
    /// not scan an exploded module through a symbolic link.
    private record App(Path dir, String classes, String testClasses) implements AutoCloseable {
        static App in(Path root) throws Exception {
            Path dir = Files.createDirectories(root.resolve("app"));
            Files.writeString(dir.resolve("greeting.txt"), "hello");
            Path lib = Files.createDirectories(dir.resolve("lib"));
            copy(location(Daemon.class), lib.resolve("classes"));
            Files.createSymbolicLink(lib.resolve("tests"), location(DaemonProgram.class));
            return new App(dir, "lib/classes", "lib/tests");
        }

        /// Removes the link to the test classes, which JUnit would warn of when it deletes the
        /// temporary directory (a link to a place outside it).
        @Override
        public void close() throws IOException {
            Files.delete(dir.resolve(testClasses));
        }

        /// Runs `java options...` in this directory with the pid file as the program's argument,
        /// and checks the daemon it started.
        void launch(Path pidFile, Map<String, String> env, String expected, String... options) throws Exception {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-XX:TieredStopAtLevel=1");
            command.addAll(List.of(options));
            command.add(pidFile.toString());
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
            builder.environment().remove("CLASSPATH");
            builder.environment().putAll(env);
            ChildJvm.Result launcher;
            try (ChildJvm child = ChildJvm.start(builder)) {
                launcher = child.finish();
            }
            assertEquals(0, launcher.exitCode(), () -> String.join(" ", command) + " in " + dir + ": " + launcher);
            String[] written = Files.readString(pidFile).split("\n", 2);
            Files.delete(pidFile);
            int pid = Integer.parseInt(written[0]);
            try {
                assertEquals("/", Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")).toString(),
                        "the daemon runs in /");
                assertEquals(expected, written[1], "what the daemon read through a relative -D path");
            } finally {
                Signals.kill(pid, Signal.KILL);
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(from.relativize(f).toString()));
            }
        }
    }

    @Test
    void relativeClassPathArgFileAndJdkJavaOptions(@TempDir Path root) throws Exception {
        try (App app = App.in(root)) {
            Path pid = root.resolve("pid");
            String cp = app.classes() + ":" + app.testClasses();
            app.launch(pid, Map.of(), "hello", "--enable-native-access=ALL-UNNAMED", "-Dposix4j.greeting=greeting.txt",
                    "-cp", cp, DaemonProgram.class.getName());
            app.launch(pid, Map.of("JDK_JAVA_OPTIONS", "-Dposix4j.greeting=greeting.txt"), "hello",
                    "--enable-native-access=ALL-UNNAMED", "--class-path=" + cp, DaemonProgram.class.getName());
            app.launch(pid, Map.of("CLASSPATH", cp), "hello", "--enable-native-access=ALL-UNNAMED",
                    "-Dposix4j.greeting=greeting.txt", DaemonProgram.class.getName());
            Files.writeString(app.dir().resolve("options"), "# options of the daemon\n-cp '" + cp + "'\n"
                    + "\"-Dposix4j.greeting=greeting.txt\"\n");
            app.launch(pid, Map.of(), "hello", "--enable-native-access=ALL-UNNAMED", "@options",
                    DaemonProgram.class.getName());
        }
    }

    @Test
    void relativeJarAndAgent(@TempDir Path root) throws Exception {
        try (App app = App.in(root)) {
            Path lib = app.dir().resolve("lib");
            Manifest manifest = new Manifest();
            Attributes main = manifest.getMainAttributes();
            main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            main.put(Attributes.Name.MAIN_CLASS, DaemonProgram.class.getName());
            // Relative to the jar, as the manifest's Class-Path always is.
            main.put(Attributes.Name.CLASS_PATH, "classes/ tests/");
            main.putValue("Enable-Native-Access", "ALL-UNNAMED");
            try (OutputStream file = Files.newOutputStream(lib.resolve("d.jar"));
                    JarOutputStream jar = new JarOutputStream(file, manifest)) {
                jar.putNextEntry(new JarEntry("README"));
                jar.write("the program's classes are on the manifest's class path\n".getBytes(StandardCharsets.UTF_8));
            }
            app.launch(root.resolve("pid"), Map.of(), "hello", "-Dposix4j.greeting=greeting.txt", "-jar", "lib/d.jar");

            Manifest agentManifest = new Manifest();
            agentManifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            agentManifest.getMainAttributes().putValue("Premain-Class", DaemonProgram.class.getName());
            try (OutputStream file = Files.newOutputStream(lib.resolve("agent.jar"));
                    JarOutputStream jar = new JarOutputStream(file, agentManifest)) {
                jar.putNextEntry(new JarEntry("README"));
            }
            app.launch(root.resolve("pid"), Map.of(), "hello+agent", "-javaagent:lib/agent.jar",
                    "-Dposix4j.greeting=greeting.txt", "-jar", "lib/d.jar");
        }
    }

    @Test
    void relativeModulePath(@TempDir Path root) throws Exception {
        try (App app = App.in(root)) {
            app.launch(root.resolve("pid"), Map.of(), "hello", "--enable-native-access=org.posix4j",
                    "-p", app.classes(), "--add-modules", "org.posix4j", "-Dposix4j.greeting=greeting.txt",
                    "-cp", app.testClasses(), DaemonProgram.class.getName());
        }
    }

    @Test
    void sourceFileLaunch(@TempDir Path root) throws Exception {
        try (App app = App.in(root)) {
            Files.writeString(app.dir().resolve("Server.java"), """
                    import java.nio.file.Files;
                    import java.nio.file.Path;
                    import org.posix4j.daemon.Daemon;

                    public class Server {
                        public static void main(String[] args) throws Exception {
                            int pid = Daemon.daemonize();
                            Files.writeString(Path.of(args[0]), pid + "\\nfrom source");
                            Daemon.ready();
                            Thread.sleep(60_000);
                        }
                    }
                    """);
            app.launch(root.resolve("pid"), Map.of(), "from source", "--enable-native-access=ALL-UNNAMED",
                    "-cp", app.classes(), "Server.java");
        }
    }
}
