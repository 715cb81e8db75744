package org.posix4j.broker;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.PollH;
import org.posix4j.internal.SchedH;
import org.posix4j.internal.SeccompH;
import org.posix4j.internal.SignalH;
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
            int r = (int) FcntlH.IOCTL_LONG.invokeExact(slot, fd, request, arg.address());
            return r < 0 ? fail(slot) : r;
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

    static long readMemory(int tid, MemorySegment iovecs, MemorySegment local, long remote, long length) {
        iovecs.set(JAVA_LONG, 0, local.address());
        iovecs.set(JAVA_LONG, 8, length);
        iovecs.set(JAVA_LONG, 16, remote);
        iovecs.set(JAVA_LONG, 24, length);
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = (long) UioH.PROCESS_VM_READV.invokeExact(slot, tid, iovecs, 1L, iovecs.asSlice(16), 1L, 0L);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static long writeMemory(int tid, MemorySegment iovecs, MemorySegment local, long remote, long length) {
        iovecs.set(JAVA_LONG, 0, local.address());
        iovecs.set(JAVA_LONG, 8, length);
        iovecs.set(JAVA_LONG, 16, remote);
        iovecs.set(JAVA_LONG, 24, length);
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = (long) UioH.PROCESS_VM_WRITEV.invokeExact(slot, tid, iovecs, 1L, iovecs.asSlice(16), 1L, 0L);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// openat2(2); `how` is a struct open_how of 24 bytes.
    static int openat2(int dirfd, MemorySegment path, MemorySegment how) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = (long) SyscallH.SYSCALL4.invokeExact(slot, Syscalls.CURRENT.openat2(), (long) dirfd,
                    path.address(), how.address(), 24L);
            return r < 0 ? fail(slot) : (int) r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static long readlinkat(int dirfd, MemorySegment path, MemorySegment buf) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = (long) UnistdH.READLINKAT.invokeExact(slot, dirfd, path, buf, buf.byteSize());
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int statx(int dirfd, MemorySegment path, int flags, MemorySegment buf) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = (int) SysStatH.STATX.invokeExact(slot, dirfd, path, flags, SysStatH.STATX_BASIC_STATS, buf);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int mkdirat(int dirfd, MemorySegment path, int mode) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = (int) SysStatH.MKDIRAT.invokeExact(slot, dirfd, path, mode);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int fchmodat(int dirfd, MemorySegment path, int mode) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = (int) SysStatH.FCHMODAT.invokeExact(slot, dirfd, path, mode, 0);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int unlinkat(int dirfd, MemorySegment path, int flags) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = (int) UnistdH.UNLINKAT.invokeExact(slot, dirfd, path, flags);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int renameat2(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath, int flags) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = (int) StdioH.RENAMEAT2.invokeExact(slot, olddirfd, oldpath, newdirfd, newpath, flags);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int faccessat(int dirfd, MemorySegment path, int mode, int flags) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = (int) UnistdH.FACCESSAT.invokeExact(slot, dirfd, path, mode, flags);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int fcntl(int fd, int cmd, int arg) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = (int) FcntlH.FCNTL_INT.invokeExact(slot, fd, cmd, arg);
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

    static int kill(int pid, int signal) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = (int) SignalH.KILL.invokeExact(slot, pid, signal);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int unshareFs() {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = (int) SchedH.UNSHARE.invokeExact(slot, SchedH.CLONE_FS);
            return r < 0 ? fail(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int umask(int mask) {
        try {
            return (int) SysStatH.UMASK.invokeExact(mask);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) UnistdH.CLOSE.invokeExact(Libc.errnoSlot(), fd);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }
}
