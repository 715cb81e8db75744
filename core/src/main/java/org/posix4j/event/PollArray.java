package org.posix4j.event;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.posix4j.PosixException;
import org.posix4j.internal.Libc;
import org.posix4j.internal.PollH;
import org.posix4j.process.Limit;
import org.posix4j.process.ResourceLimits;
import org.posix4j.process.Resource;

/// A native array of `struct pollfd` for poll(2): Netsys_posix's `poll_array`.
///
/// Cells are stored and read with [#set(int, PollCell)] and [#get(int)]; [#poll(int, Duration)]
/// waits for the first `n` cells and leaves the reported events in them. The array lives in
/// native memory owned by this object until [#close()], so poll(2) reads it in place: a poll
/// allocates nothing, and [#fd(int)], [#requestedBits(int)] and [#returnedBits(int)] read a cell
/// without allocating either.
///
/// Timeouts: a [Duration], or seconds as a `double` as the seed's `float`; a negative timeout
/// waits forever, zero does not wait. poll(2) counts in milliseconds, so a timeout is rounded up
/// to the next millisecond.
///
/// Thread safety: not thread-safe. One thread at a time may use an array (it may be handed from
/// one thread to another); closing it while another thread polls it fails with
/// `IllegalStateException`. The static methods may be called from any thread.
public final class PollArray implements AutoCloseable {
    private final Arena arena;
    private final MemorySegment cells;
    private final int length;

    private PollArray(Arena arena, MemorySegment cells, int length) {
        this.arena = arena;
        this.cells = cells;
        this.length = length;
    }

    /// Creates an array of `size` cells, each for descriptor 0 (standard input) with no events
    /// requested or reported. Equivalent to `Netsys_posix.create_poll_array`.
    ///
    /// poll(2) refuses (EINVAL) more entries than the soft RLIMIT_NOFILE, so an array is never
    /// larger than that limit as it stands when the array is created: raise the limit first for a
    /// larger one (the kernel caps it at fs.nr_open, 1048576 by default). Lowering the limit
    /// later makes [#poll(int, Duration)] of too many cells fail with EINVAL.
    ///
    /// @throws IllegalArgumentException if `size` is negative or above the soft RLIMIT_NOFILE
    public static PollArray create(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        Limit nofile = ResourceLimits.get(Resource.NOFILE).soft();
        if (!nofile.isUnlimited() && size > nofile.value()) {
            throw new IllegalArgumentException("size " + size + " is above the soft RLIMIT_NOFILE (" + nofile.value()
                    + "), the most descriptors poll(2) accepts: raise the limit first");
        }
        Arena arena = Arena.ofShared();
        MemorySegment cells = arena.allocate(PollH.POLLFD, size);
        // fd 0, no events: the seed's initial cell is all zero bits.
        cells.fill((byte) 0);
        return new PollArray(arena, cells, size);
    }

    /// Whether poll(2) exists natively. Always true on Linux; there is no emulation.
    /// Equivalent to `Netsys_posix.have_poll`.
    public static boolean havePoll() {
        return Libc.has("poll");
    }

    /// The number of cells. Equivalent to `Netsys_posix.poll_array_length`.
    public int length() {
        return length;
    }

    /// Stores `cell` (descriptor, requested and returned events) at index `k`.
    /// Equivalent to `Netsys_posix.set_poll_cell`.
    ///
    /// @throws IllegalArgumentException if `k` is not in `0..length()-1`
    /// @throws IllegalStateException if the array is closed
    public void set(int k, PollCell cell) {
        checkIndex(k);
        PollH.FD.set(cells, 0L, (long) k, cell.fd());
        PollH.EVENTS.set(cells, 0L, (long) k, (short) cell.requested().bits());
        PollH.REVENTS.set(cells, 0L, (long) k, (short) cell.returned().bits());
    }

    /// The cell at index `k`, as a new immutable [PollCell]. Equivalent to
    /// `Netsys_posix.get_poll_cell`.
    ///
    /// @throws IllegalArgumentException if `k` is not in `0..length()-1`
    /// @throws IllegalStateException if the array is closed
    public PollCell get(int k) {
        return new PollCell(fd(k), new RequestedEvents(requestedBits(k)), new ReturnedEvents(returnedBits(k)));
    }

