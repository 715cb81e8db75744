package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/// Raw bindings for <sys/prctl.h> and the seccomp(2) structures. No policy here.
public final class PrctlH {
    private PrctlH() {}

    /// int prctl(int option, ... /* unsigned long arg2..arg5 */);   prctl(2)
    public static final CIntFunction PRCTL = Libc.intFunction("prctl");

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
    /// BPF_ALU | BPF_AND | BPF_K: A &= k
    public static final short BPF_ALU_AND_K = 0x54;

    // ioctl requests the filter allows (asm-generic/ioctls.h, asm-generic/termbits-common.h,
    // linux/fs.h, linux/sockios.h; the _IOR/_IOW values as computed by the compiler from the headers).
    // x86_64 and aarch64 share these numbers: both use the asm-generic ioctl encoding.
    /// TCGETS
    public static final int TCGETS = 0x5401;
    /// TCSETS
    public static final int TCSETS = 0x5402;
    /// TCSETSW
    public static final int TCSETSW = 0x5403;
    /// TCSETSF
    public static final int TCSETSF = 0x5404;
    /// TCSBRK (tcdrain, tcsendbreak)
    public static final int TCSBRK = 0x5409;
    /// TCFLSH (tcflush)
    public static final int TCFLSH = 0x540b;
    /// TIOCGPGRP (tcgetpgrp)
    public static final int TIOCGPGRP = 0x540f;
    /// TIOCOUTQ
    public static final int TIOCOUTQ = 0x5411;
    /// TIOCGWINSZ
    public static final int TIOCGWINSZ = 0x5413;
    /// FIONREAD
    public static final int FIONREAD = 0x541b;
    /// TIOCPKT
    public static final int TIOCPKT = 0x5420;
    /// FIONBIO
    public static final int FIONBIO = 0x5421;
    /// TIOCGSID (tcgetsid)
    public static final int TIOCGSID = 0x5429;
    /// TCGETS2, _IOR('T', 0x2A, struct termios2)
    public static final int TCGETS2 = 0x802c542a;
    /// TCSETS2, _IOW('T', 0x2B, struct termios2)
    public static final int TCSETS2 = 0x402c542b;
    /// TCSETSW2, _IOW('T', 0x2C, struct termios2)
    public static final int TCSETSW2 = 0x402c542c;
    /// TCSETSF2, _IOW('T', 0x2D, struct termios2)
    public static final int TCSETSF2 = 0x402c542d;
    /// TIOCGPTN, _IOR('T', 0x30, unsigned int)
    public static final int TIOCGPTN = 0x80045430;
    /// TIOCSPTLCK, _IOW('T', 0x31, int)
    public static final int TIOCSPTLCK = 0x40045431;
    /// TIOCGPTLCK, _IOR('T', 0x39, int)
    public static final int TIOCGPTLCK = 0x80045439;
    /// TIOCGPTPEER, _IO('T', 0x41)
    public static final int TIOCGPTPEER = 0x5441;
    /// FIONCLEX
    public static final int FIONCLEX = 0x5450;
    /// FIOCLEX
    public static final int FIOCLEX = 0x5451;
    /// FIOQSIZE
    public static final int FIOQSIZE = 0x5460;
    /// FIGETBSZ, _IO(0x00, 2)
    public static final int FIGETBSZ = 0x2;
    /// BLKSSZGET, _IO(0x12, 104)
    public static final int BLKSSZGET = 0x1268;
    /// BLKGETSIZE64, _IOR(0x12, 114, size_t)
    public static final int BLKGETSIZE64 = 0x80081272;
    /// FS_IOC_GETFLAGS, _IOR('f', 1, long)
    public static final int FS_IOC_GETFLAGS = 0x80086601;
    /// FS_IOC_FIEMAP, _IOWR('f', 11, struct fiemap)
    public static final int FS_IOC_FIEMAP = 0xc020660b;
    /// FS_IOC_GETVERSION, _IOR('v', 1, long)
    public static final int FS_IOC_GETVERSION = 0x80087601;
    /// FICLONE, _IOW(0x94, 9, int)
    public static final int FICLONE = 0x40049409;
    /// FICLONERANGE, _IOW(0x94, 13, struct file_clone_range)
    public static final int FICLONERANGE = 0x4020940d;
    /// FIDEDUPERANGE, _IOWR(0x94, 54, struct file_dedupe_range)
    public static final int FIDEDUPERANGE = 0xc0189436;
    /// SIOCATMARK
    public static final int SIOCATMARK = 0x8905;
    /// SIOCGSTAMP_OLD (SIOCGSTAMP on 64-bit)
    public static final int SIOCGSTAMP_OLD = 0x8906;
    /// SIOCGSTAMPNS_OLD (SIOCGSTAMPNS on 64-bit)
    public static final int SIOCGSTAMPNS_OLD = 0x8907;
    /// SIOCGSTAMP_NEW, _IOR(0x89, 0x06, long long[2])
    public static final int SIOCGSTAMP_NEW = 0x80108906;
    /// SIOCGSTAMPNS_NEW, _IOR(0x89, 0x07, long long[2])
    public static final int SIOCGSTAMPNS_NEW = 0x80108907;
    /// SIOCGIFNAME
    public static final int SIOCGIFNAME = 0x8910;
    /// SIOCGIFCONF
    public static final int SIOCGIFCONF = 0x8912;
    /// SIOCGIFFLAGS
    public static final int SIOCGIFFLAGS = 0x8913;
    /// SIOCGIFADDR
    public static final int SIOCGIFADDR = 0x8915;
    /// SIOCGIFDSTADDR
    public static final int SIOCGIFDSTADDR = 0x8917;
    /// SIOCGIFBRDADDR
    public static final int SIOCGIFBRDADDR = 0x8919;
    /// SIOCGIFNETMASK
    public static final int SIOCGIFNETMASK = 0x891b;
    /// SIOCGIFMETRIC
    public static final int SIOCGIFMETRIC = 0x891d;
    /// SIOCGIFMTU
    public static final int SIOCGIFMTU = 0x8921;
    /// SIOCGIFHWADDR
    public static final int SIOCGIFHWADDR = 0x8927;
    /// SIOCGIFINDEX
    public static final int SIOCGIFINDEX = 0x8933;

