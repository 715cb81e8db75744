package org.posix4j.event;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import org.posix4j.PosixException;
import org.posix4j.internal.EpollH;
import org.posix4j.internal.Libc;
import org.posix4j.io.Fd;

/// Waits for events on many descriptors with epoll(7): an epoll instance, the registrations the
/// kernel keeps in it, and a ready set that [#select(Duration)] fills.
///
/// Each registration carries a `long` token of the caller's choosing (the descriptor number, an
/// index into the caller's table...), which comes back with the descriptor's events, so no lookup
/// is needed. The ready set is a native `struct epoll_event` array of [#capacity()] entries
/// allocated once: a select allocates nothing, and the ready events are read by index with
/// [#readyToken(int)] and [#readyEvents(int)], which allocate nothing either. The cost of a select
/// grows with the number of ready descriptors, not with the number registered.
///
/// ```java
/// try (EpollSelector selector = EpollSelector.open(); EventFd wake = EventFd.open()) {
///     selector.add(wake.intValue(), EpollEvents.READABLE, Trigger.LEVEL, -1);
///     selector.add(socketFd, EpollEvents.READABLE, Trigger.EDGE, socketFd);
///     int n = selector.select(Duration.ofSeconds(1));
///     for (int i = 0; i < n; i++) {
///         long token = selector.readyToken(i);
///         if (selector.isReadable(i)) { ... }
///     }
/// }
/// ```
///
/// To wake a thread blocked in [#select(Duration)], register an [EventFd] and signal it.
///
/// Thread safety: [#add], [#modify] and [#remove] may be called from any thread, also while
/// another thread waits in [#select(Duration)], which then sees the change. [#select(Duration)]
/// and the ready-set accessors must be used by one thread at a time. Do not close the selector
/// while another thread waits in it.
public final class EpollSelector implements AutoCloseable {
    /// The largest capacity the kernel accepts: INT_MAX / sizeof(struct epoll_event).
    public static final int MAX_CAPACITY = (int) (Integer.MAX_VALUE / EpollH.EPOLL_EVENT.byteSize());
    /// The capacity [#open()] gives.
    public static final int DEFAULT_CAPACITY = 256;

    private final Fd epfd;
    private final Arena arena;
    private final MemorySegment ready;
    private final int capacity;
    private int readyCount;

    private EpollSelector(Fd epfd, Arena arena, MemorySegment ready, int capacity) {
        this.epfd = epfd;
        this.arena = arena;
        this.ready = ready;
        this.capacity = capacity;
    }

    /// Opens a selector whose ready set holds [#DEFAULT_CAPACITY] events.
    ///
    /// @throws PosixException as [#open(int)]
    public static EpollSelector open() throws PosixException {
        return open(DEFAULT_CAPACITY);
    }

    /// Opens a selector whose ready set holds at most `capacity` events per select: an owned,
    /// close-on-exec epoll instance from epoll_create1(2) with EPOLL_CLOEXEC. When more
    /// descriptors are ready than `capacity`, the next select reports the others (epoll rotates
    /// through the ready list).
    ///
    /// @throws IllegalArgumentException if `capacity` is not in `1..MAX_CAPACITY`
    /// @throws PosixException EMFILE or ENFILE when descriptors run out, ENOMEM
    public static EpollSelector open(int capacity) throws PosixException {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in 1.." + MAX_CAPACITY + ": " + capacity);
        }
        MemorySegment errno = Libc.errnoSlot();
        int fd;
        try {
            fd = EpollH.EPOLL_CREATE1.call(errno, EpollH.EPOLL_CLOEXEC);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        Libc.check(fd, errno, "epoll_create1", "EPOLL_CLOEXEC");
        Arena arena = Arena.ofShared();
        return new EpollSelector(Fd.adopt(fd), arena, arena.allocate(EpollH.EPOLL_EVENT, capacity), capacity);
    }

