package org.posix4j.internal;

import static org.posix4j.internal.FcntlH.F_DUPFD_CLOEXEC;
import static org.posix4j.internal.FcntlH.F_GETFD;
import static org.posix4j.internal.FcntlH.F_GETFL;
import static org.posix4j.internal.FcntlH.F_SETFD;
import static org.posix4j.internal.PrctlH.AUDIT_ARCH_AARCH64;
import static org.posix4j.internal.PrctlH.AUDIT_ARCH_X86_64;
import static org.posix4j.internal.PrctlH.BLKGETSIZE64;
import static org.posix4j.internal.PrctlH.BLKSSZGET;
import static org.posix4j.internal.PrctlH.BPF_ALU_AND_K;
import static org.posix4j.internal.PrctlH.BPF_JMP_JA;
import static org.posix4j.internal.PrctlH.BPF_JMP_JEQ_K;
import static org.posix4j.internal.PrctlH.BPF_JMP_JGE_K;
import static org.posix4j.internal.PrctlH.BPF_JMP_JSET_K;
import static org.posix4j.internal.PrctlH.BPF_LD_W_ABS;
import static org.posix4j.internal.PrctlH.BPF_MAXINSNS;
import static org.posix4j.internal.PrctlH.BPF_RET_K;
import static org.posix4j.internal.PrctlH.CLONE_NEWCGROUP;
import static org.posix4j.internal.PrctlH.CLONE_NEWIPC;
import static org.posix4j.internal.PrctlH.CLONE_NEWNET;
import static org.posix4j.internal.PrctlH.CLONE_NEWNS;
import static org.posix4j.internal.PrctlH.CLONE_NEWPID;
import static org.posix4j.internal.PrctlH.CLONE_NEWUSER;
import static org.posix4j.internal.PrctlH.CLONE_NEWUTS;
import static org.posix4j.internal.PrctlH.CLONE_PARENT;
import static org.posix4j.internal.PrctlH.FICLONE;
import static org.posix4j.internal.PrctlH.FICLONERANGE;
import static org.posix4j.internal.PrctlH.FIDEDUPERANGE;
import static org.posix4j.internal.PrctlH.FIGETBSZ;
import static org.posix4j.internal.PrctlH.FIOCLEX;
import static org.posix4j.internal.PrctlH.FIONBIO;
import static org.posix4j.internal.PrctlH.FIONCLEX;
import static org.posix4j.internal.PrctlH.FIONREAD;
import static org.posix4j.internal.PrctlH.FIOQSIZE;
import static org.posix4j.internal.PrctlH.FS_IOC_FIEMAP;
import static org.posix4j.internal.PrctlH.FS_IOC_GETFLAGS;
import static org.posix4j.internal.PrctlH.FS_IOC_GETVERSION;
import static org.posix4j.internal.PrctlH.F_ADD_SEALS;
import static org.posix4j.internal.PrctlH.F_CREATED_QUERY;
import static org.posix4j.internal.PrctlH.F_DUPFD;
import static org.posix4j.internal.PrctlH.F_DUPFD_QUERY;
import static org.posix4j.internal.PrctlH.F_GETLEASE;
import static org.posix4j.internal.PrctlH.F_GETLK;
import static org.posix4j.internal.PrctlH.F_GETOWN;
import static org.posix4j.internal.PrctlH.F_GETOWN_EX;
import static org.posix4j.internal.PrctlH.F_GETPIPE_SZ;
import static org.posix4j.internal.PrctlH.F_GETSIG;
import static org.posix4j.internal.PrctlH.F_GET_FILE_RW_HINT;
import static org.posix4j.internal.PrctlH.F_GET_RW_HINT;
import static org.posix4j.internal.PrctlH.F_GET_SEALS;
import static org.posix4j.internal.PrctlH.F_NOTIFY;
import static org.posix4j.internal.PrctlH.F_OFD_GETLK;
import static org.posix4j.internal.PrctlH.F_OFD_SETLK;
import static org.posix4j.internal.PrctlH.F_OFD_SETLKW;
import static org.posix4j.internal.PrctlH.F_SETFL;
import static org.posix4j.internal.PrctlH.F_SETLK;
import static org.posix4j.internal.PrctlH.F_SETLKW;
import static org.posix4j.internal.PrctlH.F_SETOWN;
import static org.posix4j.internal.PrctlH.F_SETOWN_EX;
import static org.posix4j.internal.PrctlH.F_SETPIPE_SZ;
import static org.posix4j.internal.PrctlH.F_SETSIG;
import static org.posix4j.internal.PrctlH.F_SET_FILE_RW_HINT;
import static org.posix4j.internal.PrctlH.F_SET_RW_HINT;
import static org.posix4j.internal.PrctlH.IOPRIO_WHO_PROCESS;
import static org.posix4j.internal.PrctlH.IPPROTO_TCP;
import static org.posix4j.internal.PrctlH.IPPROTO_UDP;
import static org.posix4j.internal.PrctlH.O_ASYNC;
import static org.posix4j.internal.PrctlH.PRIO_PROCESS;
import static org.posix4j.internal.PrctlH.SECCOMP_DATA_ARCH;
import static org.posix4j.internal.PrctlH.SECCOMP_DATA_ARGS;
import static org.posix4j.internal.PrctlH.SECCOMP_DATA_NR;
import static org.posix4j.internal.PrctlH.SECCOMP_FILTER_FLAG_NEW_LISTENER;
import static org.posix4j.internal.PrctlH.SECCOMP_RET_ALLOW;
import static org.posix4j.internal.PrctlH.SECCOMP_RET_DATA;
import static org.posix4j.internal.PrctlH.SECCOMP_RET_ERRNO;
import static org.posix4j.internal.PrctlH.SECCOMP_RET_KILL_PROCESS;
import static org.posix4j.internal.PrctlH.SECCOMP_RET_USER_NOTIF;
import static org.posix4j.internal.PrctlH.SIOCATMARK;
import static org.posix4j.internal.PrctlH.SIOCGIFADDR;
import static org.posix4j.internal.PrctlH.SIOCGIFBRDADDR;
import static org.posix4j.internal.PrctlH.SIOCGIFCONF;
import static org.posix4j.internal.PrctlH.SIOCGIFDSTADDR;
import static org.posix4j.internal.PrctlH.SIOCGIFFLAGS;
import static org.posix4j.internal.PrctlH.SIOCGIFHWADDR;
import static org.posix4j.internal.PrctlH.SIOCGIFINDEX;
import static org.posix4j.internal.PrctlH.SIOCGIFMETRIC;
import static org.posix4j.internal.PrctlH.SIOCGIFMTU;
import static org.posix4j.internal.PrctlH.SIOCGIFNAME;
import static org.posix4j.internal.PrctlH.SIOCGIFNETMASK;
import static org.posix4j.internal.PrctlH.SIOCGSTAMPNS_NEW;
import static org.posix4j.internal.PrctlH.SIOCGSTAMPNS_OLD;
import static org.posix4j.internal.PrctlH.SIOCGSTAMP_NEW;
import static org.posix4j.internal.PrctlH.SIOCGSTAMP_OLD;
import static org.posix4j.internal.PrctlH.SOCK_TYPE_MASK;
import static org.posix4j.internal.PrctlH.TCFLSH;
import static org.posix4j.internal.PrctlH.TCGETS;
import static org.posix4j.internal.PrctlH.TCGETS2;
import static org.posix4j.internal.PrctlH.TCSBRK;
import static org.posix4j.internal.PrctlH.TCSETS;
import static org.posix4j.internal.PrctlH.TCSETS2;
import static org.posix4j.internal.PrctlH.TCSETSF;
import static org.posix4j.internal.PrctlH.TCSETSF2;
import static org.posix4j.internal.PrctlH.TCSETSW;
import static org.posix4j.internal.PrctlH.TCSETSW2;
import static org.posix4j.internal.PrctlH.TIOCGPGRP;
import static org.posix4j.internal.PrctlH.TIOCGPTLCK;
import static org.posix4j.internal.PrctlH.TIOCGPTN;
import static org.posix4j.internal.PrctlH.TIOCGPTPEER;
import static org.posix4j.internal.PrctlH.TIOCGSID;
import static org.posix4j.internal.PrctlH.TIOCGWINSZ;
import static org.posix4j.internal.PrctlH.TIOCOUTQ;
import static org.posix4j.internal.PrctlH.TIOCPKT;
import static org.posix4j.internal.PrctlH.TIOCSPTLCK;
import static org.posix4j.internal.PrctlH.X32_SYSCALL_BIT;
import static org.posix4j.internal.SocketH.AF_INET;
import static org.posix4j.internal.SocketH.AF_INET6;
import static org.posix4j.internal.SocketH.AF_UNIX;
import static org.posix4j.internal.SocketH.SOCK_DGRAM;
import static org.posix4j.internal.SocketH.SOCK_STREAM;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.posix4j.Errno;
import org.posix4j.internal.BrokerSyscalls.Mode;
import org.posix4j.internal.BrokerSyscalls.Rule;
import org.posix4j.internal.BrokerSyscalls.Treatment;