    /// The descriptor of cell `k`, without allocating.
    ///
    /// @throws IllegalArgumentException if `k` is not in `0..length()-1`
    /// @throws IllegalStateException if the array is closed
    public int fd(int k) {
        checkIndex(k);
        return (int) PollH.FD.get(cells, 0L, (long) k);
    }

    /// The requested events of cell `k` as [PollEvents] bits, without allocating.
    ///
    /// @throws IllegalArgumentException if `k` is not in `0..length()-1`
    /// @throws IllegalStateException if the array is closed
    public int requestedBits(int k) {
        checkIndex(k);
        return Short.toUnsignedInt((short) PollH.EVENTS.get(cells, 0L, (long) k));
    }

    /// The events poll(2) reported for cell `k` as [PollEvents] bits, without allocating.
    ///
    /// @throws IllegalArgumentException if `k` is not in `0..length()-1`
    /// @throws IllegalStateException if the array is closed
    public int returnedBits(int k) {
        checkIndex(k);
        return Short.toUnsignedInt((short) PollH.REVENTS.get(cells, 0L, (long) k));
    }

    /// Copies `len` cells from `src` at `srcPos` to `dst` at `dstPos`, like `System.arraycopy`:
    /// overlapping ranges of one array are copied as if through a temporary copy.
    /// Equivalent to `Netsys_posix.blit_poll_array`.
    ///
    /// @throws IllegalArgumentException if `len`, `srcPos` or `dstPos` is negative or a range
    ///     goes past the end of its array
    /// @throws IllegalStateException if either array is closed
    public static void blit(PollArray src, int srcPos, PollArray dst, int dstPos, int len) {
        if (len < 0) {
            throw new IllegalArgumentException("len must not be negative: " + len);
        }
        checkRange("srcPos", srcPos, len, src.length);
        checkRange("dstPos", dstPos, len, dst.length);
        long cell = PollH.POLLFD.byteSize();
        MemorySegment.copy(src.cells, srcPos * cell, dst.cells, dstPos * cell, len * cell);
    }

    /// Polls cells `0..n-1` for their requested events, waiting at most `timeout` (negative:
    /// forever), and sets the returned events of every one of them: poll(2). Allocates nothing.
    /// Equivalent to `Netsys_posix.poll`.
    ///
    /// @return the number of cells with events, 0 when the timeout expired
    /// @throws IllegalArgumentException if `n` is not in `0..length()`
    /// @throws PosixException EINTR when a signal handler ran during the wait (see
    ///     [#restartingPoll(int, Duration)]), EINVAL when `n` exceeds RLIMIT_NOFILE
    /// @throws IllegalStateException if the array is closed
    public int poll(int n, Duration timeout) throws PosixException {
        checkCount(n);
        return poll(cells, n, Timeouts.nanos(timeout), false);
    }

    /// [#poll(int, Duration)] with the timeout in seconds, as the seed takes it (negative:
    /// forever). Equivalent to `Netsys_posix.poll`.
    ///
    /// @throws IllegalArgumentException if `n` is not in `0..length()` or `seconds` is NaN
    /// @throws PosixException as [#poll(int, Duration)]
    public int poll(int n, double seconds) throws PosixException {
        checkCount(n);
        return poll(cells, n, Timeouts.nanos(seconds), false);
    }

    /// [#poll(int, Duration)], calling poll(2) again when a signal handler interrupts it (EINTR)
    /// with what remains of the timeout, so the whole call still ends after `timeout`.
    /// Equivalent to `Netsys_posix.restarting_poll`.
    ///
    /// @throws IllegalArgumentException if `n` is not in `0..length()`
    /// @throws PosixException EINVAL when `n` exceeds RLIMIT_NOFILE
    /// @throws IllegalStateException if the array is closed
    public int restartingPoll(int n, Duration timeout) throws PosixException {
        checkCount(n);
        return poll(cells, n, Timeouts.nanos(timeout), true);
    }

    /// [#restartingPoll(int, Duration)] with the timeout in seconds (negative: forever).
    /// Equivalent to `Netsys_posix.restarting_poll`.
    ///
    /// @throws IllegalArgumentException if `n` is not in `0..length()` or `seconds` is NaN
    /// @throws PosixException as [#restartingPoll(int, Duration)]
    public int restartingPoll(int n, double seconds) throws PosixException {
        checkCount(n);
        return poll(cells, n, Timeouts.nanos(seconds), true);
    }

