package org.posix4j.cli.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.posix4j.testing.TimeFactor;

/// Compiles the C programs the tests run (attackers and peers kept as class path resources)
/// with the machine's gcc, each resource and flag set once per test JVM.
///
/// Thread safety: safe for concurrent use; a program is compiled once even when asked for by
/// several threads at the same time.
public final class Gcc {
    private static final long TIMEOUT_SECONDS = TimeFactor.scale(120);

    /// Compiled programs by resource and flags, kept in one directory for the whole test run.
    private static final Map<List<String>, Path> COMPILED = new ConcurrentHashMap<>();
    private static Path cacheDir;

    private Gcc() {}

    /// Compiles the class path resource `resource` (such as "sandbox/attack/probe.c") with
    /// `gcc -O2 -Wall -Werror -pthread` and `gccFlags` (such as "-static"), and answers the
    /// executable, copied into `outDir` under the resource's base name followed by the flags
    /// ("probe-static"). Skips (fails under CI) when gcc is missing; fails the test with gcc's
    /// messages when the program does not compile cleanly.
    public static Path compile(String resource, Path outDir, String... gccFlags) throws IOException {
        Requires.programs("gcc");
        List<String> key = new ArrayList<>();
        key.add(resource);
        key.addAll(List.of(gccFlags));
        Path compiled;
        try {
            compiled = COMPILED.computeIfAbsent(key, k -> build(resource, List.of(gccFlags)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Path copy = outDir.resolve(compiled.getFileName());
        Files.copy(compiled, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        return copy;
    }

    private static Path build(String resource, List<String> flags) {
        try {
            Path dir = cacheDir();
            String file = resource.substring(resource.lastIndexOf('/') + 1);
            StringBuilder name = new StringBuilder(file.endsWith(".c") ? file.substring(0, file.length() - 2) : file);
            for (String flag : flags) {
                name.append('-').append(flag.replaceAll("[^A-Za-z0-9_.=]", ""));
            }
            Path source = dir.resolve(name + ".c");
            try (InputStream in = Gcc.class.getResourceAsStream("/" + resource)) {
                if (in == null) {
                    fail("no class path resource " + resource);
                }
                Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
            }
            Path binary = dir.resolve(name.toString());
            List<String> command = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Werror", "-pthread"));
            command.addAll(flags);
            command.addAll(List.of("-o", binary.toString(), source.toString()));
            Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
            gcc.getOutputStream().close();
            String messages = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                gcc.destroyForcibly();
                fail(String.join(" ", command) + " did not end within " + TIMEOUT_SECONDS + " s");
            }
            if (gcc.exitValue() != 0) {
                fail(String.join(" ", command) + " failed (exit " + gcc.exitValue() + "):\n" + messages);
            }
            source.toFile().deleteOnExit();
            binary.toFile().deleteOnExit();
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while gcc compiled " + resource, e);
        }
    }

    private static synchronized Path cacheDir() throws IOException {
        if (cacheDir == null) {
            cacheDir = Files.createTempDirectory("posix4j-test-gcc");
            // Registered first, deleted last: File.deleteOnExit works in reverse order.
            cacheDir.toFile().deleteOnExit();
        }
        return cacheDir;
    }
}