/// Compiles [BrokerSyscalls] into the classic BPF seccomp program of the broker's slave end, for
/// one [Mode]: in [Mode#KERNEL] the path calls a Landlock ruleset governs are allowed, so the
/// caller must have installed that ruleset (handling every right of
/// [BrokerSyscalls#kernelRights()]) before the filter.
///
/// The program kills the process for a foreign architecture (the i386 `int 0x80` entry) or,
/// on x86_64, an x32 syscall number, then finds the syscall number with a balanced binary
/// search over runs of consecutive numbers that share a treatment: every syscall of every
/// sandboxed program runs it, so the path is logarithmic, never a linear scan. Numbers the table
/// does not know fail with ENOSYS. Guards that look an argument up in a list (the ioctl request,
/// the fcntl command, the socket family) search it the same way. Guards compare the low 32 bits
/// of an argument only (the upper half of an `int` argument is not reliable), except for
/// pointers, whose two halves must both be zero to count as NULL.
///
/// Stateless; safe to use from any thread.
public final class BrokerFilter {
    private BrokerFilter() {}

    /// One classic BPF instruction, as in `struct sock_filter`.
    ///
    /// @param code the opcode
    /// @param jt the jump offset when a conditional jump's condition holds
    /// @param jf the jump offset when it does not
    /// @param k the operand
    public record Insn(short code, byte jt, byte jf, int k) {
        /// Written out: a record's generated `equals` links method handles on its first call,
        /// a few milliseconds of every sandbox's start, where compiling the program compares
        /// instructions.
        @Override
        public boolean equals(Object o) {
            return o instanceof Insn i && code == i.code && jt == i.jt && jf == i.jf && k == i.k;
        }

