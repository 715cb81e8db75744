package org.posix4j.broker;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import org.posix4j.internal.EpollH;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.LinkH;
import org.posix4j.internal.PollH;
import org.posix4j.internal.SchedH;
import org.posix4j.internal.SeccompH;
import org.posix4j.internal.StdioH;
import org.posix4j.internal.SysStatH;
import org.posix4j.internal.SyscallH;
import org.posix4j.internal.Syscalls;
import org.posix4j.internal.UioH;
import org.posix4j.internal.UnistdH;

/// The calls the broker makes, each answering its result or `-errno`: a refused call is the
/// normal case here (the program's own ENOENT is an answer, not an error), so nothing throws.
final class Kernel {
    private Kernel() {}

    private static int fail(MemorySegment slot) {
        return -Libc.errno(slot);
    }

    static int ioctl(int fd, long request, MemorySegment arg) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = FcntlH.IOCTL.call(slot, fd, request, arg.address());
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// The size of the kernel's sigset_t (_NSIG / 8) on x86_64 and aarch64.
    static final long SIGSET_SIZE = 8;
    private static final long SIG_BLOCK = 0;
    private static final long SIG_SETMASK = 2;

    /// SECCOMP_IOCTL_NOTIF_ADDFD with every signal blocked on this thread for its duration.
    /// The ioctl waits for the program to take the descriptor, and a signal that interrupts
    /// that wait (a profiler's, the JVM's SIGUSR2 that Flight Recorder samples threads with)
    /// takes the request back after the kernel has already marked the notification answered
    /// when SECCOMP_ADDFD_FLAG_SEND is set: the program's call then returned 0, a descriptor
    /// it never got. The raw rt_sigprocmask blocks glibc's own signals too (SIGSETXID, sent
    /// when another thread calls setuid); a signal held back is delivered right after.
    static int addfdWithSignalsBlocked(int listener, MemorySegment addfd, MemorySegment all, MemorySegment saved) {
        MemorySegment slot = Libc.errnoSlot();
        long nr = Syscalls.CURRENT.rtSigprocmask();
        try {
            long b = SyscallH.SYSCALL.call(slot, nr, SIG_BLOCK, all.address(), saved.address(),
                    SIGSET_SIZE);
            if (b < 0) {
                return fail(slot);
            }
            try {
                return ioctl(listener, SeccompH.IOCTL_NOTIF_ADDFD, addfd);
            } finally {
                long r = SyscallH.SYSCALL.call(slot, nr, SIG_SETMASK, saved.address(), 0L,
                        SIGSET_SIZE);
                if (r < 0) {
                    throw new IllegalStateException("rt_sigprocmask failed to restore a serving thread's signal mask");
                }
            }
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int recv(int listener, MemorySegment notif) {
        return ioctl(listener, SeccompH.IOCTL_NOTIF_RECV, notif);
    }

    static int idValid(int listener, MemorySegment id) {
        return ioctl(listener, SeccompH.IOCTL_NOTIF_ID_VALID, id);
    }

    /// pread(2) of the caller's `/proc/TID/mem` at address `remote`.
    static long pread(int fd, MemorySegment local, long length, long remote) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = UnistdH.PREAD.call(slot, fd, local.address(), length, remote);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// process_vm_readv(2) of `length` bytes at address `remote` of process (or thread) `pid`
    /// into `local`, with `localIov` and `remoteIov` (a struct iovec each) for the vectors;
    /// answers the count read.
    static long processVmRead(int pid, MemorySegment localIov, MemorySegment remoteIov, MemorySegment local,
            long remote, long length) {
        localIov.set(JAVA_LONG, 0, local.address());
        localIov.set(JAVA_LONG, 8, length);
        remoteIov.set(JAVA_LONG, 0, remote);
        remoteIov.set(JAVA_LONG, 8, length);
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = UioH.PROCESS_VM_READV.call(slot, pid, localIov.address(), 1L, remoteIov.address(), 1L, 0L);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// pwrite(2) into the caller's `/proc/TID/mem` at address `remote`.
    static long pwrite(int fd, MemorySegment local, long length, long remote) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = UnistdH.PWRITE.call(slot, fd, local.address(), length, remote);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// open(2) of one of the master's own paths, without a mode.
    static int open(MemorySegment path, int flags) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = FcntlH.OPEN.call(slot, path.address(), flags, 0);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// pidfd_open(2).
    static int pidfdOpen(int pid, int flags) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = SyscallH.SYSCALL.call(slot, Syscalls.CURRENT.pidfdOpen(), pid, flags);
            return r < 0 ? fail(slot) : (int) r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// pidfd_getfd(2).
    static int pidfdGetfd(int pidfd, int fd) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = SyscallH.SYSCALL.call(slot, Syscalls.CURRENT.pidfdGetfd(), pidfd, fd, 0L);
            return r < 0 ? fail(slot) : (int) r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// pidfd_send_signal(2); `info` is a siginfo_t or NULL.
    static int pidfdSendSignal(int pidfd, int signal, MemorySegment info, int flags) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = SyscallH.SYSCALL.call(slot, Syscalls.CURRENT.pidfdSendSignal(), pidfd, signal,
                    info.address(), flags);
            return r < 0 ? fail(slot) : (int) r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// openat2(2); `how` is a struct open_how of 24 bytes.
    static int openat2(int dirfd, MemorySegment path, MemorySegment how) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = SyscallH.SYSCALL.call(slot, Syscalls.CURRENT.openat2(), dirfd, path.address(),
                    how.address(), 24L);
            return r < 0 ? fail(slot) : (int) r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static long readlinkat(int dirfd, MemorySegment path, MemorySegment buf) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = UnistdH.READLINKAT.call(slot, dirfd, path.address(), buf.address(), buf.byteSize());
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int statx(int dirfd, MemorySegment path, int flags, MemorySegment buf) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = SysStatH.STATX.call(slot, dirfd, path.address(), flags, SysStatH.STATX_BASIC_STATS, buf.address());
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// statx(2) asking for `mask`.
    static int statxMask(int dirfd, MemorySegment path, int flags, int mask, MemorySegment buf) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = SysStatH.STATX.call(slot, dirfd, path.address(), flags, mask, buf.address());
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int mkdirat(int dirfd, MemorySegment path, int mode) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = SysStatH.MKDIRAT.call(slot, dirfd, path.address(), mode);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int fchmodat(int dirfd, MemorySegment path, int mode) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = SysStatH.FCHMODAT.call(slot, dirfd, path.address(), mode, 0);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int utimensat(int dirfd, MemorySegment path, MemorySegment times, int flags) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = SysStatH.UTIMENSAT.call(slot, dirfd, path.address(), times.address(), flags);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int unlinkat(int dirfd, MemorySegment path, int flags) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = UnistdH.UNLINKAT.call(slot, dirfd, path.address(), flags);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int symlinkat(MemorySegment target, int newdirfd, MemorySegment linkpath) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = LinkH.SYMLINKAT.call(slot, target.address(), newdirfd, linkpath.address());
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int linkat(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath, int flags) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = LinkH.LINKAT.call(slot, olddirfd, oldpath.address(), newdirfd, newpath.address(), flags);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int mknodat(int dirfd, MemorySegment path, int mode, long device) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = LinkH.MKNODAT.call(slot, dirfd, path.address(), mode, device);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int truncate(MemorySegment path, long length) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = LinkH.TRUNCATE.call(slot, path.address(), length);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int renameat2(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath, int flags) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = StdioH.RENAMEAT2.call(slot, olddirfd, oldpath.address(), newdirfd, newpath.address(), flags);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int faccessat(int dirfd, MemorySegment path, int mode, int flags) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = UnistdH.FACCESSAT.call(slot, dirfd, path.address(), mode, flags);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// fcntl(2) with an integer argument, or a pointer's address; -errno on failure.
    static int fcntl(int fd, int cmd, long arg) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = FcntlH.FCNTL.call(slot, fd, cmd, arg);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int poll(MemorySegment fds, long count, int timeout) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = (int) PollH.POLL.invokeExact(slot, fds, count, timeout);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// epoll_create1(EPOLL_CLOEXEC).
    static int epollCreate() {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = EpollH.EPOLL_CREATE1.call(slot, EpollH.EPOLL_CLOEXEC);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// epoll_ctl(EPOLL_CTL_ADD) of `fd` for input, reported once (EPOLLONESHOT), with `data` as
    /// the event's data; `event` is room for one struct epoll_event.
    static int epollAddOnce(int epfd, int fd, long data, MemorySegment event) {
        EpollH.EVENTS.set(event, 0L, 0L, EpollH.EPOLLIN | EpollH.EPOLLONESHOT);
        EpollH.DATA.set(event, 0L, 0L, data);
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = (int) EpollH.EPOLL_CTL.invokeExact(slot, epfd, EpollH.EPOLL_CTL_ADD, fd, event);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// epoll_wait(2) without waiting: the number of `events` filled (at most `max`).
    static int epollReady(int epfd, MemorySegment events, int max) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = (int) EpollH.EPOLL_WAIT.invokeExact(slot, epfd, events, max, 0);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int unshareFs() {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = SchedH.UNSHARE.call(slot, SchedH.CLONE_FS);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int umask(int mask) {
        try {
            return SysStatH.UMASK.call(Libc.errnoSlot(), mask);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = UnistdH.CLOSE.call(Libc.errnoSlot(), fd);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }
}