    // fcntl commands (asm-generic/fcntl.h, linux/fcntl.h: F_LINUX_SPECIFIC_BASE is 1024).
    // F_GETFD, F_SETFD, F_GETFL and F_DUPFD_CLOEXEC are in FcntlH.
    /// F_DUPFD
    public static final int F_DUPFD = 0;
    /// F_SETFL
    public static final int F_SETFL = 4;
    /// F_GETLK
    public static final int F_GETLK = 5;
    /// F_SETLK
    public static final int F_SETLK = 6;
    /// F_SETLKW
    public static final int F_SETLKW = 7;
    /// F_SETOWN
    public static final int F_SETOWN = 8;
    /// F_GETOWN
    public static final int F_GETOWN = 9;
    /// F_SETSIG
    public static final int F_SETSIG = 10;
    /// F_GETSIG
    public static final int F_GETSIG = 11;
    /// F_SETOWN_EX
    public static final int F_SETOWN_EX = 15;
    /// F_GETOWN_EX
    public static final int F_GETOWN_EX = 16;
    /// F_OFD_GETLK
    public static final int F_OFD_GETLK = 36;
    /// F_OFD_SETLK
    public static final int F_OFD_SETLK = 37;
    /// F_OFD_SETLKW
    public static final int F_OFD_SETLKW = 38;
    /// F_SETLEASE
    public static final int F_SETLEASE = 1024;
    /// F_GETLEASE
    public static final int F_GETLEASE = 1025;
    /// F_NOTIFY
    public static final int F_NOTIFY = 1026;
    /// F_DUPFD_QUERY (6.10; not in this machine's 6.1 headers)
    public static final int F_DUPFD_QUERY = 1027;
    /// F_CREATED_QUERY (6.12; not in this machine's 6.1 headers)
    public static final int F_CREATED_QUERY = 1028;
    /// F_SETPIPE_SZ
    public static final int F_SETPIPE_SZ = 1031;
    /// F_GETPIPE_SZ
    public static final int F_GETPIPE_SZ = 1032;
    /// F_ADD_SEALS
    public static final int F_ADD_SEALS = 1033;
    /// F_GET_SEALS
    public static final int F_GET_SEALS = 1034;
    /// F_SEAL_SEAL: no further seals can be added
    public static final int F_SEAL_SEAL = 1;
    /// F_SEAL_SHRINK
    public static final int F_SEAL_SHRINK = 2;
    /// F_SEAL_GROW
    public static final int F_SEAL_GROW = 4;
    /// F_SEAL_WRITE
    public static final int F_SEAL_WRITE = 8;
    /// F_GET_RW_HINT
    public static final int F_GET_RW_HINT = 1035;
    /// F_SET_RW_HINT
    public static final int F_SET_RW_HINT = 1036;
    /// F_GET_FILE_RW_HINT
    public static final int F_GET_FILE_RW_HINT = 1037;
    /// F_SET_FILE_RW_HINT
    public static final int F_SET_FILE_RW_HINT = 1038;
    /// O_ASYNC (FASYNC), asm-generic/fcntl.h
    public static final int O_ASYNC = 020000;

    // clone flags (linux/sched.h).
    /// CLONE_PARENT
    public static final int CLONE_PARENT = 0x00008000;
    /// CLONE_NEWNS
    public static final int CLONE_NEWNS = 0x00020000;
    /// CLONE_NEWCGROUP
    public static final int CLONE_NEWCGROUP = 0x02000000;
    /// CLONE_NEWUTS
    public static final int CLONE_NEWUTS = 0x04000000;
    /// CLONE_NEWIPC
    public static final int CLONE_NEWIPC = 0x08000000;
    /// CLONE_NEWUSER
    public static final int CLONE_NEWUSER = 0x10000000;
    /// CLONE_NEWPID
    public static final int CLONE_NEWPID = 0x20000000;
    /// CLONE_NEWNET
    public static final int CLONE_NEWNET = 0x40000000;

    /// IPPROTO_TCP (netinet/in.h)
    public static final int IPPROTO_TCP = 6;
    /// IPPROTO_UDP (netinet/in.h)
    public static final int IPPROTO_UDP = 17;
    /// The socket type bits of socket(2)'s type (SOCK_TYPE_MASK in the kernel's linux/net.h)
    public static final int SOCK_TYPE_MASK = 0xf;
    /// IOPRIO_WHO_PROCESS, ioprio_set(2)'s `which` for one process or thread
    public static final int IOPRIO_WHO_PROCESS = 1;
    /// PRIO_PROCESS, setpriority(2)'s `which` for one process
    public static final int PRIO_PROCESS = 0;

    static {
        Abi.check("struct sock_filter", SOCK_FILTER, 8);
        Abi.check("struct sock_fprog", SOCK_FPROG, 16);
    }
}