        /// Consistent with [#equals(Object)], and written out for the same reason.
        @Override
        public int hashCode() {
            return ((code * 31 + jt) * 31 + jf) * 31 + k;
        }
    }

    private static final List<Insn> RET_ALLOW = List.of(ret(SECCOMP_RET_ALLOW));
    private static final List<Insn> RET_NOTIF = List.of(ret(SECCOMP_RET_USER_NOTIF));

    /// The ioctl requests the IOCTL guard allows: terminal modes and queries, descriptor flags,
    /// file queries and clones onto descriptors open for writing, read-only socket and interface
    /// queries. FIOASYNC is not among them: on a terminal it makes the terminal's foreground
    /// process group, possibly the supervisor's, the owner of SIGIO.
    private static final int[] IOCTLS = {
        TCGETS, TCSETS, TCSETSW, TCSETSF, TCGETS2, TCSETS2, TCSETSW2, TCSETSF2, TCSBRK, TCFLSH,
        TIOCGWINSZ, TIOCGPGRP, TIOCGSID, TIOCOUTQ, TIOCPKT, TIOCGPTN, TIOCSPTLCK, TIOCGPTLCK, TIOCGPTPEER,
        FIONREAD, FIONBIO, FIONCLEX, FIOCLEX, FIOQSIZE,
        FS_IOC_GETFLAGS, FS_IOC_GETVERSION, FIGETBSZ, FS_IOC_FIEMAP, FICLONE, FICLONERANGE, FIDEDUPERANGE,
        BLKGETSIZE64, BLKSSZGET,
        SIOCATMARK, SIOCGSTAMP_OLD, SIOCGSTAMPNS_OLD, SIOCGSTAMP_NEW, SIOCGSTAMPNS_NEW,
        SIOCGIFNAME, SIOCGIFCONF, SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFDSTADDR, SIOCGIFBRDADDR, SIOCGIFNETMASK,
        SIOCGIFMETRIC, SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFINDEX,
    };

    /// The fcntl commands the FCNTL guard allows outright: descriptor flags, locks, the signal
    /// number of SIGIO (its target is what F_SETOWN sets, which the master checks), dnotify (which
    /// signals the caller), pipe sizes, seals, write hints and the queries. F_SETFL is allowed
    /// unless it sets O_ASYNC; F_SETOWN and F_SETOWN_EX go to the master.
    private static final int[] FCNTLS = {
        F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_GETLK, F_SETLK, F_SETLKW, F_GETOWN, F_SETSIG, F_GETSIG,
        F_GETOWN_EX, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_GETLEASE, F_NOTIFY, F_DUPFD_QUERY,
        F_CREATED_QUERY, F_DUPFD_CLOEXEC, F_SETPIPE_SZ, F_GETPIPE_SZ, F_ADD_SEALS, F_GET_SEALS,
        F_GET_RW_HINT, F_SET_RW_HINT, F_GET_FILE_RW_HINT, F_SET_FILE_RW_HINT,
    };

    /// The options the SETSOCKOPT guard refuses at SOL_IP: IP_OPTIONS, whose source routes send
    /// each packet to a first hop of the program's choosing instead of the address the master
    /// allowed, and the multicast memberships and their source filters (IP_ADD_MEMBERSHIP to
    /// MCAST_MSFILTER): a join makes the kernel send IGMP reports naming the group, with no
    /// destination for the master to decide on (under `--no-network` too).
    private static final int[] IP_REFUSED = with(new int[] {SocketH.IP_OPTIONS},
            SocketH.IP_ADD_MEMBERSHIP, SocketH.MCAST_MSFILTER);

