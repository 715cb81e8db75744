package org.posix4j.signal;

import java.lang.foreign.MemorySegment;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SignalH;

/// Sending signals: kill(2), killpg(3), raise(3), sigqueue(3), and kill(2) with signal 0 to ask
/// whether a process exists.
///
/// Signal numbers are 1 to 31 and the real-time signals [Signal#SIGRTMIN] to [Signal#SIGRTMAX];
/// 0 sends nothing and only checks that the target exists and may be signalled. Signals 32 and 33
/// are glibc's own and are refused. Whether the target receives, ignores or dies of the signal is
/// up to its disposition; for a JVM see the `org.posix4j.signal` package documentation.
///
/// Thread safety: every method may be called from any thread.
public final class Signals {
    private Signals() {}

    /// Sends `signal` with kill(2). `pid` selects the target as kill(2) does: a process when
    /// positive, every process of the caller's process group when 0, every process the caller may
    /// signal (except init and itself) when -1, process group `-pid` when below -1.
    ///
    /// @throws PosixException ESRCH when no such process or group exists, EPERM when the caller may
    ///     not signal it (another user's process, without CAP_KILL)
    public static void kill(int pid, Signal signal) throws PosixException {
        kill(pid, signal.number());
    }

    /// [#kill(int, Signal)] with a signal number: a real-time signal, or 0 to check only that
    /// `pid` exists and may be signalled.
    ///
    /// @throws IllegalArgumentException if `signal` is not 0, 1..31 or 34..64
    /// @throws PosixException ESRCH when no such process or group exists, EPERM when the caller may
    ///     not signal it
    public static void kill(int pid, int signal) throws PosixException {
        checkSendable(signal);
        MemorySegment errno = Libc.errnoSlot();
        int r;
        try {
            r = SignalH.KILL.call(errno, pid, signal);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        Libc.check(r, errno, "kill", pid + ", " + label(signal));
    }

    /// Whether process `pid` exists: kill(2) with signal 0. A process the caller may not signal
    /// (EPERM) exists too. A zombie exists until its parent reaps it.
    ///
    /// @throws IllegalArgumentException if `pid` is not positive
    /// @throws PosixException for an error other than ESRCH and EPERM
    public static boolean exists(int pid) throws PosixException {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
        try {
            kill(pid, 0);
            return true;
        } catch (PosixException e) {
            if (e.is(Errno.ESRCH)) {
                return false;
            }
            if (e.is(Errno.EPERM)) {
                return true;
            }
            throw e;
        }
    }

    /// Sends `signal` to every process of process group `pgid` (0: the caller's group): killpg(3).
    ///
    /// @throws IllegalArgumentException if `pgid` is negative, or 1: killpg(1, sig) is kill(-1,
    ///     sig) and would signal every process the caller may signal; say [#kill(int, Signal)]
    ///     with -1 if that is meant
    /// @throws PosixException ESRCH when no process is in the group, EPERM when the caller may
    ///     signal none of them
    public static void killProcessGroup(int pgid, Signal signal) throws PosixException {
        killProcessGroup(pgid, signal.number());
    }

    /// [#killProcessGroup(int, Signal)] with a signal number, 0 for an existence check.
    ///
    /// @throws IllegalArgumentException if `pgid` is negative or 1, or `signal` is not 0, 1..31
    ///     or 34..64
    /// @throws PosixException ESRCH when no process is in the group, EPERM when the caller may
    ///     signal none of them
    public static void killProcessGroup(int pgid, int signal) throws PosixException {
        if (pgid < 0) {
            throw new IllegalArgumentException("pgid must not be negative: " + pgid);
        }
        if (pgid == 1) {
            throw new IllegalArgumentException("pgid 1 would signal every process (killpg(1, sig) is kill(-1, sig));"
                    + " use kill(-1, signal) if that is meant");
        }
        checkSendable(signal);
        MemorySegment errno = Libc.errnoSlot();
        int r;
        try {
            r = SignalH.KILLPG.call(errno, pgid, signal);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        Libc.check(r, errno, "killpg", pgid + ", " + label(signal));
    }

    /// Sends `signal` to the calling thread: raise(3), which is tgkill(2) to this thread, not
    /// kill(2) to the process. In a JVM that matters: the signal is delivered on this thread
    /// only, so a signal this thread blocks stays pending on it (a [SignalChannel] that receives
    /// the signal through signalfd never sees it, since its reader is another thread), and a
    /// virtual thread raises on whichever carrier thread runs it. Use [#kill(int, Signal)] with
    /// the process's own pid to signal the process.
    ///
    /// With the default disposition of a terminating signal, the process ends before this
    /// returns; SIGINT, SIGTERM and SIGHUP run the JVM's shutdown (exit code 128 + N).
    ///
    /// @throws PosixException never in practice: the only error raise(3) reports is EINVAL for a
    ///     bad number, which is refused before the call
    public static void raise(Signal signal) throws PosixException {
        raise(signal.number());
    }

    /// [#raise(Signal)] with a signal number.
    ///
    /// @throws IllegalArgumentException if `signal` is not 0, 1..31 or 34..64
    /// @throws PosixException never in practice, see [#raise(Signal)]
    public static void raise(int signal) throws PosixException {
        checkSendable(signal);
        MemorySegment errno = Libc.errnoSlot();
        int r;
        try {
            r = SignalH.RAISE.call(errno, signal);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        Libc.check(r, errno, "raise", label(signal));
    }

    /// Sends `signal` with an integer `value` to process `pid`: sigqueue(3). A receiver that
    /// reads the signal's `siginfo` (a [SignalChannel] receiving it through signalfd) sees
    /// `value` as [SignalEvent#value()]. Real-time signals queue, one per send, in order;
    /// standard signals merge while one is pending, values included.
    ///
    /// @throws IllegalArgumentException if `pid` is not positive, or `signal` is not 0, 1..31 or
    ///     34..64
    /// @throws PosixException ESRCH when no such process exists, EPERM when the caller may not
    ///     signal it, EAGAIN when the receiver's queue of pending signals is full (RLIMIT_SIGPENDING)
    public static void queue(int pid, Signal signal, int value) throws PosixException {
        queue(pid, signal.number(), value);
    }

    /// [#queue(int, Signal, int)] with a signal number, typically a real-time signal.
    ///
    /// @throws IllegalArgumentException if `pid` is not positive, or `signal` is not 0, 1..31 or
    ///     34..64
    /// @throws PosixException ESRCH, EPERM or EAGAIN as [#queue(int, Signal, int)]
    public static void queue(int pid, int signal, int value) throws PosixException {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive (sigqueue signals one process): " + pid);
        }
        checkSendable(signal);
        MemorySegment errno = Libc.errnoSlot();
        int r;
        try {
            // union sigval, 8 bytes passed by value in one register: sival_int in the low half.
            r = SignalH.SIGQUEUE.call(errno, pid, signal, Integer.toUnsignedLong(value));
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        Libc.check(r, errno, "sigqueue", pid + ", " + label(signal) + ", " + value);
    }

    private static void checkSendable(int signal) {
        if (signal < 0 || signal > Signal.SIGRTMAX || signal == 32 || signal == 33) {
            throw new IllegalArgumentException("signal must be 0, 1..31 or " + Signal.SIGRTMIN + ".." + Signal.SIGRTMAX
                    + " (32 and 33 belong to glibc): " + signal);
        }
    }

    private static String label(int signal) {
        return signal == 0 ? "0" : Signal.nameOf(signal);
    }
}
