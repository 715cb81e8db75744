package org.posix4j.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/// Preconditions of tests that need root or a kernel feature: the test is skipped with the
/// reason on a developer's machine, and fails instead under `CI=true`, where everything must run.
public final class Requires {
    private Requires() {}

    /// Whether this JVM runs as root (effective uid 0, read from /proc).
    public static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow()
                    .split("\\s+")[2].equals("0");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /// Skips (or, under CI, fails) unless running as root.
    public static void root() {
        that(isRoot(), "needs root (CI runs as root)");
    }

    /// Skips (or, under CI, fails) with `reason` unless `condition` holds.
    public static void that(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true, so this test must run, but: " + reason);
        }
        Assumptions.abort(reason);
    }
}