    /// The options the SETSOCKOPT guard refuses at SOL_IPV6: routing headers (IPV6_RTHDR, RFC
    /// 2292's IPV6_2292RTHDR and the sticky IPV6_2292PKTOPTIONS that may carry one), the next hop,
    /// and the multicast and anycast memberships (MLD reports), for IP_REFUSED's reasons.
    private static final int[] IPV6_REFUSED = with(
            new int[] {SocketH.IPV6_2292RTHDR, SocketH.IPV6_2292PKTOPTIONS, SocketH.IPV6_NEXTHOP,
                SocketH.IPV6_ADD_MEMBERSHIP, SocketH.IPV6_DROP_MEMBERSHIP, SocketH.IPV6_JOIN_ANYCAST,
                SocketH.IPV6_LEAVE_ANYCAST, SocketH.IPV6_RTHDR},
            SocketH.MCAST_JOIN_GROUP, SocketH.MCAST_MSFILTER);

    /// The clone flags the CLONE guard refuses: new namespaces (CLONE_NEWTIME shares its bit
    /// with clone's exit signal and is asked for through clone3 and unshare only, both refused),
    /// and CLONE_PARENT, which would make a sibling of the sandboxed program a child of the
    /// supervisor.
    private static final int CLONE_REFUSED = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET
            | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP | CLONE_PARENT;

    /// The guard of each GUARD syscall; [#guard] emits its code.
    private enum Guard {
        SETPGID, SECCOMP, IOCTL, FCNTL, SOCKET, SOCKETPAIR, CLONE, SENDTO, SELF, SETPRIORITY, IOPRIO_SET,
        RENAMEAT2, SETSOCKOPT,
        /// File-creating calls in kernel mode (creat and mknod, with the mode as second argument;
        /// mknodat, third; open and openat, with their flags before the mode): setuid or setgid
        /// bits in the mode of a file being created (which Landlock does not govern) send the
        /// call to the master, which drops them from an open and refuses a mknod. An open that
        /// creates nothing (neither O_CREAT nor O_TMPFILE) goes to the kernel whatever its mode
        /// says, unless it has both access-mode bits (O_ACCMODE): such an open goes to the master
        /// too.
        SETID_MODE_1, SETID_MODE_2, SETID_OPEN, SETID_OPENAT;

        /// Whether this is a SETID guard, which sends a call with setuid or setgid bits to the
        /// master.
        boolean looksAtSetidBits() {
            return this == SETID_MODE_1 || this == SETID_MODE_2 || this == SETID_OPEN || this == SETID_OPENAT;
        }

        /// The argument index of the mode, for the SETID guards.
        int modeArgument() {
            return switch (this) {
                case SETID_MODE_1 -> 1;
                case SETID_MODE_2, SETID_OPEN -> 2;
                case SETID_OPENAT -> 3;
                default -> throw new IllegalStateException(name() + " has no mode argument");
            };
        }

        /// The argument index of the open flags, -1 for a call that always creates.
        int flagsArgument() {
            return switch (this) {
                case SETID_OPEN -> 1;
                case SETID_OPENAT -> 2;
                default -> -1;
            };
        }
    }

    private static final int SETID_BITS = SysStatH.S_ISUID | SysStatH.S_ISGID;
    /// The access-mode bits of the open flags, both set in an ioctl-only open.
    private static final int O_ACCMODE = 3;
    /// The open flags that create a file: O_CREAT, and __O_TMPFILE (O_TMPFILE without its
    /// O_DIRECTORY bit); the same values on x86_64 and aarch64.
    private static final int CREATING = FcntlH.O_CREAT | 020000000;

    /// renameat2's flag that leaves a whiteout (a 0:0 character device) at the source: Landlock
    /// checks no MAKE_CHAR for it, so it goes to the master, which refuses it in every mode.
    private static final int RENAME_WHITEOUT = 1 << 2;

    private static final Map<String, Guard> GUARDS = new HashMap<>();

