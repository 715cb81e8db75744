package org.posix4j.testing;

import java.time.Duration;

/// How long a test may wait before it declares failure, scaled for the machine: every such limit
/// is multiplied by the positive decimal in `POSIX4J_TEST_TIME_FACTOR` (1 when unset), so that a
/// loaded machine or a slow CI runner sets the variable instead of the tests being tuned to a quiet
/// one. A value the code under test receives as its own argument (a timer's interval, a poll timeout
/// whose expiry is asserted) is not a limit and is never scaled.
public final class TimeFactor {
    /// The environment variable that holds the factor.
    public static final String VARIABLE = "POSIX4J_TEST_TIME_FACTOR";

    private static final String VALUE = System.getenv(VARIABLE);
    private static final double FACTOR = parse(VALUE);

    private TimeFactor() {}

    /// The factor: 1 when the variable is unset.
    ///
    /// @throws IllegalStateException if the variable is not a positive decimal number, so that a
    ///         mistyped value fails the run instead of being read as 1
    public static double factor() {
        if (Double.isNaN(FACTOR)) {
            throw new IllegalStateException(VARIABLE + "=\"" + VALUE
                    + "\" is not a positive decimal number (such as 1, 2.5 or 10); unset, it means 1");
        }
        return FACTOR;
    }

    /// `amount` (in any unit) times the factor, rounded up.
    public static long scale(long amount) {
        return (long) Math.ceil(amount * factor());
    }

    /// `millis` milliseconds times the factor, as an `int` for the APIs that take one
    /// (`Socket.setSoTimeout`, `poll(2)`).
    public static int millis(long millis) {
        return Math.toIntExact(scale(millis));
    }

    /// `limit` times the factor.
    public static Duration scaled(Duration limit) {
        return Duration.ofNanos(scale(limit.toNanos()));
    }

    /// `seconds` seconds times the factor.
    public static Duration seconds(long seconds) {
        return scaled(Duration.ofSeconds(seconds));
    }

    /// The `System.nanoTime()` value `limit` (times the factor) from now, for polling loops.
    public static long deadline(Duration limit) {
        return System.nanoTime() + scaled(limit).toNanos();
    }

    private static double parse(String value) {
        if (value == null || value.isEmpty()) {
            return 1;
        }
        try {
            double f = Double.parseDouble(value);
            return f > 0 && Double.isFinite(f) ? f : Double.NaN;
        } catch (NumberFormatException notANumber) {
            return Double.NaN;
        }
    }
}
