package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.invoke.VarHandle;

/// Raw bindings for <signal.h> and <sys/signalfd.h>. No policy here.
public final class SignalH {
    private SignalH() {}

    /// int kill(pid_t pid, int sig);   kill(2)
    public static final CIntFunction KILL = Libc.intFunction("kill");
    /// int killpg(int pgrp, int sig);   killpg(3): kill(-pgrp, sig), so pgrp 1 would mean kill(-1).
    public static final CIntFunction KILLPG = Libc.intFunction("killpg");
    /// int raise(int sig);   raise(3): tgkill(2) to the calling thread.
    public static final CIntFunction RAISE = Libc.intFunction("raise");
    /// int tgkill(pid_t tgid, pid_t tid, int sig);   tgkill(2), glibc 2.30+
    public static final CIntFunction TGKILL = Libc.intFunction("tgkill");

    /// union sigval { int sival_int; void *sival_ptr; }, passed by value to sigqueue: its size,
    /// checked below, is why [#SIGQUEUE] can take it as one `long` argument.
    public static final UnionLayout SIGVAL = MemoryLayout.unionLayout(
            JAVA_INT.withName("sival_int"),
            ADDRESS.withName("sival_ptr"));
    /// int sigqueue(pid_t pid, int sig, const union sigval value);   sigqueue(3)
    public static final CIntFunction SIGQUEUE = Libc.intFunction("sigqueue");

    /// sigset_t as glibc declares it: 1024 bits, of which the kernel uses the first 64; signal N
    /// is bit (N - 1) of the first 64-bit word.
    public static final SequenceLayout SIGSET = MemoryLayout.sequenceLayout(16, JAVA_LONG);
    /// struct sigaction as glibc declares it.
    public static final StructLayout SIGACTION_T = MemoryLayout.structLayout(
            ADDRESS.withName("sa_handler"),
            SIGSET.withName("sa_mask"),
            JAVA_INT.withName("sa_flags"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("sa_restorer"));
    /// int sigaction(int signum, const struct sigaction *act, struct sigaction *oldact);
    /// sigaction(2); with act NULL it only reads the disposition.
    public static final CIntFunction SIGACTION = Libc.intFunction("sigaction");
    /// sa_handler read as a number, to compare with [#SIG_DFL] and [#SIG_IGN].
    public static final VarHandle SA_HANDLER = SIGACTION_T.varHandle(PathElement.groupElement("sa_handler"));

    /// int pthread_sigmask(int how, const sigset_t *set, sigset_t *oldset);   pthread_sigmask(3);
    /// returns an error number. Changes the mask of the calling thread only.
    public static final CIntFunction PTHREAD_SIGMASK = Libc.intFunction("pthread_sigmask");
    /// SIG_BLOCK, for pthread_sigmask.
    public static final int SIG_BLOCK = 0;
    /// SIG_SETMASK, for pthread_sigmask.
    public static final int SIG_SETMASK = 2;

    /// int signalfd(int fd, const sigset_t *mask, int flags);   signalfd(2)
    public static final CIntFunction SIGNALFD = Libc.intFunction("signalfd");

    /// struct signalfd_siginfo, what a read(2) of a signalfd answers for one signal.
    public static final StructLayout SIGNALFD_SIGINFO = MemoryLayout.structLayout(
            JAVA_INT.withName("ssi_signo"),
            JAVA_INT.withName("ssi_errno"),
            JAVA_INT.withName("ssi_code"),
            JAVA_INT.withName("ssi_pid"),
            JAVA_INT.withName("ssi_uid"),
            JAVA_INT.withName("ssi_fd"),
            JAVA_INT.withName("ssi_tid"),
            JAVA_INT.withName("ssi_band"),
            JAVA_INT.withName("ssi_overrun"),
            JAVA_INT.withName("ssi_trapno"),
            JAVA_INT.withName("ssi_status"),
            JAVA_INT.withName("ssi_int"),
            JAVA_LONG.withName("ssi_ptr"),
            JAVA_LONG.withName("ssi_utime"),
            JAVA_LONG.withName("ssi_stime"),
            JAVA_LONG.withName("ssi_addr"),
            JAVA_SHORT.withName("ssi_addr_lsb"),
            MemoryLayout.paddingLayout(2),
            JAVA_INT.withName("ssi_syscall"),
            JAVA_LONG.withName("ssi_call_addr"),
            JAVA_INT.withName("ssi_arch"),
            MemoryLayout.paddingLayout(28));
    /// ssi_signo
    public static final VarHandle SSI_SIGNO = field("ssi_signo");
    /// ssi_code
    public static final VarHandle SSI_CODE = field("ssi_code");
    /// ssi_pid
    public static final VarHandle SSI_PID = field("ssi_pid");
    /// ssi_uid
    public static final VarHandle SSI_UID = field("ssi_uid");
    /// ssi_int, the sival_int of a sigqueue(3) value
    public static final VarHandle SSI_INT = field("ssi_int");

    /// SFD_CLOEXEC
    public static final int SFD_CLOEXEC = FcntlH.O_CLOEXEC;
    /// SIG_DFL as a handler value.
    public static final long SIG_DFL = 0;
    /// SIG_IGN as a handler value.
    public static final long SIG_IGN = 1;

    /// si_code SI_USER: kill(2).
    public static final int SI_USER = 0;
    /// si_code SI_KERNEL: sent by the kernel.
    public static final int SI_KERNEL = 0x80;
    /// si_code SI_QUEUE: sigqueue(3).
    public static final int SI_QUEUE = -1;
    /// si_code SI_TIMER: a POSIX timer expired.
    public static final int SI_TIMER = -2;
    /// si_code SI_MESGQ: a POSIX message queue became non-empty.
    public static final int SI_MESGQ = -3;
    /// si_code SI_TKILL: tkill(2) or tgkill(2).
    public static final int SI_TKILL = -6;
    /// CLD_EXITED, the first si_code of SIGCHLD: the child called _exit(2).
    public static final int CLD_EXITED = 1;
    /// CLD_KILLED: a signal killed the child.
    public static final int CLD_KILLED = 2;
    /// CLD_DUMPED: a signal killed the child and it dumped core.
    public static final int CLD_DUMPED = 3;
    /// CLD_CONTINUED, the last si_code of SIGCHLD.
    public static final int CLD_CONTINUED = 6;

    /// Writes the signals of `kernelMask` (bit N - 1 for signal N) into `sigset`, a segment of
    /// [#SIGSET]'s size: the same bits sigemptyset(3) and sigaddset(3) would set.
    public static void fill(MemorySegment sigset, long kernelMask) {
        sigset.fill((byte) 0);
        sigset.set(JAVA_LONG, 0, kernelMask);
    }

    private static VarHandle field(String name) {
        return SIGNALFD_SIGINFO.varHandle(PathElement.groupElement(name));
    }

    static {
        Abi.check("sigset_t", SIGSET, 128);
        Abi.check("struct sigaction", SIGACTION_T, 152);
        Abi.check("struct signalfd_siginfo", SIGNALFD_SIGINFO, 128);
        Abi.check("union sigval", SIGVAL, 8);
    }
}