    static {
        GUARDS.put("setpgid", Guard.SETPGID);
        GUARDS.put("seccomp", Guard.SECCOMP);
        GUARDS.put("ioctl", Guard.IOCTL);
        GUARDS.put("fcntl", Guard.FCNTL);
        GUARDS.put("socket", Guard.SOCKET);
        GUARDS.put("socketpair", Guard.SOCKETPAIR);
        GUARDS.put("clone", Guard.CLONE);
        GUARDS.put("sendto", Guard.SENDTO);
        for (String self : List.of("prlimit64", "sched_setaffinity", "sched_setparam", "sched_setscheduler",
                "sched_setattr", "migrate_pages", "move_pages", "get_robust_list")) {
            GUARDS.put(self, Guard.SELF);
        }
        GUARDS.put("setpriority", Guard.SETPRIORITY);
        GUARDS.put("ioprio_set", Guard.IOPRIO_SET);
        GUARDS.put("renameat2", Guard.RENAMEAT2);
        GUARDS.put("setsockopt", Guard.SETSOCKOPT);
        GUARDS.put("creat", Guard.SETID_MODE_1);
        GUARDS.put("mknod", Guard.SETID_MODE_1);
        GUARDS.put("open", Guard.SETID_OPEN);
        GUARDS.put("mknodat", Guard.SETID_MODE_2);
        GUARDS.put("openat", Guard.SETID_OPENAT);
        for (Rule r : BrokerSyscalls.all()) {
            boolean guarded = r.treatment() == Treatment.GUARD || r.kernel() == Treatment.GUARD;
            if (guarded != GUARDS.containsKey(r.name())) {
                throw new ExceptionInInitializerError("guard of " + r.name() + " does not match its rule");
            }
        }
        // A guard that refuses needs the errno its rule documents; SENDTO, SOCKET, RENAMEAT2 and
        // the SETID guards only allow or broker.
        for (Map.Entry<String, Guard> g : GUARDS.entrySet()) {
            boolean refuses = g.getValue() != Guard.SENDTO && g.getValue() != Guard.SOCKET
                    && g.getValue() != Guard.RENAMEAT2 && !g.getValue().looksAtSetidBits();
            if (refuses != (BrokerSyscalls.rule(g.getKey()).errno() > 0)) {
                throw new ExceptionInInitializerError("errno of the guard of " + g.getKey() + " does not match its rule");
            }
        }
    }

    /// A run of values from `start` (unsigned) up to the next run's start, and the code that ends
    /// in the run's returns.
    private record Run(int start, List<Insn> code) {}

    /// The program for `arch` (a [Syscalls#arch()] name: "x86_64" or "aarch64") in [Mode#BROKER].
    ///
    /// @param supervisorPgid the process group of the posix4j JVM, which the program may not join;
    ///     0 when that group lies outside the JVM's pid namespace (getpgrp(2) answers 0), where
    ///     the program cannot name it, so setpgid needs no guard
    /// @throws IllegalArgumentException if `arch` is not x86_64 or aarch64, or the pgid is
    ///     negative
    public static List<Insn> instructions(String arch, int supervisorPgid) {
        return instructions(arch, supervisorPgid, Mode.BROKER);
    }

    /// The program for `arch` (a [Syscalls#arch()] name: "x86_64" or "aarch64") in `mode`.
    ///
    /// @param supervisorPgid the process group of the posix4j JVM, which the program may not join
    ///     (0: outside the pid namespace, see [#instructions(String, int)])
    /// @param mode whose treatments to compile
    /// @throws IllegalArgumentException if `arch` is not x86_64 or aarch64, or the pgid is
    ///     negative
    public static List<Insn> instructions(String arch, int supervisorPgid, Mode mode) {
        return instructions(arch, supervisorPgid, mode, BrokerSyscalls.all());
    }

    /// [#instructions(String, int, Mode)] for the table `rules`; the tests compile tables larger
    /// than the real one to reach the long-jump paths.
    static List<Insn> instructions(String arch, int supervisorPgid, Mode mode, List<Rule> rules) {
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(mode, "mode");
        if (supervisorPgid < 0) {
            throw new IllegalArgumentException("supervisorPgid: negative: " + supervisorPgid);
        }
        int auditArch = switch (arch) {
            case "x86_64" -> AUDIT_ARCH_X86_64;
            case "aarch64" -> AUDIT_ARCH_AARCH64;
            default -> throw new IllegalArgumentException("arch: not x86_64 or aarch64: " + arch);
        };
        List<Insn> out = new ArrayList<>();
        out.add(load(SECCOMP_DATA_ARCH));
        out.add(jump(BPF_JMP_JEQ_K, auditArch, 1, 0));
        out.add(ret(SECCOMP_RET_KILL_PROCESS));
        out.add(load(SECCOMP_DATA_NR));
        if (arch.equals("x86_64")) {
            out.add(jump(BPF_JMP_JSET_K, X32_SYSCALL_BIT, 0, 1));
            out.add(ret(SECCOMP_RET_KILL_PROCESS));
        }
        Map<Integer, List<Insn>> byNr = new HashMap<>();
        for (Rule r : rules) {
            int nr = r.number(arch);
            if (nr >= 0) {
                byNr.put(nr, code(r, r.treatment(mode), supervisorPgid, mode));
            }
        }
        List<Run> runs = runs(byNr, List.of(ret(retErrno(Errno.ENOSYS.number()))));
        out.addAll(tree(runs, 0, runs.size()));
        if (out.size() > BPF_MAXINSNS) {
            throw new IllegalStateException("broker filter has " + out.size() + " instructions, more than " + BPF_MAXINSNS);
        }
        return List.copyOf(out);
    }

