package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;

/// Raw bindings for <sys/wait.h> (waitid with P_PIDFD). No policy here. The si_code values
/// waitid reports (CLD_*) are in [SignalH]; the epoll, poll and eventfd calls around a wait are
/// in [EpollH], [PollH] and [EventfdH].
public final class WaitH {
    private WaitH() {}

    /// int waitid(idtype_t idtype, id_t id, siginfo_t *infop, int options);   waitid(2).
    /// With P_PIDFD (Linux 5.4+) `id` is a pidfd, so the wait never names a reusable pid.
    public static final CIntFunction WAITID = Libc.intFunction("waitid");

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

    static {
        Abi.check("siginfo_t", SIGINFO, 128);
    }
}