    /// Registers `fd` for the events in `interest` ([EpollEvents#READABLE], [EpollEvents#WRITABLE],
    /// [EpollEvents#PRIORITY], [EpollEvents#READ_HANGUP]; errors and hang-ups are always reported),
    /// reported as `trigger` says, with `token` returned by [#readyToken(int)]: epoll_ctl(2)
    /// EPOLL_CTL_ADD. The registration lasts until [#remove(int)] or until every descriptor
    /// referring to the open file is closed.
    ///
    /// @throws IllegalArgumentException if `fd` is negative or `interest` has other bits
    /// @throws NullPointerException if `trigger` is null
    /// @throws PosixException EEXIST if `fd` is already registered, EBADF if it is not open,
    ///     EPERM for a regular file or directory (epoll does not support them), EINVAL for the
    ///     selector itself, ENOSPC past /proc/sys/fs/epoll/max_user_watches
    /// @throws IllegalStateException if the selector is closed
    public void add(int fd, int interest, Trigger trigger, long token) throws PosixException {
        control(EpollH.EPOLL_CTL_ADD, "EPOLL_CTL_ADD", fd, events(interest, trigger), token);
    }

    /// Replaces the interest, trigger and token of the registered `fd`: epoll_ctl(2)
    /// EPOLL_CTL_MOD. This also re-arms a [Trigger#ONESHOT] registration that has fired.
    ///
    /// @throws IllegalArgumentException if `fd` is negative or `interest` has other bits
    /// @throws NullPointerException if `trigger` is null
    /// @throws PosixException ENOENT if `fd` is not registered, EBADF if it is not open
    /// @throws IllegalStateException if the selector is closed
    public void modify(int fd, int interest, Trigger trigger, long token) throws PosixException {
        control(EpollH.EPOLL_CTL_MOD, "EPOLL_CTL_MOD", fd, events(interest, trigger), token);
    }

    /// Removes the registration of `fd`: epoll_ctl(2) EPOLL_CTL_DEL.
    ///
    /// @throws IllegalArgumentException if `fd` is negative
    /// @throws PosixException ENOENT if `fd` is not registered, EBADF if it is not open
    /// @throws IllegalStateException if the selector is closed
    public void remove(int fd) throws PosixException {
        control(EpollH.EPOLL_CTL_DEL, "EPOLL_CTL_DEL", fd, 0, 0);
    }

    private static int events(int interest, Trigger trigger) {
        Objects.requireNonNull(trigger, "trigger");
        if ((interest & ~EpollEvents.INTEREST) != 0) {
            throw new IllegalArgumentException("interest must combine READABLE, WRITABLE, PRIORITY and READ_HANGUP: 0x"
                    + Integer.toHexString(interest));
        }
        return interest | trigger.bits;
    }

    private void control(int op, String opName, int fd, int events, long token) throws PosixException {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must not be negative: " + fd);
        }
        int ep = epfd.intValue();
        MemorySegment errno = Libc.errnoSlot();
        MemorySegment event = Scratch.get();
        EpollH.EVENTS.set(event, 0L, 0L, events);
        EpollH.DATA.set(event, 0L, 0L, token);
        int r;
        try {
            r = (int) EpollH.EPOLL_CTL.invokeExact(errno, ep, op, fd, event);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        if (r < 0) {
            throw new PosixException("epoll_ctl", Libc.errno(errno), opName + ", fd " + fd);
        }
    }

    /// Waits at most `timeout` (negative: forever; zero: just looks) until a registered descriptor
    /// is ready, and fills the ready set: epoll_wait(2). A signal handler interrupting the wait
    /// (EINTR) makes it wait again for the time left. Allocates nothing. epoll_wait counts in
    /// milliseconds, so a timeout is rounded up to the next millisecond.
    ///
    /// @return the number of ready events, [#readyCount()], at most [#capacity()]; 0 when the
    ///     timeout expired
    /// @throws PosixException with epoll_wait(2)'s errno (none is expected on a valid selector)
    /// @throws IllegalStateException if the selector is closed
    public int select(Duration timeout) throws PosixException {
        return select(Timeouts.nanos(timeout));
    }

    /// [#select(Duration)] without waiting.
    ///
    /// @throws PosixException as [#select(Duration)]
    /// @throws IllegalStateException if the selector is closed
    public int selectNow() throws PosixException {
        return select(0);
    }