    /// [#instructions(String, int)] as a `struct sock_fprog` ([PrctlH#SOCK_FPROG]) pointing at a
    /// `struct sock_filter` array, both allocated in `arena`, ready for
    /// seccomp(SECCOMP_SET_MODE_FILTER): the [Mode#BROKER] program.
    ///
    /// @throws IllegalArgumentException as [#instructions(String, int)] does
    public static MemorySegment program(Arena arena, String arch, int supervisorPgid) {
        return program(arena, arch, supervisorPgid, Mode.BROKER);
    }

    /// [#instructions(String, int, Mode)] as a `struct sock_fprog` ([PrctlH#SOCK_FPROG]) pointing
    /// at a `struct sock_filter` array, both allocated in `arena`, ready for
    /// seccomp(SECCOMP_SET_MODE_FILTER). A [Mode#KERNEL] program is only as strict as the
    /// [Mode#BROKER] one under a Landlock ruleset that handles [BrokerSyscalls#kernelRights()],
    /// installed first.
    ///
    /// @throws IllegalArgumentException as [#instructions(String, int, Mode)] does
    public static MemorySegment program(Arena arena, String arch, int supervisorPgid, Mode mode) {
        Objects.requireNonNull(arena, "arena");
        List<Insn> insns = instructions(arch, supervisorPgid, mode);
        MemorySegment filter = arena.allocate(MemoryLayout.sequenceLayout(insns.size(), PrctlH.SOCK_FILTER));
        // Laid out in a buffer and copied at once: a segment's typed accessors link method
        // handles for each layout on their first use, milliseconds of a sandbox's start.
        ByteBuffer bytes = ByteBuffer.allocate((int) filter.byteSize()).order(ByteOrder.nativeOrder());
        for (Insn insn : insns) {
            bytes.putShort(insn.code()).put(insn.jt()).put(insn.jf()).putInt(insn.k());
        }
        filter.copyFrom(MemorySegment.ofArray(bytes.array()));
        MemorySegment prog = arena.allocate(PrctlH.SOCK_FPROG);
        ByteBuffer header = ByteBuffer.allocate((int) prog.byteSize()).order(ByteOrder.nativeOrder());
        // The pointer is 64 bits wide on the two architectures posix4j supports.
        header.putShort(0, (short) insns.size())
                .putLong((int) PrctlH.SOCK_FPROG.byteOffset(MemoryLayout.PathElement.groupElement("filter")),
                        filter.address());
        prog.copyFrom(MemorySegment.ofArray(header.array()));
        return prog;
    }

    /// The code a syscall's number leads to under `treatment`, its rule's in `mode`, the mode
    /// compiled.
    private static List<Insn> code(Rule r, Treatment treatment, int pgid, Mode mode) {
        return switch (treatment) {
            case ALLOW -> RET_ALLOW;
            case BROKER -> RET_NOTIF;
            case DENY -> List.of(ret(retErrno(r.errno())));
            case GUARD -> guard(GUARDS.get(r.name()), r.errno(), pgid, mode);
        };
    }

    /// The runs of equal code over all 2^32 values: `cases` where it has a value, `otherwise`
    /// elsewhere. Adjacent values with equal code share a run.
    private static List<Run> runs(Map<Integer, List<Insn>> cases, List<Insn> otherwise) {
        TreeMap<Integer, List<Insn>> sorted = new TreeMap<>(Integer::compareUnsigned);
        sorted.putAll(cases);
        List<Run> runs = new ArrayList<>();
        runs.add(new Run(0, otherwise));
        for (Map.Entry<Integer, List<Insn>> e : sorted.entrySet()) {
            int value = e.getKey();
            add(runs, value, e.getValue());
            if (value != -1) {
                add(runs, value + 1, otherwise);
            }
        }
        return runs;
    }

    /// Starts a run at `start` (not below the last run's start), replacing a run that starts there
    /// and joining the last run when the code is the same.
    private static void add(List<Run> runs, int start, List<Insn> code) {
        if (runs.getLast().start() == start) {
            runs.removeLast();
        }
        if (runs.isEmpty() || !runs.getLast().code().equals(code)) {
            runs.add(new Run(start, code));
        }
    }

    /// Runs `[from, to)` as a binary search on the accumulator: the left half inline after the
    /// comparison, the right half after it, reached by the conditional jump (or by a BPF_JA when
    /// the left half is longer than an 8-bit offset reaches).
    private static List<Insn> tree(List<Run> runs, int from, int to) {
        if (to - from == 1) {
            return runs.get(from).code();
        }
        int mid = (from + to) >>> 1;
        List<Insn> left = tree(runs, from, mid);
        List<Insn> right = tree(runs, mid, to);
        List<Insn> out = new ArrayList<>(left.size() + right.size() + 2);
        int split = runs.get(mid).start();
        if (left.size() <= 0xff) {
            out.add(jump(BPF_JMP_JGE_K, split, left.size(), 0));
        } else {
            out.add(jump(BPF_JMP_JGE_K, split, 0, 1));
            out.add(new Insn(BPF_JMP_JA, (byte) 0, (byte) 0, left.size()));
        }
        out.addAll(left);
        out.addAll(right);
        return out;
    }

