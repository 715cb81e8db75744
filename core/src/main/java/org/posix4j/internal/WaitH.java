package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/// Raw bindings for <sys/wait.h> (waitid with P_PIDFD) and the minimal <sys/epoll.h>,
/// <poll.h> and <sys/eventfd.h> that waiting for children needs. No policy here.
public final class WaitH {
    private WaitH() {}

    /// int waitid(idtype_t idtype, id_t id, siginfo_t *infop, int options);   waitid(2).
    /// With P_PIDFD (Linux 5.4+) `id` is a pidfd, so the wait never names a reusable pid.
    public static final MethodHandle WAITID = Libc.errnoSetting("waitid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /// int epoll_create1(int flags);   epoll_create1(2)
    public static final MethodHandle EPOLL_CREATE1 = Libc.errnoSetting("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /// int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);   epoll_ctl(2)
    public static final MethodHandle EPOLL_CTL = Libc.errnoSetting("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    /// int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);   epoll_wait(2)
    public static final MethodHandle EPOLL_WAIT = Libc.errnoSetting("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    /// int poll(struct pollfd *fds, nfds_t nfds, int timeout);   poll(2)
    public static final MethodHandle POLL = Libc.errnoSetting("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /// int eventfd(unsigned int initval, int flags);   eventfd(2)
    public static final MethodHandle EVENTFD = Libc.errnoSetting("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    /// struct pollfd
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"),
            JAVA_SHORT.withName("events"),
            JAVA_SHORT.withName("revents"));
    /// Offset of fd.
    public static final long POLLFD_FD = POLLFD.byteOffset(PathElement.groupElement("fd"));
    /// Offset of events.
    public static final long POLLFD_EVENTS = POLLFD.byteOffset(PathElement.groupElement("events"));
    /// Offset of revents.
    public static final long POLLFD_REVENTS = POLLFD.byteOffset(PathElement.groupElement("revents"));

    /// siginfo_t, 128 bytes, with the SIGCHLD members waitid fills in.
    public static final StructLayout SIGINFO = MemoryLayout.structLayout(
            JAVA_INT.withName("si_signo"),
            JAVA_INT.withName("si_errno"),
            JAVA_INT.withName("si_code"),
            MemoryLayout.paddingLayout(4),
            JAVA_INT.withName("si_pid"),
            JAVA_INT.withName("si_uid"),
            JAVA_INT.withName("si_status"),
            MemoryLayout.paddingLayout(100));
    /// Offset of si_code.
    public static final long SI_CODE = SIGINFO.byteOffset(PathElement.groupElement("si_code"));
    /// Offset of si_pid.
    public static final long SI_PID = SIGINFO.byteOffset(PathElement.groupElement("si_pid"));
    /// Offset of si_status.
    public static final long SI_STATUS = SIGINFO.byteOffset(PathElement.groupElement("si_status"));

    /// struct epoll_event: packed (12 bytes) on x86_64, naturally aligned (16 bytes) elsewhere.
    public static final StructLayout EPOLL_EVENT = epollEvent(Syscalls.CURRENT.arch());
    /// Offset of the events member.
    public static final long EPOLL_EVENTS = EPOLL_EVENT.byteOffset(PathElement.groupElement("events"));
    /// Offset of the data member (a 64-bit value of the caller's choosing).
    public static final long EPOLL_DATA = EPOLL_EVENT.byteOffset(PathElement.groupElement("data"));

    /// P_PID
    public static final int P_PID = 1;
    /// P_PIDFD (Linux 5.4+)
    public static final int P_PIDFD = 3;
    /// WNOHANG
    public static final int WNOHANG = 1;
    /// WEXITED
    public static final int WEXITED = 4;
    /// WNOWAIT: report the status but leave the child waitable.
    public static final int WNOWAIT = 0x0100_0000;
    /// CLD_EXITED
    public static final int CLD_EXITED = 1;
    /// CLD_KILLED
    public static final int CLD_KILLED = 2;
    /// CLD_DUMPED
    public static final int CLD_DUMPED = 3;
    /// EPOLL_CLOEXEC
    public static final int EPOLL_CLOEXEC = 02000000;
    /// EPOLL_CTL_ADD
    public static final int EPOLL_CTL_ADD = 1;
    /// EPOLL_CTL_DEL
    public static final int EPOLL_CTL_DEL = 2;
    /// EPOLL_CTL_MOD
    public static final int EPOLL_CTL_MOD = 3;
    /// EPOLLIN, also POLLIN
    public static final int EPOLLIN = 0x001;
    /// EFD_CLOEXEC
    public static final int EFD_CLOEXEC = 02000000;

    private static StructLayout epollEvent(String arch) {
        return arch.equals("x86_64")
                ? MemoryLayout.structLayout(JAVA_INT.withName("events"), JAVA_LONG_UNALIGNED.withName("data"))
                : MemoryLayout.structLayout(JAVA_INT.withName("events"), MemoryLayout.paddingLayout(4),
                        JAVA_LONG.withName("data"));
    }

    static {
        Abi.check("siginfo_t", SIGINFO, 128);
        Abi.check("struct pollfd", POLLFD, 8);
        Abi.check("struct epoll_event", EPOLL_EVENT, Syscalls.CURRENT.arch().equals("x86_64") ? 12 : 16);
    }
}
