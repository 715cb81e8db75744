package org.posix4j.event;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import org.posix4j.PosixException;
import org.posix4j.internal.Libc;
import org.posix4j.internal.TimerfdH;
import org.posix4j.io.Fd;

/// A timerfd_create(2) timer: a descriptor that becomes readable when the timer expires, so a
/// poll loop or an [EpollSelector] can time itself without a thread per timer.
///
/// [#arm(Duration)] sets a one-shot timer, [#arm(Duration, Duration)] a periodic one,
/// [#disarm()] stops it; [#read()] answers how many times it expired since the last read. The
/// descriptor is owned and close-on-exec.
///
/// Thread safety: every method may be called from any thread at any time; the kernel serialises
/// the timer. No method allocates except [#remaining()], which answers a `Duration`.
public final class TimerFd extends OwnedDescriptor {
    /// The clock a timer measures time on.
    public enum Clock {
        /// CLOCK_REALTIME: wall-clock time, which jumps when the system time is set.
        REALTIME(TimerfdH.CLOCK_REALTIME),
        /// CLOCK_MONOTONIC: steady time since boot, not counting suspend.
        MONOTONIC(TimerfdH.CLOCK_MONOTONIC),
        /// CLOCK_BOOTTIME: like MONOTONIC, counting time spent suspended.
        BOOTTIME(TimerfdH.CLOCK_BOOTTIME);

        final int id;

        Clock(int id) {
            this.id = id;
        }
    }

    /// TFD_NONBLOCK: [#read()] of a timer that has not expired fails with EAGAIN instead of
    /// blocking.
    public static final int NON_BLOCKING = TimerfdH.TFD_NONBLOCK;

    private TimerFd(Fd fd) {
        super(fd);
    }

    /// A disarmed, blocking timer on `clock`.
    ///
    /// @throws PosixException as [#open(Clock, int)]
    public static TimerFd open(Clock clock) throws PosixException {
        return open(clock, 0);
    }

    /// A disarmed timer on `clock`, with `flags` 0 or [#NON_BLOCKING]: timerfd_create(2), always
    /// with TFD_CLOEXEC.
    ///
    /// @throws NullPointerException if `clock` is null
    /// @throws IllegalArgumentException if `flags` has other bits
    /// @throws PosixException EMFILE or ENFILE when descriptors run out
    public static TimerFd open(Clock clock, int flags) throws PosixException {
        Objects.requireNonNull(clock, "clock");
        if ((flags & ~NON_BLOCKING) != 0) {
            throw new IllegalArgumentException("flags must be 0 or NON_BLOCKING: 0x" + Integer.toHexString(flags));
        }
        MemorySegment errno = Libc.errnoSlot();
        int r;
        try {
            r = TimerfdH.TIMERFD_CREATE.call(errno, clock.id, flags | TimerfdH.TFD_CLOEXEC);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        return new TimerFd(Fd.adopt(Libc.check(r, errno, "timerfd_create", clock.name())));
    }

    /// Arms a one-shot timer that expires once, `delay` from now: timerfd_settime(2). Replaces
    /// any earlier setting and clears the expirations not yet read.
    ///
    /// @throws IllegalArgumentException if `delay` is not positive (a zero delay would disarm)
    /// @throws IllegalStateException if this was closed
    /// @throws PosixException with timerfd_settime(2)'s errno (none is expected)
    public void arm(Duration delay) throws PosixException {
        settime(positive("delay", delay), Duration.ZERO);
    }

    /// Arms a periodic timer that first expires `delay` from now, then every `period`:
    /// timerfd_settime(2). Replaces any earlier setting.
    ///
    /// @throws IllegalArgumentException if `delay` or `period` is not positive
    /// @throws IllegalStateException if this was closed
    /// @throws PosixException with timerfd_settime(2)'s errno (none is expected)
    public void arm(Duration delay, Duration period) throws PosixException {
        settime(positive("delay", delay), positive("period", period));
    }

    /// Stops the timer: timerfd_settime(2) with a zero value. Expirations not yet read are kept.
    ///
    /// @throws IllegalStateException if this was closed
    /// @throws PosixException with timerfd_settime(2)'s errno (none is expected)
    public void disarm() throws PosixException {
        settime(Duration.ZERO, Duration.ZERO);
    }

    private static Duration positive(String argument, Duration d) {
        Objects.requireNonNull(d, argument);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(argument + " must be positive: " + d);
        }
        return d;
    }

    private void settime(Duration value, Duration interval) throws PosixException {
        int number = fd.intValue();
        MemorySegment errno = Libc.errnoSlot();
        MemorySegment spec = Scratch.get();
        TimerfdH.VALUE_SEC.set(spec, 0L, value.getSeconds());
        TimerfdH.VALUE_NSEC.set(spec, 0L, (long) value.getNano());
        TimerfdH.INTERVAL_SEC.set(spec, 0L, interval.getSeconds());
        TimerfdH.INTERVAL_NSEC.set(spec, 0L, (long) interval.getNano());
        int r;
        try {
            r = TimerfdH.TIMERFD_SETTIME.call(errno, number, 0, spec.address(), 0L);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        Libc.check(r, errno, "timerfd_settime", "fd " + number);
    }

    /// The time until the next expiration, zero when disarmed: timerfd_gettime(2).
    ///
    /// @throws IllegalStateException if this was closed
    /// @throws PosixException with timerfd_gettime(2)'s errno (none is expected)
    public Duration remaining() throws PosixException {
        int number = fd.intValue();
        MemorySegment errno = Libc.errnoSlot();
        MemorySegment spec = Scratch.get();
        int r;
        try {
            r = TimerfdH.TIMERFD_GETTIME.call(errno, number, spec.address());
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        Libc.check(r, errno, "timerfd_gettime", "fd " + number);
        return Duration.ofSeconds((long) TimerfdH.VALUE_SEC.get(spec, 0L), (long) TimerfdH.VALUE_NSEC.get(spec, 0L));
    }

    /// The number of expirations since the last read (or since arming), resetting it to zero:
    /// an 8-byte read(2). Blocks until the timer expires, unless [#NON_BLOCKING]. Retried on
    /// EINTR, where nothing was taken.
    ///
    /// @return the number of expirations, at least 1
    /// @throws PosixException EAGAIN when a non-blocking timer has not expired
    /// @throws IllegalStateException if this was closed
    public long read() throws PosixException {
        MemorySegment count = Scratch.get().asSlice(0, JAVA_LONG.byteSize());
        fd.read(count);
        return count.get(JAVA_LONG, 0);
    }
}
