package org.posix4j.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.posix4j.PosixException;

/// Runs a spawned child to its end with its stdout on a pipe: what the child printed is the
/// independent account of what it got (its directory, environment, descriptors, signal masks).
final class Outputs {
    private Outputs() {}

    /// What `spawn` printed; fails unless it exited 0.
    static String of(Spawn spawn) throws PosixException, IOException, InterruptedException {
        try (Child c = spawn.stdout(Redirect.PIPE).start()) {
            String out = new String(c.stdoutPipe().orElseThrow().inputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(new ExitStatus.Exited(0), c.waitFor(), () -> spawn + " printed " + out);
            return out;
        }
    }

    /// The lines `spawn` printed.
    static List<String> lines(Spawn spawn) throws PosixException, IOException, InterruptedException {
        return Arrays.asList(of(spawn).split("\n"));
    }

    /// The value of `key:` in the /proc/self/status of a child started as `spawn` prepared by
    /// `grep`, as a hexadecimal mask.
    static long statusMask(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + ":")).findFirst()
                .map(l -> Long.parseUnsignedLong(l.substring(key.length() + 1).strip(), 16))
                .orElseThrow(() -> new AssertionError("no " + key + " in " + lines));
    }

    /// The value of /proc/sys/`name`, read in one call: the JDK's `Files.readString` reads a
    /// file of size 0 a byte at a time first, and a sysctl file ends after the first read.
    static String sysctl(String name) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys", name))) {
            return new String(in.readNBytes(4096), StandardCharsets.US_ASCII).strip();
        }
    }

    /// The bit of signal `number` in a /proc signal mask.
    static long bit(int number) {
        return 1L << (number - 1);
    }
}
