package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.posix4j.internal.PrctlH.AUDIT_ARCH_AARCH64;
import static org.posix4j.internal.PrctlH.AUDIT_ARCH_X86_64;
import static org.posix4j.internal.PrctlH.BPF_JMP_JA;
import static org.posix4j.internal.PrctlH.BPF_JMP_JEQ_K;
import static org.posix4j.internal.PrctlH.BPF_JMP_JGE_K;
import static org.posix4j.internal.PrctlH.BPF_JMP_JSET_K;
import static org.posix4j.internal.PrctlH.BPF_LD_W_ABS;
import static org.posix4j.internal.PrctlH.BPF_MAXINSNS;
import static org.posix4j.internal.PrctlH.BPF_RET_K;
import static org.posix4j.internal.PrctlH.IOPRIO_WHO_PROCESS;
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
import static org.posix4j.internal.PrctlH.TIOCLINUX;
import static org.posix4j.internal.PrctlH.TIOCSTI;
import static org.posix4j.internal.PrctlH.X32_SYSCALL_BIT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.posix4j.Errno;
import org.posix4j.internal.BrokerSyscalls.Rule;
import org.posix4j.internal.BrokerSyscalls.Treatment;

/// Compiles [BrokerSyscalls] into the classic BPF seccomp program of the broker's slave end.
///
/// The program kills the process for a foreign architecture (the i386 `int 0x80` entry) or,
/// on x86_64, an x32 syscall number, then finds the syscall number with a balanced binary
/// search over runs of consecutive numbers that share a treatment: every syscall of every
/// sandboxed program runs it, so the path is logarithmic, never a linear scan. Numbers the table
/// does not know fail with ENOSYS. Guards compare the low 32 bits of an argument only (the upper
/// half of an `int` argument is not reliable), except for pointers, whose two halves must both be
/// zero to count as NULL.
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
    public record Insn(short code, byte jt, byte jf, int k) {}

    private static final int RET_ENOSYS = retErrno(Errno.ENOSYS.number());
    private static final int SIGN_BIT = 0x80000000;

    /// The guard of each GUARD syscall; [#guard] emits its code.
    private enum Guard { KILL, TGID, FCNTL_OWNER, SETPGID, SECCOMP, IOCTL, SENDTO, UTIMENSAT, SELF, SETPRIORITY, IOPRIO_SET }

    private static final Map<String, Guard> GUARDS = new HashMap<>();

    static {
        GUARDS.put("fcntl", Guard.FCNTL_OWNER);
        GUARDS.put("setpgid", Guard.SETPGID);
        GUARDS.put("seccomp", Guard.SECCOMP);
        GUARDS.put("ioctl", Guard.IOCTL);
        GUARDS.put("sendto", Guard.SENDTO);
        GUARDS.put("utimensat", Guard.UTIMENSAT);
        for (String self : List.of("prlimit64", "sched_setaffinity", "sched_setparam", "sched_setscheduler",
                "sched_setattr", "migrate_pages", "move_pages", "get_robust_list")) {
            GUARDS.put(self, Guard.SELF);
        }
        GUARDS.put("setpriority", Guard.SETPRIORITY);
        GUARDS.put("ioprio_set", Guard.IOPRIO_SET);
        for (Rule r : BrokerSyscalls.all()) {
            if ((r.treatment() == Treatment.GUARD) != GUARDS.containsKey(r.name())) {
                throw new ExceptionInInitializerError("guard of " + r.name() + " does not match its rule");
            }
        }
    }

    /// What one run of syscall numbers ends in: a return value, or a guard with its errno.
    private record Leaf(int ret, Guard guard, int errno) {
        static Leaf of(Rule r) {
            return switch (r.treatment()) {
                case ALLOW -> new Leaf(SECCOMP_RET_ALLOW, null, 0);
                case BROKER -> new Leaf(SECCOMP_RET_USER_NOTIF, null, 0);
                case DENY -> new Leaf(retErrno(r.errno()), null, 0);
                case GUARD -> new Leaf(0, GUARDS.get(r.name()), r.errno());
            };
        }
    }

    /// A run of numbers from `start` up to the next run's start.
    private record Run(int start, Leaf leaf) {}

    /// The program for `arch` (a [Syscalls#arch()] name: "x86_64" or "aarch64").
    ///
    /// @param supervisorPid the pid of the posix4j JVM, which the signal guards protect
    /// @param supervisorPgid its process group
    /// @throws IllegalArgumentException if `arch` is not x86_64 or aarch64, or a pid or pgid is
    ///     not positive
    public static List<Insn> instructions(String arch, int supervisorPid, int supervisorPgid) {
        return instructions(arch, supervisorPid, supervisorPgid, BrokerSyscalls.all());
    }

    /// [#instructions(String, int, int)] for the table `rules`; the tests compile tables larger
    /// than the real one to reach the long-jump paths.
    static List<Insn> instructions(String arch, int supervisorPid, int supervisorPgid, List<Rule> rules) {
        Objects.requireNonNull(arch, "arch");
        if (supervisorPid <= 0) {
            throw new IllegalArgumentException("supervisorPid: not positive: " + supervisorPid);
        }
        if (supervisorPgid <= 0) {
            throw new IllegalArgumentException("supervisorPgid: not positive: " + supervisorPgid);
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
        List<Run> runs = runs(arch, rules);
        out.addAll(tree(runs, 0, runs.size(), supervisorPid, supervisorPgid));
        if (out.size() > BPF_MAXINSNS) {
            throw new IllegalStateException("broker filter has " + out.size() + " instructions, more than " + BPF_MAXINSNS);
        }
        return List.copyOf(out);
    }

    /// [#instructions] as a `struct sock_fprog` ([PrctlH#SOCK_FPROG]) pointing at a `struct
    /// sock_filter` array, both allocated in `arena`, ready for seccomp(SECCOMP_SET_MODE_FILTER).
    ///
    /// @throws IllegalArgumentException as [#instructions] does
    public static MemorySegment program(Arena arena, String arch, int supervisorPid, int supervisorPgid) {
        Objects.requireNonNull(arena, "arena");
        List<Insn> insns = instructions(arch, supervisorPid, supervisorPgid);
        MemorySegment filter = arena.allocate(MemoryLayout.sequenceLayout(insns.size(), PrctlH.SOCK_FILTER));
        long size = PrctlH.SOCK_FILTER.byteSize();
        for (int i = 0; i < insns.size(); i++) {
            Insn insn = insns.get(i);
            long at = i * size;
            filter.set(JAVA_SHORT, at, insn.code());
            filter.set(JAVA_BYTE, at + 2, insn.jt());
            filter.set(JAVA_BYTE, at + 3, insn.jf());
            filter.set(JAVA_INT, at + 4, insn.k());
        }
        MemorySegment prog = arena.allocate(PrctlH.SOCK_FPROG);
        prog.set(JAVA_SHORT, 0, (short) insns.size());
        prog.set(ADDRESS, PrctlH.SOCK_FPROG.byteOffset(MemoryLayout.PathElement.groupElement("filter")), filter);
        return prog;
    }

    /// The runs of equal leaves over all 2^32 numbers, ENOSYS wherever the table has no number.
    private static List<Run> runs(String arch, List<Rule> rules) {
        TreeMap<Integer, Leaf> byNr = new TreeMap<>();
        for (Rule r : rules) {
            int nr = r.number(arch);
            if (nr >= 0) {
                byNr.put(nr, Leaf.of(r));
            }
        }
        Leaf unknown = new Leaf(RET_ENOSYS, null, 0);
        List<Run> runs = new ArrayList<>();
        int last = byNr.lastKey();
        for (int nr = 0; nr <= last + 1; nr++) {
            Leaf leaf = byNr.getOrDefault(nr, unknown);
            if (runs.isEmpty() || !runs.getLast().leaf().equals(leaf)) {
                runs.add(new Run(nr, leaf));
            }
        }
        return runs;
    }

    /// Runs `[from, to)` as a binary search: the left half inline after the comparison, the right
    /// half after it, reached by the conditional jump (or by a BPF_JA when the left half is longer
    /// than an 8-bit offset reaches).
    private static List<Insn> tree(List<Run> runs, int from, int to, int pid, int pgid) {
        if (to - from == 1) {
            Leaf leaf = runs.get(from).leaf();
            return leaf.guard() == null ? List.of(ret(leaf.ret())) : guard(leaf.guard(), leaf.errno(), pid, pgid);
        }
        int mid = (from + to) >>> 1;
        List<Insn> left = tree(runs, from, mid, pid, pgid);
        List<Insn> right = tree(runs, mid, to, pid, pgid);
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

    /// The code of one guard; it ends in returns, so it needs no jump out.
    private static List<Insn> guard(Guard guard, int errno, int pid, int pgid) {
        int deny = retErrno(errno);
        return switch (guard) {
            // kill(pid, sig): -1 (everyone), the supervisor and its group are refused; a positive
            // pid may be one of the supervisor's threads, which only the master can tell; 0 and
            // other groups cannot reach the supervisor, which runs in a group of its own.
            case KILL -> List.of(
                    load(arg(0)),
                    jump(BPF_JMP_JEQ_K, -1, 6, 0),
                    jump(BPF_JMP_JEQ_K, pid, 5, 0),
                    jump(BPF_JMP_JEQ_K, -pgid, 4, 0),
                    jump(BPF_JMP_JSET_K, SIGN_BIT, 2, 0),
                    jump(BPF_JMP_JEQ_K, 0, 1, 0),
                    ret(SECCOMP_RET_USER_NOTIF),
                    ret(SECCOMP_RET_ALLOW),
                    ret(deny));
            case TGID -> equalsDenies(arg(0), pid, deny);
            // fcntl F_SETOWN (8) and F_SETOWN_EX (15) name a process: the master decides them.
            case FCNTL_OWNER -> List.of(
                    load(arg(1)),
                    jump(BPF_JMP_JEQ_K, 8, 1, 0),
                    jump(BPF_JMP_JEQ_K, 15, 0, 1),
                    ret(SECCOMP_RET_USER_NOTIF),
                    ret(SECCOMP_RET_ALLOW));
            case SETPGID -> equalsDenies(arg(1), pgid, deny);
            case SECCOMP -> List.of(
                    load(arg(1)),
                    jump(BPF_JMP_JSET_K, SECCOMP_FILTER_FLAG_NEW_LISTENER, 1, 0),
                    ret(SECCOMP_RET_ALLOW),
                    ret(deny));
            // The kernel takes the request as an unsigned int, so its low half is all it reads.
            case IOCTL -> List.of(
                    load(arg(1)),
                    jump(BPF_JMP_JEQ_K, TIOCSTI, 2, 0),
                    jump(BPF_JMP_JEQ_K, TIOCLINUX, 1, 0),
                    ret(SECCOMP_RET_ALLOW),
                    ret(deny));
            case SENDTO -> nullPointer(4, SECCOMP_RET_ALLOW, SECCOMP_RET_USER_NOTIF);
            case UTIMENSAT -> nullPointer(1, SECCOMP_RET_ALLOW, deny);
            case SELF -> List.of(
                    load(arg(0)),
                    jump(BPF_JMP_JEQ_K, 0, 0, 1),
                    ret(SECCOMP_RET_ALLOW),
                    ret(deny));
            case SETPRIORITY -> bothEqualAllow(PRIO_PROCESS, 0, deny);
            case IOPRIO_SET -> bothEqualAllow(IOPRIO_WHO_PROCESS, 0, deny);
        };
    }

    /// Denies when the low half of the argument at `offset` equals `value`; allows otherwise.
    private static List<Insn> equalsDenies(int offset, int value, int deny) {
        return List.of(
                load(offset),
                jump(BPF_JMP_JEQ_K, value, 1, 0),
                ret(SECCOMP_RET_ALLOW),
                ret(deny));
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
