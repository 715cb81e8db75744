package org.posix4j.cli.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/// Preconditions of tests that need a tool or a kernel feature: skipped with the reason on a
/// developer's machine, failed instead under `CI=true`, where everything must run.
public final class Requires {
    private Requires() {}

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

    /// Skips (or, under CI, fails) unless every program in `programs` is on PATH.
    public static void programs(String... programs) {
        for (String p : programs) {
            that(ChildProcess.onPath(p), "needs " + p + " on PATH");
        }
    }
}
