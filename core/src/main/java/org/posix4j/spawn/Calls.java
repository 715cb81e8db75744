package org.posix4j.spawn;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.posix4j.PosixException;
import org.posix4j.internal.EpollH;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.PollH;
import org.posix4j.internal.SignalH;
import org.posix4j.internal.SyscallH;
import org.posix4j.internal.Syscalls;
import org.posix4j.internal.UnistdH;
import org.posix4j.internal.WaitH;

/// The system calls behind [Spawn], [Child] and the watcher, each with its error handling.
final class Calls {
    private Calls() {}

    /// pidfd_open(2).
    static int pidfdOpen(int pid) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            long r = SyscallH.SYSCALL.call(errno, Syscalls.CURRENT.pidfdOpen(), (long) pid, 0L);
            return (int) Libc.check(r, errno, "pidfd_open", Integer.toString(pid));
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// pidfd_send_signal(2) with no siginfo and no flags.
    static void pidfdSendSignal(int pidfd, int signal, int pid) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            long r = SyscallH.SYSCALL.call(errno, Syscalls.CURRENT.pidfdSendSignal(),
                    (long) pidfd, (long) signal, 0L, 0L);
            Libc.check(r, errno, "pidfd_send_signal", pid + ", " + signal);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// killpg(3).
    static void killpg(int pgid, int signal) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            Libc.check(SignalH.KILLPG.call(errno, pgid, signal), errno, "killpg", pgid + ", " + signal);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Kills and reaps a child this process started but cannot track: it is still our unreaped
    /// child, so its pid cannot have been reused and kill(2) and waitid(P_PID) are safe.
    static void killAndReap(int pid, MemorySegment siginfo) {
        MemorySegment errno = Libc.errnoSlot();
        try {
            int killed = SignalH.KILL.call(errno, pid, 9);
            int r;
            do {
                r = WaitH.WAITID.call(errno, WaitH.P_PID, pid, siginfo.address(), WaitH.WEXITED);
            } while (r < 0 && Libc.interrupted(errno));
            if (killed < 0 || r < 0) {
                throw new IllegalStateException(new PosixException(killed < 0 ? "kill" : "waitid",
                        Libc.errno(errno), Integer.toString(pid)));
            }
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// A close-on-exec duplicate of `fd` numbered 3 or above: fcntl F_DUPFD_CLOEXEC.
    static int dupAbove2(int fd) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            return Libc.check(FcntlH.FCNTL.call(errno, fd, FcntlH.F_DUPFD_CLOEXEC, 3),
                    errno, "fcntl", "fd " + fd);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Whether `fd` is open in this process: fcntl F_GETFD succeeds.
    static boolean isOpen(int fd) {
        try {
            return FcntlH.FCNTL.call(Libc.errnoSlot(), fd, FcntlH.F_GETFD, 0) >= 0;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// close(2), for descriptors only posix4j knows: a failure would mean a bug, and close is
    /// never retried.
    static void close(int fd) {
        try {
            int ignored = UnistdH.CLOSE.call(Libc.errnoSlot(), fd);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// epoll_create1(EPOLL_CLOEXEC).
    static int epollCreate() throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            return Libc.check(EpollH.EPOLL_CREATE1.call(errno, EpollH.EPOLL_CLOEXEC), errno,
                    "epoll_create1", "EPOLL_CLOEXEC");
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// epoll_ctl(EPOLL_CTL_ADD) for input readiness, with `key` as the event's data.
    static void epollAdd(int epfd, int fd, long key, MemorySegment event) throws PosixException {
        epollCtl(epfd, EpollH.EPOLL_CTL_ADD, fd, EpollH.EPOLLIN, key, event);
    }

    /// epoll_ctl(EPOLL_CTL_MOD) to `events` (0: report nothing but hang-up and error). MOD
    /// allocates nothing, so it fails only on a descriptor that is not registered: a bug.
    static void epollModify(int epfd, int fd, int events, long key, MemorySegment event) {
        try {
            epollCtl(epfd, EpollH.EPOLL_CTL_MOD, fd, events, key, event);
        } catch (PosixException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void epollCtl(int epfd, int op, int fd, int events, long key, MemorySegment event)
            throws PosixException {
        EpollH.EVENTS.set(event, 0L, 0L, events);
        EpollH.DATA.set(event, 0L, 0L, key);
        MemorySegment errno = Libc.errnoSlot();
        try {
            Libc.check((int) EpollH.EPOLL_CTL.invokeExact(errno, epfd, op, fd, event), errno,
                    "epoll_ctl", "op " + op + ", fd " + fd);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// poll(2) for input on `first` and `second` for at most `timeoutMillis` (-1: no limit),
    /// retried on EINTR with the time left; answers whether `first` is readable.
    static boolean pollFirst(int first, int second, long timeoutMillis, MemorySegment pollfds) {
        PollH.FD.set(pollfds, 0L, 0L, first);
        PollH.EVENTS.set(pollfds, 0L, 0L, (short) PollH.POLLIN);
        PollH.FD.set(pollfds, 0L, 1L, second);
        PollH.EVENTS.set(pollfds, 0L, 1L, (short) PollH.POLLIN);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        MemorySegment errno = Libc.errnoSlot();
        try {
            for (long left = timeoutMillis; ; ) {
                PollH.REVENTS.set(pollfds, 0L, 0L, (short) 0);
                int r = (int) PollH.POLL.invokeExact(errno, pollfds, 2L, (int) Math.min(left, Integer.MAX_VALUE));
                if (r >= 0 || !Libc.interrupted(errno)) {
                    if (r < 0) {
                        throw new IllegalStateException(new PosixException("poll", Libc.errno(errno), "fd " + first));
                    }
                    return ((short) PollH.REVENTS.get(pollfds, 0L, 0L) & PollH.POLLIN) != 0;
                }
                if (timeoutMillis >= 0) {
                    left = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                }
            }
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// epoll_ctl(EPOLL_CTL_DEL). Done before closing a pidfd: a duplicate of it elsewhere would
    /// otherwise keep the registration alive.
    static void epollDel(int epfd, int fd) {
        try {
            int ignored = (int) EpollH.EPOLL_CTL.invokeExact(Libc.errnoSlot(), epfd, EpollH.EPOLL_CTL_DEL, fd,
                    MemorySegment.NULL);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }
}
