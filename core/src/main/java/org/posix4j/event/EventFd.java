package org.posix4j.event;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import org.posix4j.PosixException;
import org.posix4j.internal.EventfdH;
import org.posix4j.internal.Libc;
import org.posix4j.io.Fd;

/// An eventfd(2) counter: a descriptor that is readable while its 64-bit counter is not zero, so
/// a thread (or a process that inherited it) can wake a poll loop or an [EpollSelector].
///
/// [#signal(long)] adds to the counter; [#read()] takes the counter and resets it to zero, or in
/// [#SEMAPHORE] mode takes 1 from it. The descriptor is owned and close-on-exec.
///
/// Thread safety: every method may be called from any thread at any time; the kernel serialises
/// the counter. Neither signal nor read allocates.
public final class EventFd extends OwnedDescriptor {
    /// EFD_SEMAPHORE: [#read()] answers 1 and decrements the counter, instead of answering the
    /// whole counter and resetting it.
    public static final int SEMAPHORE = EventfdH.EFD_SEMAPHORE;
    /// EFD_NONBLOCK: [#read()] on a zero counter, and [#signal(long)] that would overflow it, fail
    /// with EAGAIN instead of blocking.
    public static final int NON_BLOCKING = EventfdH.EFD_NONBLOCK;

    private static final long MAX_INITIAL = 0xFFFF_FFFFL;

    private EventFd(Fd fd) {
        super(fd);
    }

    /// A blocking counter starting at zero.
    ///
    /// @throws PosixException as [#open(long, int)]
    public static EventFd open() throws PosixException {
        return open(0, 0);
    }

    /// A counter starting at `initialValue`, with `flags` a combination of [#SEMAPHORE] and
    /// [#NON_BLOCKING]: eventfd(2), always with EFD_CLOEXEC.
    ///
    /// @throws IllegalArgumentException if `initialValue` is not in `0..2^32-1` (eventfd takes an
    ///     unsigned int) or `flags` has other bits
    /// @throws PosixException EMFILE or ENFILE when descriptors run out
    public static EventFd open(long initialValue, int flags) throws PosixException {
        if (initialValue < 0 || initialValue > MAX_INITIAL) {
            throw new IllegalArgumentException("initialValue must be in 0..4294967295: " + initialValue);
        }
        if ((flags & ~(SEMAPHORE | NON_BLOCKING)) != 0) {
            throw new IllegalArgumentException("flags must combine SEMAPHORE and NON_BLOCKING: 0x"
                    + Integer.toHexString(flags));
        }
        MemorySegment errno = Libc.errnoSlot();
        int r;
        try {
            r = EventfdH.EVENTFD.call(errno, (int) initialValue, flags | EventfdH.EFD_CLOEXEC);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        return new EventFd(Fd.adopt(Libc.check(r, errno, "eventfd", Long.toString(initialValue))));
    }

    /// Adds 1 to the counter, waking the readers and pollers. Equivalent to `signal(1)`.
    ///
    /// @throws PosixException as [#signal(long)]
    public void signal() throws PosixException {
        signal(1);
    }

    /// Adds `n` to the counter: eventfd_write(3), an 8-byte write(2). The counter holds at most
    /// 2^64-2; an addition that would pass it blocks until a read, or fails with EAGAIN in
    /// [#NON_BLOCKING] mode. Retried on EINTR: the addition happens whole or not at all.
    ///
    /// @throws IllegalArgumentException if `n` is negative
    /// @throws PosixException EAGAIN when a non-blocking counter would overflow
    /// @throws IllegalStateException if this was closed
    public void signal(long n) throws PosixException {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        int number = fd.intValue();
        MemorySegment errno = Libc.errnoSlot();
        try {
            int r;
            do {
                r = EventfdH.EVENTFD_WRITE.call(errno, number, n);
            } while (r < 0 && Libc.interrupted(errno));
            if (r < 0) {
                throw new PosixException("eventfd_write", Libc.errno(errno), "fd " + number);
            }
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Takes the counter and resets it to zero, or in [#SEMAPHORE] mode answers 1 and decrements
    /// it: eventfd_read(3), an 8-byte read(2). Blocks while the counter is zero, unless
    /// [#NON_BLOCKING]. Retried on EINTR, where nothing was taken.
    ///
    /// @return the counter, an unsigned 64-bit value (`Long.toUnsignedString` shows values past
    ///     `Long.MAX_VALUE`); never 0
    /// @throws PosixException EAGAIN when a non-blocking counter is zero
    /// @throws IllegalStateException if this was closed
    public long read() throws PosixException {
        int number = fd.intValue();
        MemorySegment errno = Libc.errnoSlot();
        MemorySegment value = Scratch.get();
        try {
            int r;
            do {
                r = EventfdH.EVENTFD_READ.call(errno, number, value.address());
            } while (r < 0 && Libc.interrupted(errno));
            if (r < 0) {
                throw new PosixException("eventfd_read", Libc.errno(errno), "fd " + number);
            }
            return value.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }
}