    /// Polls the one descriptor `fd` for reading (`read`), writing (`write`) and urgent data
    /// (`priority`), waiting at most `timeout` (negative: forever): poll(2) on one `struct pollfd`
    /// in a per-thread buffer, so nothing is allocated. EINTR is not handled, as in the seed.
    /// Equivalent to `Netsys_posix.poll_single`, which "returns true if one of the requested
    /// events is indicated for the descriptor".
    ///
    /// poll(2) reports a hang-up, an error or an invalid descriptor (POLLHUP, POLLERR, POLLNVAL)
    /// whether asked or not. They indicate a requested event, since the requested read or write
    /// no longer blocks (it ends with end of file or an error), so they count when at least one
    /// event was requested. With none requested nothing can be indicated: the answer is false,
    /// after poll(2) returned or the timeout expired, even for a closed descriptor number.
    ///
    /// @return whether poll(2) indicated one of the requested events
    /// @throws IllegalArgumentException if `fd` is negative: poll(2) would skip the only entry
    ///     and merely sleep (a negative descriptor disables a [PollCell] of an array)
    /// @throws PosixException EINTR when a signal handler ran during the wait
    public static boolean pollSingle(int fd, boolean read, boolean write, boolean priority, Duration timeout)
            throws PosixException {
        return pollSingle(fd, read, write, priority, Timeouts.nanos(timeout));
    }

    /// [#pollSingle(int, boolean, boolean, boolean, Duration)] with the timeout in seconds
    /// (negative: forever). Equivalent to `Netsys_posix.poll_single`.
    ///
    /// @throws IllegalArgumentException if `fd` is negative or `seconds` is NaN
    /// @throws PosixException EINTR when a signal handler ran during the wait
    public static boolean pollSingle(int fd, boolean read, boolean write, boolean priority, double seconds)
            throws PosixException {
        return pollSingle(fd, read, write, priority, Timeouts.nanos(seconds));
    }

    private static boolean pollSingle(int fd, boolean read, boolean write, boolean priority, long nanos)
            throws PosixException {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must not be negative: " + fd);
        }
        MemorySegment one = Scratch.get();
        PollH.FD.set(one, 0L, 0L, fd);
        int events = (read ? PollEvents.READ : 0) | (write ? PollEvents.WRITE : 0) | (priority ? PollEvents.PRIORITY : 0);
        PollH.EVENTS.set(one, 0L, 0L, (short) events);
        PollH.REVENTS.set(one, 0L, 0L, (short) 0);
        return poll(one, 1, nanos, false) > 0 && events != 0;
    }

    /// poll(2) on the first `n` entries of `fds` for `nanos` (negative: forever). Beyond
    /// Integer.MAX_VALUE milliseconds it waits again for the rest; with `restart` it also polls
    /// again after EINTR, for the time left.
    private static int poll(MemorySegment fds, int n, long nanos, boolean restart) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        long deadline = nanos < 0 ? 0 : Timeouts.deadline(nanos);
        long left = nanos;
        try {
            while (true) {
                int ms = Timeouts.millis(left);
                int r = (int) PollH.POLL.invokeExact(errno, fds, (long) n, ms);
                if (r > 0) {
                    return r;
                }
                if (r == 0) {
                    left = Timeouts.remaining(deadline);
                    if (ms < Integer.MAX_VALUE || left == 0) {
                        return 0;
                    }
                } else if (restart && Libc.interrupted(errno)) {
                    left = nanos < 0 ? Timeouts.FOREVER : Timeouts.remaining(deadline);
                } else {
                    throw new PosixException("poll", Libc.errno(errno), n + " descriptors");
                }
            }
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    private void checkIndex(int k) {
        if (k < 0 || k >= length) {
            throw new IllegalArgumentException("k must be in 0.." + (length - 1) + ": " + k);
        }
    }

    private void checkCount(int n) {
        if (n < 0 || n > length) {
            throw new IllegalArgumentException("n must be in 0.." + length + ": " + n);
        }
    }

    private static void checkRange(String argument, int pos, int len, int length) {
        if (pos < 0 || (long) pos + len > length) {
            throw new IllegalArgumentException(argument + " " + pos + " with len " + len
                    + " is outside an array of length " + length);
        }
    }

    /// Frees the native array. Later calls do nothing; using the array afterwards throws
    /// `IllegalStateException`.
    ///
    /// @throws IllegalStateException if another thread is polling the array
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "PollArray[length=" + length + (arena.scope().isAlive() ? "" : ", closed") + "]";
    }
}