    /// Loads the low half of args[`arg`] and searches `cases` for it; `otherwise` for a value not
    /// among them.
    private static List<Insn> lookup(int arg, Map<Integer, List<Insn>> cases, List<Insn> otherwise) {
        List<Run> runs = runs(cases, otherwise);
        List<Insn> out = new ArrayList<>();
        out.add(load(arg(arg)));
        out.addAll(tree(runs, 0, runs.size()));
        return out;
    }

    /// `values`, then every value from `from` to `to` (both included).
    private static int[] with(int[] values, int from, int to) {
        int[] all = Arrays.copyOf(values, values.length + to - from + 1);
        for (int v = from; v <= to; v++) {
            all[values.length + v - from] = v;
        }
        return all;
    }

    /// `code` for each of `values`.
    private static Map<Integer, List<Insn>> each(int[] values, List<Insn> code) {
        Map<Integer, List<Insn>> m = new HashMap<>();
        for (int v : values) {
            m.put(v, code);
        }
        return m;
    }

    /// The code of one guard in `mode`; it ends in returns, so it needs no jump out.
    private static List<Insn> guard(Guard guard, int errno, int pgid, Mode mode) {
        List<Insn> deny = List.of(ret(retErrno(errno)));
        return switch (guard) {
            case SETPGID -> pgid == 0 ? RET_ALLOW : equalsDenies(arg(1), pgid, deny.getFirst());
            case SECCOMP -> List.of(
                    load(arg(1)),
                    jump(BPF_JMP_JSET_K, SECCOMP_FILTER_FLAG_NEW_LISTENER, 1, 0),
                    ret(SECCOMP_RET_ALLOW),
                    deny.getFirst());
            // The kernel takes the request as an unsigned int, so its low half is all it reads.
            case IOCTL -> lookup(1, each(IOCTLS, RET_ALLOW), deny);
            case FCNTL -> {
                Map<Integer, List<Insn>> cases = each(FCNTLS, RET_ALLOW);
                cases.put(F_SETOWN, RET_NOTIF);
                cases.put(F_SETOWN_EX, RET_NOTIF);
                // O_ASYNC on a terminal makes its foreground process group the owner of SIGIO.
                cases.put(F_SETFL, List.of(
                        load(arg(2)),
                        jump(BPF_JMP_JSET_K, O_ASYNC, 1, 0),
                        ret(SECCOMP_RET_ALLOW),
                        deny.getFirst()));
                yield lookup(1, cases, deny);
            }
            case SOCKET -> {
                // inet and inet6: stream or datagram (the type's flag bits do not matter; the
                // kernel rejects unknown ones) over the default protocol, TCP or UDP.
                List<Insn> inet = List.of(
                        load(arg(1)),
                        new Insn(BPF_ALU_AND_K, (byte) 0, (byte) 0, SOCK_TYPE_MASK),
                        jump(BPF_JMP_JEQ_K, SOCK_STREAM, 1, 0),
                        jump(BPF_JMP_JEQ_K, SOCK_DGRAM, 0, 4),
                        load(arg(2)),
                        jump(BPF_JMP_JEQ_K, 0, 3, 0),
                        jump(BPF_JMP_JEQ_K, IPPROTO_TCP, 2, 0),
                        jump(BPF_JMP_JEQ_K, IPPROTO_UDP, 1, 0),
                        ret(SECCOMP_RET_USER_NOTIF),
                        ret(SECCOMP_RET_ALLOW));
                yield lookup(0, Map.of(AF_UNIX, RET_ALLOW, AF_INET, inet, AF_INET6, inet), RET_NOTIF);
            }
            case SOCKETPAIR -> List.of(
                    load(arg(0)),
                    jump(BPF_JMP_JEQ_K, AF_UNIX, 0, 1),
                    ret(SECCOMP_RET_ALLOW),
                    deny.getFirst());
            // clone's flags are args[0] on x86_64 and aarch64 alike (only the tls and child_tid
            // arguments trade places); the kernel reads their low 32 bits.
            case CLONE -> List.of(
                    load(arg(0)),
                    jump(BPF_JMP_JSET_K, CLONE_REFUSED, 1, 0),
                    ret(SECCOMP_RET_ALLOW),
                    deny.getFirst());
            case SENDTO -> nullPointer(4, SECCOMP_RET_ALLOW, SECCOMP_RET_USER_NOTIF);
            case SELF -> List.of(
                    load(arg(0)),
                    jump(BPF_JMP_JEQ_K, 0, 0, 1),
                    ret(SECCOMP_RET_ALLOW),
                    deny.getFirst());
            case SETPRIORITY -> bothEqualAllow(PRIO_PROCESS, 0, retErrno(errno));
            case IOPRIO_SET -> bothEqualAllow(IOPRIO_WHO_PROCESS, 0, retErrno(errno));
            // The flags are an unsigned int: the low half is all the kernel reads.
            case RENAMEAT2 -> List.of(
                    load(arg(4)),
                    jump(BPF_JMP_JSET_K, RENAME_WHITEOUT, 1, 0),
                    ret(SECCOMP_RET_ALLOW),
                    ret(SECCOMP_RET_USER_NOTIF));
            // The level and the option name are ints: their low halves are all the kernel reads.
            case SETSOCKOPT -> lookup(1, Map.of(
                    SocketH.SOL_IP, lookup(2, each(IP_REFUSED, deny), RET_ALLOW),
                    SocketH.SOL_IPV6, lookup(2, each(IPV6_REFUSED, deny), RET_ALLOW)), RET_ALLOW);
            case SETID_MODE_1, SETID_MODE_2, SETID_OPEN, SETID_OPENAT -> {
                List<Insn> code = new ArrayList<>();
                // The conditional jumps that send the call to the master, patched below to land
                // on the final USER_NOTIF.
                List<Integer> toMaster = new ArrayList<>();
                if (guard.flagsArgument() >= 0) {
                    // Both access-mode bits (Linux's ioctl-only open) ask Landlock for no right,
                    // yet the descriptor reads the file's extended attributes: the master
                    // decides, as in broker mode.
                    code.add(load(arg(guard.flagsArgument())));
                    code.add(new Insn(BPF_ALU_AND_K, (byte) 0, (byte) 0, O_ACCMODE));
                    toMaster.add(code.size());
                    code.add(jump(BPF_JMP_JEQ_K, O_ACCMODE, 0, 0));
                    if (mode == Mode.KERNEL_HIDING_METADATA) {
                        // O_PATH asks Landlock for no right either, and its descriptor stats the
                        // file (fstat, statx with AT_EMPTY_PATH), enters a directory (fchdir)
                        // and looks names up in it: metadata this mode hides.
                        code.add(load(arg(guard.flagsArgument())));
                        toMaster.add(code.size());
                        code.add(jump(BPF_JMP_JSET_K, FcntlH.O_PATH, 0, 0));
                    }
                    code.add(load(arg(guard.flagsArgument())));
                    code.add(jump(BPF_JMP_JSET_K, CREATING, 0, 2));
                }
                code.add(load(arg(guard.modeArgument())));
                code.add(jump(BPF_JMP_JSET_K, SETID_BITS, 1, 0));
                code.add(ret(SECCOMP_RET_ALLOW));
                code.add(ret(SECCOMP_RET_USER_NOTIF));
                int notif = code.size() - 1;
                for (int at : toMaster) {
                    Insn j = code.get(at);
                    code.set(at, jump(j.code(), j.k(), notif - at - 1, 0));
                }
                yield code;
            }
        };
    }

