package org.posix4j.ipc;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.time.Duration;
import org.posix4j.PosixException;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SemaphoreH;
import org.posix4j.internal.TimeH;
import org.posix4j.internal.UnistdH;

/// A POSIX semaphore: a named one ([NamedSemaphore], sem_open(3)) or an anonymous one living in
/// memory the caller provides ([AnonymousSemaphore], sem_init(3)). Equivalent to the seed's
/// `'a Netsys_posix.semaphore`.
///
/// Waiting and virtual threads: sem_wait(3) blocks the OS thread inside a native call, which on a
/// virtual thread would pin its carrier for as long as the wait lasts. So a blocking wait on a
/// virtual thread first retries sem_trywait a few times, yielding the carrier in between, and
/// then hands the blocking call to a platform daemon thread (from a cached pool named
/// `posix4j-sem-wait-N`, idle ones end after 30 s) while the virtual thread parks on the result
/// and frees its carrier. Such a wait is not abandoned when the virtual thread is interrupted (the
/// platform thread would still take the count later, and it would be lost): like sem_wait, waits
/// are not interruptible, and the interrupt status is kept. On a platform thread the wait blocks
/// the calling thread directly.
///
/// Thread safety: all operations may be called from any number of threads at once; that is what
/// semaphores are for.
public abstract sealed class Semaphore permits NamedSemaphore, AnonymousSemaphore {
    /// The size of a `sem_t` in bytes, which an [AnonymousSemaphore] occupies in its segment.
    /// Equivalent to `Netsys_posix.sem_size`.
    public static final int SEM_SIZE = SemaphoreH.SEM_SIZE;

    /// The largest value a semaphore can hold: sysconf(_SC_SEM_VALUE_MAX), or `Integer.MAX_VALUE`
    /// when sysconf does not say. Equivalent to `Netsys_posix.sem_value_max`.
    public static final int SEM_VALUE_MAX = valueMax();

    private static final int EAGAIN = 11;
    private static final int ETIMEDOUT = 110;

    Semaphore() {}

