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

    // The broker's filter (BrokerFilter): classic BPF opcodes, struct seccomp_data offsets,
    // audit architectures and the values its guards compare.
    /// BPF_LD | BPF_W | BPF_ABS: load the 32-bit word at offset k of struct seccomp_data
    public static final short BPF_LD_W_ABS = 0x20;
    /// BPF_JMP | BPF_JA: jump k instructions forward (32-bit offset)
    public static final short BPF_JMP_JA = 0x05;
    /// BPF_JMP | BPF_JEQ | BPF_K: A == k (unsigned)
    public static final short BPF_JMP_JEQ_K = 0x15;
    /// BPF_JMP | BPF_JGE | BPF_K: A >= k (unsigned)
    public static final short BPF_JMP_JGE_K = 0x35;
    /// BPF_JMP | BPF_JSET | BPF_K: (A & k) != 0
    public static final short BPF_JMP_JSET_K = 0x45;
    /// BPF_MAXINSNS, the longest program the kernel accepts
    public static final int BPF_MAXINSNS = 4096;
    /// offsetof(struct seccomp_data, nr)
    public static final int SECCOMP_DATA_NR = 0;
    /// offsetof(struct seccomp_data, arch)
    public static final int SECCOMP_DATA_ARCH = 4;
    /// offsetof(struct seccomp_data, args): six __u64, low half first on little-endian
    public static final int SECCOMP_DATA_ARGS = 16;
    /// AUDIT_ARCH_X86_64 (EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE)
    public static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    /// AUDIT_ARCH_AARCH64 (EM_AARCH64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE)
    public static final int AUDIT_ARCH_AARCH64 = 0xc00000b7;
    /// __X32_SYSCALL_BIT, set in the number of x32 syscalls on x86_64
    public static final int X32_SYSCALL_BIT = 0x40000000;
    /// SECCOMP_RET_KILL_PROCESS
    public static final int SECCOMP_RET_KILL_PROCESS = 0x80000000;
    /// SECCOMP_RET_ERRNO, or'ed with the errno in its low 16 bits (SECCOMP_RET_DATA)
    public static final int SECCOMP_RET_ERRNO = 0x00050000;
    /// SECCOMP_RET_DATA, the errno part of SECCOMP_RET_ERRNO
    public static final int SECCOMP_RET_DATA = 0x0000ffff;
    /// TIOCSTI, ioctl pushing a byte into a terminal's input queue
    public static final int TIOCSTI = 0x5412;
    /// TIOCLINUX, ioctl of the Linux console (selection paste injects input)
    public static final int TIOCLINUX = 0x541c;
    /// IOPRIO_WHO_PROCESS, ioprio_set(2)'s `which` for one process or thread
    public static final int IOPRIO_WHO_PROCESS = 1;
    /// PRIO_PROCESS, setpriority(2)'s `which` for one process
    public static final int PRIO_PROCESS = 0;

    static {
        Abi.check("struct sock_filter", SOCK_FILTER, 8);
        Abi.check("struct sock_fprog", SOCK_FPROG, 16);
    }
}
