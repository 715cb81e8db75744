package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/// Raw bindings for <sys/prctl.h> and the seccomp(2) structures. No policy here.
public final class PrctlH {
    private PrctlH() {}

    /// int prctl(int option, ... /* unsigned long arg2..arg5 */);   prctl(2)
    public static final MethodHandle PRCTL = Libc.errnoSetting("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));

    /// PR_SET_NO_NEW_PRIVS
    public static final int PR_SET_NO_NEW_PRIVS = 38;

    /// struct sock_filter, one classic BPF instruction.
    public static final StructLayout SOCK_FILTER = MemoryLayout.structLayout(
            JAVA_SHORT.withName("code"),
            JAVA_BYTE.withName("jt"),
            JAVA_BYTE.withName("jf"),
            JAVA_INT.withName("k"));
    /// struct sock_fprog
    public static final StructLayout SOCK_FPROG = MemoryLayout.structLayout(
            JAVA_SHORT.withName("len"),
            MemoryLayout.paddingLayout(6),
            ADDRESS.withName("filter"));

    /// SECCOMP_SET_MODE_FILTER
    public static final int SECCOMP_SET_MODE_FILTER = 1;
    /// SECCOMP_GET_ACTION_AVAIL
    public static final int SECCOMP_GET_ACTION_AVAIL = 2;
    /// SECCOMP_FILTER_FLAG_NEW_LISTENER
    public static final int SECCOMP_FILTER_FLAG_NEW_LISTENER = 1 << 3;
    /// SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
    public static final int SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV = 1 << 5;
    /// SECCOMP_RET_ALLOW
    public static final int SECCOMP_RET_ALLOW = 0x7fff0000;
    /// SECCOMP_RET_USER_NOTIF
    public static final int SECCOMP_RET_USER_NOTIF = 0x7fc00000;
    /// SECCOMP_IOCTL_NOTIF_SET_FLAGS, _IOW('!', 4, __u64)
    public static final long SECCOMP_IOCTL_NOTIF_SET_FLAGS = 0x40082104L;
    /// SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
    public static final long SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP = 1;
    /// BPF_RET | BPF_K
    public static final short BPF_RET_K = 0x06;

    static {
        Abi.check("struct sock_filter", SOCK_FILTER, 8);
        Abi.check("struct sock_fprog", SOCK_FPROG, 16);
    }
}