    private static int valueMax() {
        try {
            long max = UnistdH.SYSCONF.call(Libc.errnoSlot(), SemaphoreH.SC_SEM_VALUE_MAX);
            return max <= 0 || max > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) max;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// Whether POSIX semaphores work here: libc exports the sem_* functions posix4j uses
    /// (sem_clockwait needs glibc 2.30+) and a process-private semaphore initialised with
    /// sem_init(3) counts. Equivalent to `Netsys_posix.have_posix_semaphores`.
    ///
    /// Thread safety: safe from any thread.
    public static boolean haveSemaphores() {
        for (String symbol : new String[] {"sem_open", "sem_init", "sem_clockwait", "sem_getvalue"}) {
            if (!Libc.has(symbol)) {
                return false;
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sem = arena.allocate(SemaphoreH.SEM_T);
            MemorySegment errno = Libc.errnoSlot();
            if ((int) SemaphoreH.SEM_INIT.invokeExact(errno, sem, 0, 1) != 0) {
                return false;
            }
            MemorySegment value = arena.allocate(JAVA_INT);
            int r = (int) SemaphoreH.SEM_GETVALUE.invokeExact(errno, sem, value);
            int ignored = (int) SemaphoreH.SEM_DESTROY.invokeExact(errno, sem);
            return r == 0 && value.get(JAVA_INT, 0) == 1;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// The `sem_t` to pass to libc.
    ///
    /// @throws IllegalStateException once closed or destroyed
    abstract MemorySegment sem();

    /// What to name in error messages.
    abstract String subject();

    /// Increments the value by one and wakes a waiter: sem_post(3). Equivalent to
    /// `Netsys_posix.sem_post`.
    ///
    /// @throws PosixException EOVERFLOW when the value is already [#SEM_VALUE_MAX]
    /// @throws IllegalStateException once closed or destroyed
    public final void post() throws PosixException {
        try {
            MemorySegment errno = Libc.errnoSlot();
            Libc.check((int) SemaphoreH.SEM_POST.invokeExact(errno, sem()), errno, "sem_post", subject());
        } catch (Throwable t) {
            throw Libc.propagate(t);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /// Decrements the value by one, waiting as long as it takes for it to be positive: sem_wait(3),
    /// retried on EINTR; on a virtual thread, see the class comment. Equivalent to
    /// `Netsys_posix.sem_wait` with `SEM_WAIT_BLOCK`.
    ///
    /// @throws PosixException with sem_wait's errno (EINVAL for memory that is not a semaphore)
    /// @throws IllegalStateException once closed or destroyed
    public final void await() throws PosixException {
        try {
            MemorySegment sem = sem();
            if (Thread.currentThread().isVirtual() && spin(sem)) {
                return;
            }
            SemaphoreWaits.block(() -> {
                waitForever(sem, subject());
                return true;
            });
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /// Decrements the value by one if it is positive, without waiting: sem_trywait(3). Equivalent to
    /// `Netsys_posix.sem_wait` with `SEM_WAIT_NONBLOCK`, except that a zero value answers `false`
    /// instead of raising EAGAIN.
    ///
    /// @return whether the value was decremented
    /// @throws PosixException with sem_trywait's errno other than EAGAIN
    /// @throws IllegalStateException once closed or destroyed
    public final boolean tryAwait() throws PosixException {
        try {
            return tryOnce(sem(), subject());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /// Decrements the value by one, waiting at most `timeout` for it to be positive:
    /// sem_clockwait(3) against CLOCK_MONOTONIC (so setting the wall clock does not shorten or
    /// stretch the wait), retried on EINTR until the same deadline. On a virtual thread, see the
    /// class comment.
    ///
    /// @return whether the value was decremented; `false` when the time ran out
    /// @throws IllegalArgumentException if `timeout` is negative
    /// @throws PosixException with sem_clockwait's errno other than ETIMEDOUT
    /// @throws IllegalStateException once closed or destroyed
    public final boolean await(Duration timeout) throws PosixException {
        if (timeout == null) {
            throw new NullPointerException("timeout is null");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        try {
            MemorySegment sem = sem();
            String subject = subject();
            long deadline = saturatedAdd(monotonicNanos(), timeout);
            if (Thread.currentThread().isVirtual() && spin(sem)) {
                return true;
            }
            return SemaphoreWaits.block(() -> waitUntil(sem, subject, deadline));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /// The current value: sem_getvalue(3); when waiters make the kernel report a negative value,
    /// 0. Equivalent to `Netsys_posix.sem_getvalue`.
    ///
    /// @throws PosixException with sem_getvalue's errno
    /// @throws IllegalStateException once closed or destroyed
    public final int value() throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment errno = Libc.errnoSlot();
            Libc.check((int) SemaphoreH.SEM_GETVALUE.invokeExact(errno, sem(), value), errno, "sem_getvalue", subject());
            return Math.max(0, value.get(JAVA_INT, 0));
        } catch (Throwable t) {
            throw Libc.propagate(t);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /// A few sem_trywait calls, yielding the carrier in between, so that a wait that is about to be
    /// satisfied does not cost a hand-over to a platform thread.
    private boolean spin(MemorySegment sem) throws PosixException {
        for (int i = 0; i < SemaphoreWaits.SPINS; i++) {
            if (tryOnce(sem, subject())) {
                return true;
            }
            Thread.yield();
        }
        return false;
    }

    private static boolean tryOnce(MemorySegment sem, String subject) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            int r;
            do {
                r = (int) SemaphoreH.SEM_TRYWAIT.invokeExact(errno, sem);
            } while (r < 0 && Libc.interrupted(errno));
            if (r < 0 && Libc.errno(errno) == EAGAIN) {
                return false;
            }
            Libc.check(r, errno, "sem_trywait", subject);
            return true;
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    private static void waitForever(MemorySegment sem, String subject) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            int r;
            do {
                r = (int) SemaphoreH.SEM_WAIT.invokeExact(errno, sem);
            } while (r < 0 && Libc.interrupted(errno));
            Libc.check(r, errno, "sem_wait", subject);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    private static boolean waitUntil(MemorySegment sem, String subject, long deadline) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment abstime = arena.allocate(TimeH.TIMESPEC);
            abstime.set(JAVA_LONG, 0, deadline / 1_000_000_000L);
            abstime.set(JAVA_LONG, 8, deadline % 1_000_000_000L);
            int r;
            do {
                r = (int) SemaphoreH.SEM_CLOCKWAIT.invokeExact(errno, sem, TimeH.CLOCK_MONOTONIC, abstime);
            } while (r < 0 && Libc.interrupted(errno));
            if (r < 0 && Libc.errno(errno) == ETIMEDOUT) {
                return false;
            }
            Libc.check(r, errno, "sem_clockwait", subject);
            return true;
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    private static long monotonicNanos() throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ts = arena.allocate(TimeH.TIMESPEC);
            MemorySegment errno = Libc.errnoSlot();
            Libc.check(TimeH.CLOCK_GETTIME.call(errno, TimeH.CLOCK_MONOTONIC, ts.address()), errno,
                    "clock_gettime", "CLOCK_MONOTONIC");
            return ts.get(JAVA_LONG, 0) * 1_000_000_000L + ts.get(JAVA_LONG, 8);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    private static long saturatedAdd(long nanos, Duration timeout) {
        long add;
        try {
            add = timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
        long sum = nanos + add;
        return sum < nanos ? Long.MAX_VALUE : sum;
    }
}
