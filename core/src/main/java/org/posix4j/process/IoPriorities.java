package org.posix4j.process;

import java.lang.foreign.MemorySegment;
import org.posix4j.Features;
import org.posix4j.PosixException;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SyscallH;
import org.posix4j.internal.Syscalls;

/// Linux I/O priorities: ioprio_get(2) and ioprio_set(2), through syscall(2) since glibc has no
/// wrapper. Equivalent to `Netsys_posix.ioprio_get` and `Netsys_posix.ioprio_set`.
///
/// Thread safety: all methods may be called from any thread. Note that for
/// [IoPriorityTarget#process(int)] with the pid of a multi-threaded process, the kernel reads and
/// sets the priority of that pid's thread, the main thread; 0 means the calling thread.
public final class IoPriorities {
    private IoPriorities() {}

    /// Whether ioprio_get/ioprio_set exist here. Equivalent to `Netsys_posix.have_ioprio`.
    public static boolean available() {
        return Features.ioprio().available();
    }

    /// The priority of `target`; for a group or user, the highest among its processes.
    ///
    /// @throws PosixException ESRCH if no process matches
    /// @throws UnsupportedOperationException if ioprio is not available (see [Features#ioprio()])
    public static IoPriority get(IoPriorityTarget target) throws PosixException {
        Features.ioprio().ensureAvailable();
        MemorySegment errno = Libc.errnoSlot();
        try {
            long r = SyscallH.SYSCALL.call(errno, Syscalls.CURRENT.ioprioGet(),
                    (long) target.which(), (long) target.who());
            Libc.check(r, errno, "ioprio_get", target.toString());
            return IoPriority.fromRaw((int) r);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Sets the priority of `target`.
    ///
    /// @throws PosixException ESRCH if no process matches, EPERM for real-time without
    ///     CAP_SYS_ADMIN/CAP_SYS_NICE or for another user's process
    /// @throws UnsupportedOperationException if ioprio is not available
    public static void set(IoPriorityTarget target, IoPriority priority) throws PosixException {
        Features.ioprio().ensureAvailable();
        MemorySegment errno = Libc.errnoSlot();
        try {
            long r = SyscallH.SYSCALL.call(errno, Syscalls.CURRENT.ioprioSet(),
                    (long) target.which(), (long) target.who(), (long) priority.toRaw());
            Libc.check(r, errno, "ioprio_set", target + ", " + priority);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }
}