    /// Denies when the low half of the argument at `offset` equals `value`; allows otherwise.
    private static List<Insn> equalsDenies(int offset, int value, Insn deny) {
        return List.of(
                load(offset),
                jump(BPF_JMP_JEQ_K, value, 1, 0),
                ret(SECCOMP_RET_ALLOW),
                deny);
    }

    /// `ifNull` when both halves of pointer argument `arg` are zero, `otherwise` else.
    private static List<Insn> nullPointer(int arg, int ifNull, int otherwise) {
        return List.of(
                load(arg(arg)),
                jump(BPF_JMP_JEQ_K, 0, 0, 3),
                load(arg(arg) + 4),
                jump(BPF_JMP_JEQ_K, 0, 0, 1),
                ret(ifNull),
                ret(otherwise));
    }

    /// Allows when args[0] equals `which` and args[1] equals `who` (low halves); denies otherwise.
    private static List<Insn> bothEqualAllow(int which, int who, int deny) {
        return List.of(
                load(arg(0)),
                jump(BPF_JMP_JEQ_K, which, 0, 3),
                load(arg(1)),
                jump(BPF_JMP_JEQ_K, who, 0, 1),
                ret(SECCOMP_RET_ALLOW),
                ret(deny));
    }

    /// The offset of the low half of args[i] in struct seccomp_data (both architectures are
    /// little-endian).
    private static int arg(int i) {
        return SECCOMP_DATA_ARGS + 8 * i;
    }

    private static int retErrno(int errno) {
        return SECCOMP_RET_ERRNO | (errno & SECCOMP_RET_DATA);
    }

    private static Insn load(int offset) {
        return new Insn(BPF_LD_W_ABS, (byte) 0, (byte) 0, offset);
    }

    private static Insn jump(short code, int k, int jt, int jf) {
        return new Insn(code, (byte) jt, (byte) jf, k);
    }

    private static Insn ret(int k) {
        return new Insn(BPF_RET_K, (byte) 0, (byte) 0, k);
    }
}
