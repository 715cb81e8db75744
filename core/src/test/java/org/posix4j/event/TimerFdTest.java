package org.posix4j.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.OpenFds;
import org.posix4j.testing.NoFdLeaks;
import org.posix4j.testing.TimeFactor;

@ExtendWith(NoFdLeaks.class)
class TimerFdTest {
    private static final int O_CLOEXEC = 02000000;
    private static final int O_NONBLOCK = 04000;


    /// `it_value` or `it_interval` from /proc/self/fdinfo as nanoseconds ("(sec, nsec)" there).
    private static long fdinfoNanos(TimerFd t, String key) {
        String[] parts = OpenFds.fdinfo(t.intValue(), key).replaceAll("[()\\s]", "").split(",");
        return Long.parseLong(parts[0]) * 1_000_000_000L + Long.parseLong(parts[1]);
    }

    @Test
    void openCreatesADisarmedCloseOnExecTimerOnTheClock() throws Exception {
        for (TimerFd.Clock clock : TimerFd.Clock.values()) {
            try (TimerFd t = TimerFd.open(clock)) {
                int n = t.intValue();
                assertEquals("anon_inode:[timerfd]", OpenFds.target(n));
                assertEquals(O_CLOEXEC, OpenFds.flags(n) & O_CLOEXEC);
                assertEquals(0, OpenFds.flags(n) & O_NONBLOCK);
                // CLOCK_REALTIME 0, CLOCK_MONOTONIC 1, CLOCK_BOOTTIME 7 (<linux/time.h>).
                assertEquals(Integer.toString(switch (clock) {
                    case REALTIME -> 0;
                    case MONOTONIC -> 1;
                    case BOOTTIME -> 7;
                }), OpenFds.fdinfo(n, "clockid"));
                assertEquals(0, fdinfoNanos(t, "it_value"));
                assertEquals(Duration.ZERO, t.remaining());
            }
        }
        TimerFd t = TimerFd.open(TimerFd.Clock.MONOTONIC, TimerFd.NON_BLOCKING);
        int n = t.intValue();
        assertEquals(O_NONBLOCK, OpenFds.flags(n) & O_NONBLOCK);
        assertFalse(t.fd().isOwned());
        t.close();
        t.close();
        assertFalse(OpenFds.isOpen(n));
        assertThrows(IllegalStateException.class, t::read);
        assertThrows(IllegalStateException.class, () -> t.arm(Duration.ofSeconds(1)));
    }

    @Test
    void oneShotExpiresOnceAfterTheDelay() throws Exception {
        try (TimerFd t = TimerFd.open(TimerFd.Clock.MONOTONIC)) {
            long t0 = System.nanoTime();
            t.arm(Duration.ofMillis(200));
            long value = fdinfoNanos(t, "it_value");
            assertTrue(value > 0 && value <= 200_000_000L, "it_value " + value);
            assertEquals(0, fdinfoNanos(t, "it_interval"));
            Duration remaining = t.remaining();
            assertTrue(!remaining.isNegative() && remaining.compareTo(Duration.ofMillis(200)) <= 0, remaining.toString());

            assertEquals(1, t.read(), "a blocking read waits for the expiration");
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(200));
            assertEquals(0, fdinfoNanos(t, "it_value"), "a one-shot timer is disarmed after it fired");
            assertEquals(Duration.ZERO, t.remaining());
        }
    }

    @Test
    void periodicTimerCountsEveryExpiration() throws Exception {
        try (TimerFd t = TimerFd.open(TimerFd.Clock.BOOTTIME)) {
            long t0 = System.nanoTime();
            t.arm(Duration.ofMillis(10), Duration.ofMillis(10));
            assertEquals(10_000_000L, fdinfoNanos(t, "it_interval"));
            Thread.sleep(120);
            long expirations = t.read();
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(expirations >= 10 && expirations <= elapsedMs / 10 + 1,
                    expirations + " expirations in " + elapsedMs + " ms");
            assertTrue(PollArray.pollSingle(t.intValue(), true, false, false, TimeFactor.seconds(5)),
                    "a periodic timer expires again");
            assertTrue(t.read() >= 1);
        }
    }

    @Test
    void disarmStopsTheTimerAndNonBlockingReadIsEagain() throws Exception {
        try (TimerFd t = TimerFd.open(TimerFd.Clock.REALTIME, TimerFd.NON_BLOCKING)) {
            PosixException x = assertThrows(PosixException.class, t::read);
            assertTrue(x.is(Errno.EAGAIN), x.getMessage());
            t.arm(Duration.ofSeconds(100), Duration.ofSeconds(1));
            assertTrue(fdinfoNanos(t, "it_value") > 99_000_000_000L);
            t.disarm();
            assertEquals(0, fdinfoNanos(t, "it_value"));
            assertEquals(0, fdinfoNanos(t, "it_interval"));
            assertFalse(PollArray.pollSingle(t.intValue(), true, false, false, Duration.ofMillis(30)));
            x = assertThrows(PosixException.class, t::read);
            assertTrue(x.is(Errno.EAGAIN), x.getMessage());
        }
    }

    @Test
    void invalidArgumentsAreRejectedInJava() throws Exception {
        assertThrows(NullPointerException.class, () -> TimerFd.open(null));
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> TimerFd.open(TimerFd.Clock.MONOTONIC, 1));
        assertTrue(x.getMessage().startsWith("flags"), x.getMessage());
        try (TimerFd t = TimerFd.open(TimerFd.Clock.MONOTONIC)) {
            x = assertThrows(IllegalArgumentException.class, () -> t.arm(Duration.ZERO));
            assertTrue(x.getMessage().startsWith("delay"), x.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.arm(Duration.ofMillis(-1)));
            x = assertThrows(IllegalArgumentException.class, () -> t.arm(Duration.ofMillis(1), Duration.ZERO));
            assertTrue(x.getMessage().startsWith("period"), x.getMessage());
            assertThrows(NullPointerException.class, () -> t.arm(null));
            assertEquals(0, fdinfoNanos(t, "it_value"), "nothing reached the kernel");
        }
    }
}