    private int select(long nanos) throws PosixException {
        int ep = epfd.intValue();
        readyCount = 0;
        MemorySegment errno = Libc.errnoSlot();
        long deadline = nanos < 0 ? 0 : Timeouts.deadline(nanos);
        long left = nanos;
        try {
            while (true) {
                int ms = Timeouts.millis(left);
                int r = (int) EpollH.EPOLL_WAIT.invokeExact(errno, ep, ready, capacity, ms);
                if (r > 0) {
                    readyCount = r;
                    return r;
                }
                if (r == 0) {
                    left = Timeouts.remaining(deadline);
                    if (ms < Integer.MAX_VALUE || left == 0) {
                        return 0;
                    }
                } else if (Libc.interrupted(errno)) {
                    left = nanos < 0 ? Timeouts.FOREVER : Timeouts.remaining(deadline);
                } else {
                    throw new PosixException("epoll_wait", Libc.errno(errno), "epoll fd " + ep);
                }
            }
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// The number of events the last select reported.
    public int readyCount() {
        return readyCount;
    }

    /// The token registered with the `i`th ready descriptor.
    ///
    /// @throws IllegalArgumentException if `i` is not in `0..readyCount()-1`
    /// @throws IllegalStateException if the selector is closed
    public long readyToken(int i) {
        checkReady(i);
        return (long) EpollH.DATA.get(ready, 0L, (long) i);
    }

    /// The [EpollEvents] bits reported for the `i`th ready descriptor.
    ///
    /// @throws IllegalArgumentException if `i` is not in `0..readyCount()-1`
    /// @throws IllegalStateException if the selector is closed
    public int readyEvents(int i) {
        checkReady(i);
        return (int) EpollH.EVENTS.get(ready, 0L, (long) i);
    }

    /// Whether the `i`th ready descriptor is readable ([EpollEvents#READABLE]).
    ///
    /// @throws IllegalArgumentException if `i` is not in `0..readyCount()-1`
    public boolean isReadable(int i) {
        return (readyEvents(i) & EpollEvents.READABLE) != 0;
    }

    /// Whether the `i`th ready descriptor is writable ([EpollEvents#WRITABLE]).
    ///
    /// @throws IllegalArgumentException if `i` is not in `0..readyCount()-1`
    public boolean isWritable(int i) {
        return (readyEvents(i) & EpollEvents.WRITABLE) != 0;
    }

    /// Whether the `i`th ready descriptor hung up ([EpollEvents#HANGUP]).
    ///
    /// @throws IllegalArgumentException if `i` is not in `0..readyCount()-1`
    public boolean isHangup(int i) {
        return (readyEvents(i) & EpollEvents.HANGUP) != 0;
    }

    /// Whether the `i`th ready descriptor has an error condition ([EpollEvents#ERROR]).
    ///
    /// @throws IllegalArgumentException if `i` is not in `0..readyCount()-1`
    public boolean isError(int i) {
        return (readyEvents(i) & EpollEvents.ERROR) != 0;
    }

    private void checkReady(int i) {
        if (i < 0 || i >= readyCount) {
            throw new IllegalArgumentException("i must be in 0.." + (readyCount - 1) + ": " + i);
        }
    }

    /// How many events one select can report.
    public int capacity() {
        return capacity;
    }

    /// A borrowed view of the epoll descriptor, which is itself pollable (readable when an event
    /// is ready), for nesting this selector in a poll loop or in another selector. Closing the
    /// view does not close the selector.
    ///
    /// @throws IllegalStateException if the selector is closed
    public Fd fd() {
        return Fd.borrow(epfd.intValue());
    }

    /// The epoll descriptor's number.
    ///
    /// @throws IllegalStateException if the selector is closed
    public int intValue() {
        return epfd.intValue();
    }

    /// Closes the epoll descriptor, which drops every registration, and frees the ready set.
    /// Later calls do nothing.
    ///
    /// @throws PosixException if close(2) reports an error
    @Override
    public void close() throws PosixException {
        try {
            epfd.close();
        } finally {
            if (arena.scope().isAlive()) {
                arena.close();
            }
        }
    }

    @Override
    public String toString() {
        return "EpollSelector[" + epfd + ", capacity=" + capacity + "]";
    }
}
