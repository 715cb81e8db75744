package org.posix4j.event;

import java.time.Duration;
import java.util.Objects;

/// Timeout arithmetic shared by poll and epoll: durations to nanoseconds, nanoseconds to the
/// milliseconds poll(2) and epoll_wait(2) take. Allocates nothing.
final class Timeouts {
    private Timeouts() {}

    /// Waiting with no time limit, as poll(2) and epoll_wait(2) spell it.
    static final long FOREVER = -1;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /// `timeout` in nanoseconds: [#FOREVER] when negative, saturated at `Long.MAX_VALUE` (292
    /// years) when longer.
    static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            return FOREVER;
        }
        if (timeout.getSeconds() >= Long.MAX_VALUE / NANOS_PER_SECOND) {
            return Long.MAX_VALUE;
        }
        return timeout.toNanos();
    }

    /// `seconds` (the seed's float timeout) in nanoseconds, rounded up: [#FOREVER] when negative,
    /// saturated at `Long.MAX_VALUE` when longer (infinity included).
    ///
    /// @throws IllegalArgumentException if `seconds` is NaN
    static long nanos(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("timeout must be a number of seconds: NaN");
        }
        if (seconds < 0) {
            return FOREVER;
        }
        double nanos = Math.ceil(seconds * NANOS_PER_SECOND);
        return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
    }

    /// The milliseconds to pass to poll(2) or epoll_wait(2) for `nanos` left: -1 for [#FOREVER],
    /// rounded up so that a short wait is not turned into a busy loop of zero timeouts, and at
    /// most `Integer.MAX_VALUE` (24.8 days; the caller waits again for the rest).
    static int millis(long nanos) {
        if (nanos < 0) {
            return -1;
        }
        long ms = nanos / NANOS_PER_MILLI + (nanos % NANOS_PER_MILLI == 0 ? 0 : 1);
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    /// `System.nanoTime()` plus `nanos`, saturated so that a 292-year timeout does not wrap.
    static long deadline(long nanos) {
        long now = System.nanoTime();
        long deadline = now + nanos;
        return deadline < now ? Long.MAX_VALUE : deadline;
    }

    /// The nanoseconds left until `deadline`, never negative.
    static long remaining(long deadline) {
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadline - System.nanoTime());
    }
}
