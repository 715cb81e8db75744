package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.internal.BrokerFilter.Insn;
import org.posix4j.internal.BrokerSyscalls.Mode;
import org.posix4j.internal.BrokerSyscalls.Rule;
import org.posix4j.process.Resource;
import org.posix4j.process.ResourceLimits;
import org.posix4j.process.Rlimit;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Requires;
import org.posix4j.testing.TimeFactor;

/// The broker's seccomp filter: first its compiled program, run by a small classic BPF evaluator
/// (every table row lands on its treatment, the search is balanced), then the real thing, installed
/// by a child JVM on one thread, which makes raw syscalls and reports what the kernel answered.
class BrokerFilterTest {
    private static final int PGID = 4240;
    private static final int ALLOW = 0x7fff0000;
    private static final int NOTIF = 0x7fc00000;
    private static final int KILL = 0x80000000;

    private static int errno(Errno e) {
        return 0x00050000 | e.number();
    }

    // --- the compiler, checked by evaluating its program ---

    /// What one evaluation returned and how many instructions it executed.
    private record Outcome(int ret, int steps) {}

    /// Runs `prog` on a struct seccomp_data (nr, arch, instruction pointer 0, args) the way the
    /// kernel's classic BPF interpreter does, for the opcodes the compiler may emit.
    private static Outcome run(List<Insn> prog, int nr, int arch, long... args) {
        long[] a = new long[6];
        System.arraycopy(args, 0, a, 0, args.length);
        int acc = 0;
        int steps = 0;
        for (int pc = 0; ; pc++) {
            assertTrue(pc < prog.size(), "fell off the program at " + pc);
            Insn insn = prog.get(pc);
            steps++;
            int jt = Byte.toUnsignedInt(insn.jt());
            int jf = Byte.toUnsignedInt(insn.jf());
            switch (insn.code()) {
                case 0x20 -> acc = word(insn.k(), nr, arch, a);
                case 0x54 -> acc &= insn.k();
                case 0x05 -> pc += insn.k();
                case 0x15 -> pc += acc == insn.k() ? jt : jf;
                case 0x35 -> pc += Integer.compareUnsigned(acc, insn.k()) >= 0 ? jt : jf;
                case 0x45 -> pc += (acc & insn.k()) != 0 ? jt : jf;
                case 0x06 -> {
                    return new Outcome(insn.k(), steps);
                }
                default -> fail("unexpected opcode " + insn.code() + " at " + pc);
            }
        }
    }

    private static int word(int offset, int nr, int arch, long[] args) {
        return switch (offset) {
            case 0 -> nr;
            case 4 -> arch;
            case 8, 12 -> 0;
            default -> {
                assertTrue(offset >= 16 && offset < 64 && offset % 4 == 0, "load at " + offset);
                long arg = args[(offset - 16) / 8];
                yield (offset % 8 == 0) ? (int) arg : (int) (arg >>> 32);
            }
        };
    }

    /// Arguments and the return each guard must give for them in `mode`, per guard syscall.
    private static Map<String, List<Object[]>> guardCases(Mode mode) {
        int eperm = errno(Errno.EPERM);
        int enotty = errno(Errno.ENOTTY);
        int einval = errno(Errno.EINVAL);
        long garbage = 0xdead_beef_0000_0000L;
        Map<String, List<Object[]>> m = new LinkedHashMap<>();
        m.put("setpgid", List.of(
                new Object[] {eperm, new long[] {0, PGID}},
                new Object[] {ALLOW, new long[] {0, 0}},
                new Object[] {ALLOW, new long[] {0, PGID + 1}}));
        m.put("seccomp", List.of(
                new Object[] {eperm, new long[] {1, 8}},
                new Object[] {eperm, new long[] {1, 8 | 32}},
                new Object[] {ALLOW, new long[] {1, 0}},
                new Object[] {ALLOW, new long[] {2, 0}}));
        List<Object[]> ioctl = new ArrayList<>();
        // TCGETS, FIONREAD, TIOCGWINSZ, TCGETS2, FS_IOC_FIEMAP, FICLONE, SIOCGIFINDEX, FIGETBSZ, the
        // first and last of the list, and a request whose upper half is garbage.
        for (long allowed : new long[] {0x5401, 0x541b, 0x5413, 0x802c542aL, 0xc020660bL, 0x40049409, 0x8933, 2,
                0xc0189436L, garbage | 0x5401}) {
            ioctl.add(new Object[] {ALLOW, new long[] {0, allowed}});
        }
        // TIOCSTI, TIOCLINUX, TCXONC, TIOCSWINSZ, TIOCSPGRP, TIOCSCTTY, TIOCNOTTY, TIOCCONS, FIOASYNC,
        // FIOSETOWN, SIOCSPGRP, FS_IOC_SETFLAGS, FIFREEZE, FITHAW, FS_IOC_SETFSLABEL, SIOCSIFADDR, and
        // the neighbours of allowed requests.
        for (long refused : new long[] {0x5412, garbage | 0x541c, 0x540a, 0x5414, 0x5410, 0x540e, 0x5422, 0x541d,
                0x5452, 0x8901, 0x8902, 0x40086602, 0xc0045877L, 0xc0045878L, 0x41009432, 0x8916, 0, 1, 3, 0x5400,
                0x5405, 0x8934, 0xffff_ffffL}) {
            ioctl.add(new Object[] {enotty, new long[] {0, refused}});
        }
        m.put("ioctl", ioctl);
        List<Object[]> fcntl = new ArrayList<>();
        for (long allowed : new long[] {0, 1, 2, 3, 5, 6, 7, 9, 10, 11, 16, 36, 37, 38, 1025, 1026, 1027, 1028, 1030,
                1031, 1032, 1033, 1034, 1035, 1038, garbage | 3}) {
            fcntl.add(new Object[] {ALLOW, new long[] {3, allowed}});
        }
        for (long refused : new long[] {12, 13, 14, 17, 35, 39, 1024, 1029, 1039, 0x8000_0000L, 0xffff_ffffL}) {
            fcntl.add(new Object[] {einval, new long[] {3, refused}});
        }
        fcntl.add(new Object[] {NOTIF, new long[] {3, 8, 1234}});
        fcntl.add(new Object[] {NOTIF, new long[] {3, 15, 0x7fff_0000L}});
        fcntl.add(new Object[] {ALLOW, new long[] {3, 4, 04000}});
        fcntl.add(new Object[] {ALLOW, new long[] {3, 4, garbage | 04000}});
        fcntl.add(new Object[] {einval, new long[] {3, 4, 020000}});
        fcntl.add(new Object[] {einval, new long[] {3, 4, 024000}});
        m.put("fcntl", fcntl);
        m.put("socket", List.of(
                new Object[] {ALLOW, new long[] {1, 1, 0}},
                new Object[] {ALLOW, new long[] {1, 5 | 0x80000, 0}},
                new Object[] {ALLOW, new long[] {1, 3, 99}},
                new Object[] {ALLOW, new long[] {2, 1, 0}},
                new Object[] {ALLOW, new long[] {2, 1 | 0x80000 | 0x800, 6}},
                new Object[] {ALLOW, new long[] {10, 2, 17}},
                new Object[] {ALLOW, new long[] {garbage | 10, garbage | 2, garbage}},
                new Object[] {NOTIF, new long[] {2, 3, 1}},
                new Object[] {NOTIF, new long[] {2, 3, 0}},
                new Object[] {NOTIF, new long[] {10, 3, 255}},
                new Object[] {NOTIF, new long[] {2, 2, 1}},
                new Object[] {NOTIF, new long[] {2, 1, 262}},
                new Object[] {NOTIF, new long[] {2, 5, 132}},
                new Object[] {NOTIF, new long[] {16, 3, 0}},
                new Object[] {NOTIF, new long[] {17, 3, 0x300}},
                new Object[] {NOTIF, new long[] {0, 1, 0}},
                new Object[] {NOTIF, new long[] {3, 1, 0}}));
        int eafnosupport = errno(Errno.EAFNOSUPPORT);
        m.put("socketpair", List.of(
                new Object[] {ALLOW, new long[] {1, 1, 0}},
                new Object[] {ALLOW, new long[] {garbage | 1, 2, 0}},
                new Object[] {eafnosupport, new long[] {2, 1, 0}},
                new Object[] {eafnosupport, new long[] {10, 2, 0}},
                new Object[] {eafnosupport, new long[] {16, 3, 0}}));
        List<Object[]> clone = new ArrayList<>();
        // fork (SIGCHLD), pthread_create's flags, posix_spawn's, and flags in the upper half.
        for (long allowed : new long[] {17, 0x3d0f00, 0x4111, garbage | 17}) {
            clone.add(new Object[] {ALLOW, new long[] {allowed, 0, 0, 0, 0}});
        }
        for (long ns : new long[] {0x10000000, 0x20000, 0x20000000, 0x40000000, 0x4000000, 0x8000000, 0x2000000,
                0x8000}) {
            clone.add(new Object[] {eperm, new long[] {ns | 17, 0, 0, 0, 0}});
        }
        m.put("clone", clone);
        m.put("sendto", List.of(
                new Object[] {ALLOW, new long[] {3, 1, 1, 0, 0, 0}},
                new Object[] {NOTIF, new long[] {3, 1, 1, 0, 0x7fff_1234_5000L, 16}},
                new Object[] {NOTIF, new long[] {3, 1, 1, 0, 1L << 32, 16}},
                new Object[] {NOTIF, new long[] {3, 1, 1, 0, 0x1000, 16}}));
        for (String self : List.of("prlimit64", "sched_setaffinity", "sched_setparam", "sched_setscheduler",
                "sched_setattr", "migrate_pages", "move_pages", "get_robust_list")) {
            m.put(self, List.of(
                    new Object[] {ALLOW, new long[] {0, 7}},
                    new Object[] {ALLOW, new long[] {garbage, 7}},
                    new Object[] {eperm, new long[] {4242, 7}},
                    new Object[] {eperm, new long[] {1, 7}}));
        }
        m.put("setpriority", List.of(
                new Object[] {ALLOW, new long[] {0, 0, 10}},
                new Object[] {eperm, new long[] {0, 4242, 10}},
                new Object[] {eperm, new long[] {1, 0, 10}},
                new Object[] {eperm, new long[] {2, 0, 10}}));
        // Kernel mode only: RENAME_WHITEOUT (4) goes to the master, every other flag to the kernel.
        // Kernel mode: setuid or setgid bits in a created file's mode go to the master (which
        // drops them from an open and refuses a mknod); every other mode, high garbage included,
        // goes to the kernel.
        int opath = mode == Mode.KERNEL_HIDING_METADATA ? NOTIF : ALLOW;
        m.put("creat", List.of(
                new Object[] {ALLOW, new long[] {0x1000, 0644}},
                new Object[] {ALLOW, new long[] {0x1000, garbage | 01777}},
                new Object[] {NOTIF, new long[] {0x1000, 04755}},
                new Object[] {NOTIF, new long[] {0x1000, garbage | 02700}}));
        m.put("open", List.of(
                new Object[] {ALLOW, new long[] {0x1000, 0x41, 0644}},
                new Object[] {ALLOW, new long[] {0x1000, 0, garbage | 06777}},
                new Object[] {ALLOW, new long[] {0x1000, garbage | 0x2, 06777}},
                new Object[] {NOTIF, new long[] {0x1000, 0x41, 06755}},
                new Object[] {NOTIF, new long[] {0x1000, 3, 0}},
                new Object[] {opath, new long[] {0x1000, 010000000 | 0200000, 0}}));
        m.put("openat", List.of(
                new Object[] {ALLOW, new long[] {-100, 0x1000, 0x41, 0600}},
                new Object[] {ALLOW, new long[] {-100, 0x1000, 0, 04700}},
                new Object[] {NOTIF, new long[] {-100, 0x1000, 0x41, 04700}},
                new Object[] {NOTIF, new long[] {3, 0x1000, 0x410000, 02700}},
                // Both access-mode bits (an ioctl-only open), O_CLOEXEC or not: to the master.
                new Object[] {NOTIF, new long[] {-100, 0x1000, 3, 0}},
                new Object[] {NOTIF, new long[] {-100, 0x1000, garbage | 0x80003, 0}},
                // O_PATH: to the master only where metadata is hidden.
                new Object[] {opath, new long[] {3, 0x1000, 010000000, 0}},
                new Object[] {opath, new long[] {-100, 0x1000, garbage | 010000000 | 0400000, 0}}));
        m.put("mknod", List.of(
                new Object[] {ALLOW, new long[] {0x1000, 0010644, 0}},
                new Object[] {NOTIF, new long[] {0x1000, 0104755, 0}}));
        m.put("mknodat", List.of(
                new Object[] {ALLOW, new long[] {-100, 0x1000, 0140644, 0}},
                new Object[] {NOTIF, new long[] {-100, 0x1000, 0102755, 0}}));
        m.put("renameat2", List.of(
                new Object[] {ALLOW, new long[] {-100, 0x1000, -100, 0x2000, 0}},
                new Object[] {ALLOW, new long[] {-100, 0x1000, -100, 0x2000, 1}},
                new Object[] {ALLOW, new long[] {-100, 0x1000, -100, 0x2000, 2}},
                new Object[] {ALLOW, new long[] {-100, 0x1000, -100, 0x2000, garbage | 3}},
                new Object[] {NOTIF, new long[] {-100, 0x1000, -100, 0x2000, 4}},
                new Object[] {NOTIF, new long[] {-100, 0x1000, -100, 0x2000, 5}},
                new Object[] {NOTIF, new long[] {-100, 0x1000, -100, 0x2000, 0xffff_ffffL}}));
        // Options that route packets or join groups are refused at SOL_IP (0) and SOL_IPV6 (41);
        // the same numbers at other levels, and the other options, are allowed.
        List<Object[]> setsockopt = new ArrayList<>();
        long[][] allowed = {{1, 2}, {0, 1}, {0, 33}, {0, 34}, {0, 49}, {41, 26}, {6, 4}, {6, 35}, {1, 57},
            {garbage | 1, garbage | 2}};
        for (long[] a : allowed) {
            setsockopt.add(new Object[] {ALLOW, new long[] {3, a[0], a[1], 0x1000, 4}});
        }
        long[][] refused = {{0, 4}, {garbage, garbage | 4}, {0, 35}, {0, 39}, {0, 42}, {0, 46}, {0, 48}, {41, 5},
            {41, 6}, {41, 9}, {41, 20}, {41, 21}, {41, 27}, {41, 28}, {41, 42}, {41, 48}, {garbage | 41, 57}};
        for (long[] a : refused) {
            setsockopt.add(new Object[] {eperm, new long[] {3, a[0], a[1], 0x1000, 8}});
        }
        m.put("setsockopt", setsockopt);
        m.put("ioprio_set", List.of(
                new Object[] {ALLOW, new long[] {1, 0, 0x6000}},
                new Object[] {eperm, new long[] {1, 4242, 0x6000}},
                new Object[] {eperm, new long[] {2, 0, 0x6000}},
                new Object[] {eperm, new long[] {3, 0, 0x6000}}));
        return m;
    }

    @Test
    void everyRowLandsOnItsTreatmentOverABalancedSearch() {
        for (Mode mode : Mode.values()) {
            everyRowLandsOnItsTreatmentOverABalancedSearch(mode);
        }
        assertEquals(guardCases(Mode.KERNEL).keySet(), guardRows(), "guard test cases and GUARD rows differ");
    }

    private static void everyRowLandsOnItsTreatmentOverABalancedSearch(Mode mode) {
        Map<String, List<Object[]>> guards = guardCases(mode);
        int longest = 0;
        for (String arch : List.of("x86_64", "aarch64")) {
            int audit = arch.equals("x86_64") ? 0xc000003e : 0xc00000b7;
            List<Insn> prog = BrokerFilter.instructions(arch, PGID, mode);
            if (mode == Mode.BROKER) {
                assertEquals(prog, BrokerFilter.instructions(arch, PGID), "the two-argument form compiles BROKER");
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Rule r : BrokerSyscalls.all()) {
                int nr = r.number(arch);
                if (nr < 0) {
                    continue;
                }
                switch (r.treatment(mode)) {
                    case ALLOW -> outcomes.add(expect(ALLOW, prog, nr, audit, r, 0x1234, 7));
                    case BROKER -> outcomes.add(expect(NOTIF, prog, nr, audit, r, 0x1234, 7));
                    case DENY -> outcomes.add(expect(0x00050000 | r.errno(), prog, nr, audit, r, 0x1234, 7));
                    case GUARD -> {
                        List<Object[]> cases = guards.get(r.name());
                        assertTrue(cases != null, "no test cases for the guard of " + r.name());
                        for (Object[] c : cases) {
                            outcomes.add(expect((int) c[0], prog, nr, audit, r, (long[]) c[1]));
                        }
                    }
                }
            }
            for (int nr = 0; nr < 1100; nr++) {
                if (BrokerSyscalls.nameOf(arch, nr) == null) {
                    outcomes.add(expect(errno(Errno.ENOSYS), prog, nr, audit, null));
                }
            }
            for (int nr : new int[] {0x3fff_ffff, 1 << 20}) {
                outcomes.add(expect(errno(Errno.ENOSYS), prog, nr, audit, null));
            }
            int other = arch.equals("x86_64") ? 0xc00000b7 : 0xc000003e;
            assertEquals(KILL, run(prog, 0, other).ret(), arch + ": foreign architecture");
            assertEquals(KILL, run(prog, 0, 0x40000003).ret(), arch + ": i386 entry");
            int x32 = arch.equals("x86_64") ? KILL : errno(Errno.ENOSYS);
            assertEquals(x32, run(prog, 0x4000_0000 | 39, audit).ret(), arch + ": x32 number");
            assertEquals(x32, run(prog, -1, audit).ret(), arch + ": number -1");
            int max = outcomes.stream().mapToInt(Outcome::steps).max().orElseThrow();
            longest = Math.max(longest, max);
            System.out.println("broker filter " + mode + " " + arch + ": " + prog.size()
                    + " instructions, longest path " + max);
        }
        assertTrue(longest <= 25, mode + ": longest path " + longest + " instructions: the search is not balanced");
    }

    private static Set<String> guardRows() {
        Set<String> s = new LinkedHashSet<>();
        for (Rule r : BrokerSyscalls.all()) {
            for (Mode mode : Mode.values()) {
                if (r.treatment(mode) == BrokerSyscalls.Treatment.GUARD) {
                    s.add(r.name());
                }
            }
        }
        return s;
    }

    private static Outcome expect(int ret, List<Insn> prog, int nr, int arch, Rule r, long... args) {
        Outcome o = run(prog, nr, arch, args);
        if (o.ret() != ret) {
            fail(String.format("nr %d (%s) args %s: expected 0x%08x, got 0x%08x", nr,
                    r == null ? "unknown" : r.name(), Arrays.toString(args), ret, o.ret()));
        }
        return o;
    }

    @Test
    void subtreesBeyondAnEightBitOffsetAreReachedByJa() {
        // The real table fits 8-bit offsets; one of 1500 alternating calls does not.
        List<Rule> rules = new ArrayList<>();
        for (int nr = 0; nr < 1500; nr++) {
            rules.add(nr % 2 == 0
                    ? new Rule("s" + nr, nr, nr, BrokerSyscalls.Treatment.ALLOW, 0, "even")
                    : new Rule("s" + nr, nr, nr, BrokerSyscalls.Treatment.DENY, nr % 7 + 1, "odd"));
        }
        List<Insn> prog = BrokerFilter.instructions("aarch64", PGID, Mode.BROKER, rules);
        assertTrue(prog.stream().anyMatch(i -> i.code() == 0x05), "no BPF_JA in " + prog.size() + " instructions");
        int longest = 0;
        for (Rule r : rules) {
            int ret = r.treatment() == BrokerSyscalls.Treatment.ALLOW ? ALLOW : 0x00050000 | r.errno();
            longest = Math.max(longest, expect(ret, prog, r.aarch64(), 0xc00000b7, r).steps());
        }
        assertEquals(errno(Errno.ENOSYS), run(prog, 1500, 0xc00000b7).ret());
        // 1501 runs: 11 comparisons, at most 11 jumps, the two loads, the arch check and the return.
        assertTrue(longest <= 26, "longest path " + longest);
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException arch = assertThrows(IllegalArgumentException.class,
                () -> BrokerFilter.instructions("riscv64", PGID));
        assertTrue(arch.getMessage().startsWith("arch"), arch.getMessage());
        IllegalArgumentException pgid = assertThrows(IllegalArgumentException.class,
                () -> BrokerFilter.instructions("x86_64", -3));
        assertTrue(pgid.getMessage().startsWith("supervisorPgid"), pgid.getMessage());
        // Group 0: the supervisor's group is outside its pid namespace, so setpgid needs no guard.
        List<Insn> outside = BrokerFilter.instructions("x86_64", 0);
        int setpgid = BrokerSyscalls.rule("setpgid").number("x86_64");
        assertEquals(ALLOW, run(outside, setpgid, 0xc000003e, 0, 0).ret());
        assertEquals(ALLOW, run(outside, setpgid, 0xc000003e, 0, PGID).ret());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> BrokerSyscalls.rule("no_such_call"));
        assertTrue(name.getMessage().startsWith("name"), name.getMessage());
        assertEquals("openat", BrokerSyscalls.nameOf("x86_64", 257));
        assertEquals("openat", BrokerSyscalls.nameOf("aarch64", 56));
        assertEquals(null, BrokerSyscalls.nameOf("aarch64", 1000));
    }

    @Test
    void programIsASockFprogOfTheInstructions() {
        try (Arena arena = Arena.ofConfined()) {
            assertSockFprog(BrokerFilter.program(arena, "x86_64", PGID), BrokerFilter.instructions("x86_64", PGID));
            for (Mode mode : Mode.values()) {
                assertSockFprog(BrokerFilter.program(arena, "x86_64", PGID, mode),
                        BrokerFilter.instructions("x86_64", PGID, mode));
            }
        }
        assertTrue(!BrokerFilter.instructions("x86_64", PGID, Mode.KERNEL)
                .equals(BrokerFilter.instructions("x86_64", PGID, Mode.BROKER)), "the modes compile the same program");
    }

    private static void assertSockFprog(MemorySegment prog, List<Insn> insns) {
        assertEquals(insns.size(), Short.toUnsignedInt(prog.get(JAVA_SHORT, 0)));
        MemorySegment filter = Libc.unbounded(prog.get(ADDRESS, 8));
        for (int i = 0; i < insns.size(); i++) {
            Insn insn = insns.get(i);
            assertEquals(insn.code(), filter.get(JAVA_SHORT, 8L * i));
            assertEquals(insn.jt(), filter.get(JAVA_BYTE, 8L * i + 2));
            assertEquals(insn.jf(), filter.get(JAVA_BYTE, 8L * i + 3));
            assertEquals(insn.k(), filter.get(JAVA_INT, 8L * i + 4));
        }
    }

    // --- the real kernel ---

    @Test
    void kernelAppliesTheFilterToTheThreadThatInstalledIt() throws Exception {
        Requires.that(Syscalls.CURRENT.known(), "no syscall table for " + System.getProperty("os.arch"));
        ChildJvm.Result r = ChildJvm.run(Child.class, "probe").assertSuccess();
        assertEquals(r.value("pid="), r.value("getpid="), "getpid through the filter");
        assertEquals("ok", r.value("installed="));
        assertEquals("ENOSYS", r.value("openat="), "brokered; no listener");
        assertEquals("ENOSYS", r.value("newfstatat="), "brokered; no listener");
        assertEquals("EPERM", r.value("mount="));
        assertEquals("EACCES", r.value("statfs="));
        assertEquals("EOPNOTSUPP", r.value("getxattr="));
        assertEquals("ENOSYS", r.value("io_uring_setup="));
        assertEquals("ENOSYS", r.value("nr1000="));
        for (String signal : List.of("kill_self", "kill_parent", "kill_all", "kill_group", "kill_zero", "tgkill_self",
                "tgkill_parent", "tkill_self", "rt_sigqueueinfo_parent", "pidfd_send_signal")) {
            assertEquals("ENOSYS", r.value(signal + "="), signal + ": brokered; no listener");
        }
        assertEquals("EPERM", r.value("seccomp_listener="));
        assertEquals("0", r.value("seccomp_avail="));
        assertEquals("ENOTTY", r.value("ioctl_tiocsti="));
        assertEquals("0", r.value("ioctl_fionread="));
        assertEquals("ENOTTY", r.value("ioctl_fioasync="));
        assertEquals("ENOTTY", r.value("ioctl_tcxonc="));
        assertEquals("0", r.value("ioctl_tcgets="));
        assertEquals("0", r.value("ioctl_tiocgptn="));
        assertEquals("3", r.value("sendto_null="));
        assertEquals("3", r.value("recvfrom="), "the peer received what sendto sent");
        assertEquals("ENOSYS", r.value("sendto_dest="), "destination: brokered; no listener");
        assertEquals("EINVAL", r.value("fcntl_setlease="));
        assertEquals("EINVAL", r.value("fcntl_async="));
        assertEquals("0", r.value("fcntl_nonblock="));
        assertEquals(Integer.toString(02 | 04000), r.value("fcntl_getfl="), "O_RDWR | O_NONBLOCK, as just set");
        assertEquals("ENOSYS", r.value("fcntl_setown="), "brokered; no listener");
        assertEquals("ENOSYS", r.value("fcntl_setown_ex="), "brokered; no listener");
        assertTrue(Integer.parseInt(r.value("socket_tcp=")) > 2, r.value("socket_tcp="));
        assertTrue(Integer.parseInt(r.value("socket_udp6=")) > 2, r.value("socket_udp6="));
        assertEquals("ENOSYS", r.value("socket_packet="), "brokered; no listener");
        assertEquals("ENOSYS", r.value("socket_netlink="), "brokered; no listener");
        assertEquals("ENOSYS", r.value("socket_raw="), "brokered; no listener");
        assertEquals("EAFNOSUPPORT", r.value("socketpair_inet="));
        assertEquals("ENOSYS", r.value("listen="), "brokered; no listener");
        assertEquals("ENOSYS", r.value("execve="), "brokered; no listener");
        assertEquals("ENOSYS", r.value("chdir="), "brokered; no listener");
        assertEquals("0", r.value("fchdir="));
        assertEquals("EPERM", r.value("clone_newuser="));
        assertEquals("EPERM", r.value("clone_parent="));
        assertEquals("ENOSYS", r.value("clone3="));
        assertEquals("exit 7", r.value("fork="), "clone(SIGCHLD) made a child that exited with 7");
        assertEquals("ran", r.value("thread="), "pthread_create fell back from clone3 to clone");
        assertEquals("EPERM", r.value("unshare="));
        assertEquals("EPERM", r.value("setns="));
        assertEquals("EPERM", r.value("setpgid_supervisor="));
        assertEquals("0", r.value("prlimit_self="));
        assertEquals("EPERM", r.value("prlimit_parent="));
        assertEquals("ENOSYS", r.value("utimensat_fd="), "futimens: brokered; no listener");
        assertEquals("ENOSYS", r.value("utimensat_path="), "brokered; no listener");
        // What the same calls give on an unfiltered thread of the same JVM: the kernel's own answers.
        assertEquals("0", r.value("unfiltered_statfs="));
        assertEquals("0", r.value("unfiltered_kill_self="));
        assertEquals("0", r.value("unfiltered_ioctl_fioasync="));
        assertEquals("0", r.value("unfiltered_ioctl_tcxonc="));
        assertEquals("0", r.value("unfiltered_fcntl_setlease="));
        assertEquals("EINVAL", r.value("unfiltered_clone3="));
        assertEquals("ENOENT", r.value("unfiltered_execve="));
        assertEquals("ENOENT", r.value("unfiltered_chdir="));
    }

    @Test
    void kernelModeLetsTheLandlockCallsThroughAndKeepsTheRest(@TempDir Path dir) throws Exception {
        Requires.that(Syscalls.CURRENT.known(), "no syscall table for " + System.getProperty("os.arch"));
        Path file = Files.writeString(dir.resolve("file"), "0123456789");
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        ChildJvm.Result r = ChildJvm.run(Child.class, "kernel", dir.toString()).assertSuccess();
        assertEquals("ok", r.value("installed="));
        // Allowed: the kernel answers (no listener exists, so a brokered call would be ENOSYS).
        assertTrue(Integer.parseInt(r.value("openat=")) > 2, r.value("openat="));
        assertEquals("10", r.value("read="), "read the file the kernel opened");
        assertEquals("0", r.value("newfstatat="));
        assertEquals("10", r.value("newfstatat_size="), "the kernel's stat of the file");
        assertEquals("ENOENT", r.value("newfstatat_missing="), "kernel mode reveals what does not exist");
        assertEquals("0", r.value("faccessat="));
        assertEquals("0", r.value("mkdirat="));
        assertEquals("0", r.value("symlinkat="));
        assertEquals("0", r.value("linkat="));
        assertEquals("0", r.value("renameat2="));
        assertEquals("0", r.value("truncate="));
        assertEquals("0", r.value("mknodat_fifo="));
        assertEquals("ENOSYS", r.value("mknodat_setuid="), "a set-ID mknod goes to the master, absent here");
        assertEquals("ENOSYS", r.value("openat_setuid="), "a set-ID creating open goes to the master");
        assertEquals("ENOSYS", r.value("openat_ioctl_only="), "an ioctl-only open goes to the master");
        assertEquals("0", r.value("unlinkat="));
        assertEquals("0", r.value("chdir="));
        assertEquals("ENOENT", r.value("execve="), "the kernel looked the program up");
        // What the kernel did, read back here, outside the filter.
        assertTrue(Files.isDirectory(dir.resolve("made")), "mkdirat");
        assertEquals(file.toString(), Files.readSymbolicLink(dir.resolve("made/sym")).toString(), "symlinkat");
        assertEquals(2, (int) Files.getAttribute(file, "unix:nlink"), "linkat: the renamed link and the file");
        assertTrue(Files.exists(dir.resolve("renamed")) && !Files.exists(dir.resolve("hard")), "renameat2");
        assertEquals(4, Files.size(file), "truncate(file, 4)");
        assertEquals(0010000, (int) Files.getAttribute(dir.resolve("fifo"), "unix:mode") & 0170000, "a FIFO");
        assertTrue(!Files.exists(dir.resolve("gone")), "unlinkat");
        // Still brokered (ENOSYS without a listener) or denied, as in broker mode.
        assertEquals(Integer.toString(file.toString().length()), r.value("readlinkat="),
                "the kernel read the link: metadata, as a stat");
        for (String brokered : List.of("renameat2_whiteout", "fchmodat", "connect", "bind",
                "sendto_dest", "listen", "kill_self", "fcntl_setown", "socket_netlink", "utimensat_fd",
                "utimensat_path")) {
            assertEquals("ENOSYS", r.value(brokered + "="), brokered + ": brokered in kernel mode too");
        }
        assertTrue(Files.exists(dir.resolve("renamed")), "the whiteout rename did not happen");
        assertEquals(mode, Files.getPosixFilePermissions(file), "fchmodat did not reach the kernel");
        assertEquals("EPERM", r.value("fchownat="));
        assertEquals("EACCES", r.value("setxattr="));
        assertEquals("EOPNOTSUPP", r.value("getxattr="));
        assertEquals("EACCES", r.value("statfs="));
        assertEquals("EACCES", r.value("inotify_add_watch="));
        assertEquals("EPERM", r.value("mount="));
        assertEquals("EPERM", r.value("ptrace="));
        assertEquals("ENOTTY", r.value("ioctl_tiocsti="));
        assertEquals("EPERM", r.value("clone_newuser="));
    }

    @Test
    void x32SyscallKillsTheProcess() throws Exception {
        Requires.that(Syscalls.CURRENT.arch().equals("x86_64"), "x32 exists on x86_64 only");
        ChildJvm.Result r = ChildJvm.run(Child.class, "x32");
        assertEquals("ok", r.value("installed="), () -> r.toString());
        assertEquals(128 + 31, r.exitCode(), () -> "not killed by SIGSYS: " + r);
        assertTrue(r.stdout().stream().noneMatch(l -> l.startsWith("x32=")), () -> "the x32 call returned: " + r);
    }

    /// The child JVM: installs the filter (no listener) on one fresh platform thread and reports
    /// what raw syscalls made from that thread returned. The supervisor is this JVM itself.
    public static final class Child {
        private Child() {}

        private static final String ARCH = Syscalls.CURRENT.arch();
        private static final Map<String, String> RESULTS = new ConcurrentHashMap<>();
        // Values the probe passes that the filter never lets through, so PrctlH does not name them.
        private static final long TIOCSTI = 0x5412;
        private static final long FIOASYNC = 0x5452;
        private static final long TCXONC = 0x540a;
        private static final long TCOON = 1;
        private static final long F_RDLCK = 0;
        private static final long F_UNLCK = 2;
        private static final long O_ACCMODE = 03;
        private static final long O_NONBLOCK = 04000;
        private static final long CLONE_NEWUSER = 0x10000000;
        private static final long SIGCHLD = 17;
        private static final long WNOHANG = 1;
        private static final long RENAME_WHITEOUT = 4;
        private static final long S_IFIFO = 0010000;
        // st_size in struct stat: 48 on x86_64, 48 on aarch64 too.
        private static final long STAT_SIZE = 48;

        public static void main(String[] args) throws Throwable {
            int pid = (int) ProcessHandle.current().pid();
            int ppid = (int) ProcessHandle.current().parent().orElseThrow().pid();
            String stat = Files.readString(Path.of("/proc/self/stat"));
            int pgid = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
            System.out.println("pid=" + pid);
            Arena arena = Arena.ofShared();
            MemorySegment prog = BrokerFilter.program(arena, ARCH, pgid);
            if (args[0].equals("kernel")) {
                kernelMode(arena, pid, pgid, Path.of(args[1]));
                return;
            }
            if (args[0].equals("x32")) {
                ResourceLimits.set(Resource.CORE, Rlimit.of(0, 0));
                Thread t = Thread.ofPlatform().start(() -> {
                    install(prog);
                    System.out.println("installed=ok");
                    System.out.flush();
                    long r = sys(0x4000_0000L | 39);
                    System.out.println("x32=" + r);
                });
                t.join();
                return;
            }
            MemorySegment etc = arena.allocateFrom("/etc/hostname");
            MemorySegment missing = arena.allocateFrom("/nonexistent-posix4j/x");
            MemorySegment tmpfs = arena.allocateFrom("tmpfs");
            MemorySegment attr = arena.allocateFrom("user.posix4j");
            MemorySegment buf = arena.allocate(64);
            MemorySegment statfs = arena.allocate(256);
            MemorySegment sv = arena.allocate(JAVA_INT, 2);
            MemorySegment action = arena.allocate(JAVA_INT);
            action.set(JAVA_INT, 0, 0x7fff0000);
            MemorySegment addr = arena.allocate(16);
            addr.set(JAVA_SHORT, 0, (short) 1);
            MemorySegment name = arena.allocateFrom("posix4j-broker");
            check(sys(nr("socketpair"), 1, 1, 0, sv.address()) == 0, "socketpair");
            long memfd = sys(nr("memfd_create"), name.address(), 1);
            check(memfd >= 0, "memfd_create");
            long s0 = sv.get(JAVA_INT, 0);
            long s1 = sv.get(JAVA_INT, 4);

            MemorySegment ptmxPath = arena.allocateFrom("/dev/ptmx");
            MemorySegment dot = arena.allocateFrom(".");
            MemorySegment zero = arena.allocate(JAVA_INT);
            MemorySegment status = arena.allocate(JAVA_INT);
            long ptmx = sys(nr("openat"), -100, ptmxPath.address(), 02 | 0400);
            check(ptmx >= 0, "open /dev/ptmx");
            long hostname = sys(nr("openat"), -100, etc.address(), 0);
            check(hostname >= 0, "open /etc/hostname");
            long cwd = sys(nr("openat"), -100, dot.address(), 0);
            check(cwd >= 0, "open .");

            // The kernel's own answers, on this unfiltered thread, show the filter's differ.
            RESULTS.put("unfiltered_statfs", result(sys(nr("statfs"), etc.address(), statfs.address())));
            RESULTS.put("unfiltered_kill_self", result(sys(nr("kill"), pid, 0)));
            RESULTS.put("unfiltered_ioctl_fioasync", result(sys(nr("ioctl"), s0, FIOASYNC, zero.address())));
            RESULTS.put("unfiltered_ioctl_tcxonc", result(sys(nr("ioctl"), ptmx, TCXONC, TCOON)));
            RESULTS.put("unfiltered_fcntl_setlease", result(sys(nr("fcntl"), hostname, PrctlH.F_SETLEASE, F_RDLCK)));
            check(sys(nr("fcntl"), hostname, PrctlH.F_SETLEASE, F_UNLCK) == 0, "fcntl(F_SETLEASE, F_UNLCK)");
            RESULTS.put("unfiltered_clone3", result(sys(nr("clone3"), buf.address(), 0)));
            RESULTS.put("unfiltered_execve", result(sys(nr("execve"), missing.address(), 0, 0)));
            RESULTS.put("unfiltered_chdir", result(sys(nr("chdir"), missing.address())));
            Runnable nested = () -> RESULTS.put("thread", "ran");
            List<Long> forks = new ArrayList<>();
            int[] forkStatus = {-1};
            // Taken before the filter: TimeFactor's class loading would open a file, which is brokered.
            long forkWait = TimeFactor.scaled(Duration.ofSeconds(2)).toNanos();
            // Runs the waiting loop once (wait4 on no child, then a sleep) before the filter too.
            waitStatus(Integer.MAX_VALUE, status, 1);
            // Links every call shape used below while nothing is filtered yet: once it is, loading
            // a class would open a file, which is brokered and fails.
            sys(nr("getpid"));
            sys(nr("getpid"), 0);
            sys(nr("getpid"), 0, 0);
            sys(nr("getpid"), 0, 0, 0);
            sys(nr("getpid"), 0, 0, 0, 0, 0);
            result(-1);
            result(0);
            Thread t = Thread.ofPlatform().start(() -> {
                sys(nr("getpid"));
                result(-1);
                install(prog);
                RESULTS.put("installed", "ok");
                long tid = sys(nr("gettid"));
                RESULTS.put("getpid", result(sys(nr("getpid"))));
                RESULTS.put("openat", result(sys(nr("openat"), -100, etc.address(), 0)));
                RESULTS.put("newfstatat", result(sys(nr("newfstatat"), -100, etc.address(), buf.address(), 0)));
                RESULTS.put("mount", result(sys(nr("mount"), tmpfs.address(), missing.address(), tmpfs.address(), 0, 0)));
                RESULTS.put("statfs", result(sys(nr("statfs"), etc.address(), statfs.address())));
                RESULTS.put("getxattr", result(sys(nr("getxattr"), etc.address(), attr.address(), buf.address(), 64)));
                RESULTS.put("io_uring_setup", result(sys(nr("io_uring_setup"), 1, 0)));
                RESULTS.put("nr1000", result(sys(1000)));
                RESULTS.put("kill_self", result(sys(nr("kill"), pid, 0)));
                RESULTS.put("tkill_self", result(sys(nr("tkill"), tid, 0)));
                RESULTS.put("rt_sigqueueinfo_parent", result(sys(nr("rt_sigqueueinfo"), ppid, 0, buf.address())));
                RESULTS.put("pidfd_send_signal", result(sys(nr("pidfd_send_signal"), 0, 0, 0, 0)));
                RESULTS.put("kill_parent", result(sys(nr("kill"), ppid, 0)));
                RESULTS.put("kill_all", result(sys(nr("kill"), -1, 0)));
                RESULTS.put("kill_group", result(sys(nr("kill"), -pgid, 0)));
                RESULTS.put("kill_zero", result(sys(nr("kill"), 0, 0)));
                RESULTS.put("seccomp_listener", result(sys(nr("seccomp"), 1, 8, prog.address())));
                RESULTS.put("seccomp_avail", result(sys(nr("seccomp"), 2, 0, action.address())));
                RESULTS.put("ioctl_tiocsti", result(sys(nr("ioctl"), ptmx, TIOCSTI, buf.address())));
                RESULTS.put("ioctl_fionread", result(sys(nr("ioctl"), s0, PrctlH.FIONREAD, buf.address())));
                RESULTS.put("ioctl_fioasync", result(sys(nr("ioctl"), s0, FIOASYNC, zero.address())));
                RESULTS.put("ioctl_tcxonc", result(sys(nr("ioctl"), ptmx, TCXONC, TCOON)));
                RESULTS.put("ioctl_tcgets", result(sys(nr("ioctl"), ptmx, PrctlH.TCGETS, buf.address())));
                RESULTS.put("ioctl_tiocgptn", result(sys(nr("ioctl"), ptmx, PrctlH.TIOCGPTN, buf.address())));
                RESULTS.put("fcntl_setlease", result(sys(nr("fcntl"), hostname, PrctlH.F_SETLEASE, F_RDLCK)));
                RESULTS.put("fcntl_async", result(sys(nr("fcntl"), memfd, PrctlH.F_SETFL, PrctlH.O_ASYNC)));
                RESULTS.put("fcntl_nonblock", result(sys(nr("fcntl"), memfd, PrctlH.F_SETFL, O_NONBLOCK)));
                RESULTS.put("fcntl_getfl", result(sys(nr("fcntl"), memfd, FcntlH.F_GETFL, 0) & (O_ACCMODE | O_NONBLOCK)));
                RESULTS.put("fcntl_setown", result(sys(nr("fcntl"), s0, PrctlH.F_SETOWN, pid)));
                RESULTS.put("fcntl_setown_ex", result(sys(nr("fcntl"), s0, PrctlH.F_SETOWN_EX, buf.address())));
                RESULTS.put("socket_tcp", result(sys(nr("socket"), 2, 1 | SocketH.SOCK_CLOEXEC, 0)));
                RESULTS.put("socket_udp6", result(sys(nr("socket"), 10, 2, 17)));
                RESULTS.put("socket_packet", result(sys(nr("socket"), 17, 3, 0x300)));
                RESULTS.put("socket_netlink", result(sys(nr("socket"), 16, 3, 0)));
                RESULTS.put("socket_raw", result(sys(nr("socket"), 2, 3, 1)));
                RESULTS.put("socketpair_inet", result(sys(nr("socketpair"), 2, 1, 0, sv.address())));
                RESULTS.put("listen", result(sys(nr("listen"), s0, 1)));
                RESULTS.put("execve", result(sys(nr("execve"), missing.address(), 0, 0)));
                RESULTS.put("chdir", result(sys(nr("chdir"), missing.address())));
                RESULTS.put("fchdir", result(sys(nr("fchdir"), cwd)));
                RESULTS.put("clone_newuser", result(sys(nr("clone"), CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)));
                RESULTS.put("clone_parent", result(sys(nr("clone"), PrctlH.CLONE_PARENT | SIGCHLD, 0, 0, 0, 0)));
                RESULTS.put("clone3", result(sys(nr("clone3"), buf.address(), 0)));
                RESULTS.put("unshare", result(sys(nr("unshare"), CLONE_NEWUSER)));
                RESULTS.put("setns", result(sys(nr("setns"), cwd, 0)));
                // A plain fork, whose child leaves at once. The child runs Java to get there, and a
                // JVM forked while another of its threads held one of its locks, or while a
                // safepoint was being reached, can block in the child for good: a child that has
                // not ended within the wait is left running for the unfiltered thread to kill, and
                // the fork is made again, three times at most. A clone the filter refused ends it.
                for (int attempt = 0; attempt < 3 && forkStatus[0] < 0; attempt++) {
                    long forked = sys(nr("clone"), SIGCHLD, 0, 0, 0, 0);
                    if (forked == 0) {
                        sys(nr("exit_group"), 7);
                    }
                    if (forked < 0) {
                        RESULTS.put("fork_refused", result(forked));
                        break;
                    }
                    forks.add(forked);
                    forkStatus[0] = waitStatus(forked, status, forkWait);
                }
                Thread inner = Thread.ofPlatform().start(nested);
                try {
                    inner.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                RESULTS.put("sendto_null", result(sys(nr("sendto"), s0, name.address(), 3, 0, 0, 0)));
                RESULTS.put("recvfrom", result(sys(nr("recvfrom"), s1, buf.address(), 64, 0x40, 0, 0)));
                RESULTS.put("sendto_dest", result(sys(nr("sendto"), s0, name.address(), 3, 0, addr.address(), 16)));
                RESULTS.put("tgkill_self", result(sys(nr("tgkill"), pid, tid, 0)));
                RESULTS.put("tgkill_parent", result(sys(nr("tgkill"), ppid, ppid, 0)));
                RESULTS.put("setpgid_supervisor", result(sys(nr("setpgid"), 0, pgid)));
                RESULTS.put("prlimit_self", result(sys(nr("prlimit64"), 0, 7, 0, buf.address())));
                RESULTS.put("prlimit_parent", result(sys(nr("prlimit64"), ppid, 7, 0, buf.address())));
                RESULTS.put("utimensat_fd", result(sys(nr("utimensat"), memfd, 0, 0, 0)));
                RESULTS.put("utimensat_path", result(sys(nr("utimensat"), -100, missing.address(), 0, 0)));
            });
            t.join();
            for (long forked : forks) {
                if (waitStatus(forked, status, 0) < 0) {
                    sys(nr("kill"), forked, 9);
                    sys(nr("wait4"), forked, status.address(), 0, 0);
                }
            }
            int st = forkStatus[0];
            RESULTS.put("fork", RESULTS.containsKey("fork_refused") ? "clone: " + RESULTS.get("fork_refused")
                    : st < 0 ? "hung " + forks.size() + " times"
                    : (st & 0x7f) == 0 ? "exit " + ((st >> 8) & 0xff) : "signal " + (st & 0x7f));
            RESULTS.forEach((k, v) -> System.out.println(k + "=" + v));
        }

        /// Installs the KERNEL-mode filter (and no Landlock ruleset) on one thread and makes there,
        /// in `dir`, the calls that mode leaves to the kernel and some it keeps from it.
        private static void kernelMode(Arena arena, int pid, int pgid, Path dir) throws InterruptedException {
            MemorySegment prog = BrokerFilter.program(arena, ARCH, pgid, Mode.KERNEL);
            MemorySegment file = arena.allocateFrom(dir.resolve("file").toString());
            MemorySegment missing = arena.allocateFrom(dir.resolve("missing").toString());
            MemorySegment made = arena.allocateFrom(dir.resolve("made").toString());
            MemorySegment sym = arena.allocateFrom(dir.resolve("made/sym").toString());
            MemorySegment hard = arena.allocateFrom(dir.resolve("hard").toString());
            MemorySegment renamed = arena.allocateFrom(dir.resolve("renamed").toString());
            MemorySegment fifo = arena.allocateFrom(dir.resolve("fifo").toString());
            MemorySegment gone = arena.allocateFrom(dir.resolve("gone").toString());
            MemorySegment dirPath = arena.allocateFrom(dir.toString());
            MemorySegment attr = arena.allocateFrom("user.posix4j");
            MemorySegment tmpfs = arena.allocateFrom("tmpfs");
            MemorySegment buf = arena.allocate(256);
            MemorySegment unix = arena.allocate(110);
            unix.set(JAVA_SHORT, 0, (short) 1);
            unix.setString(3, "posix4j-kernel-mode");
            long sock = sys(nr("socket"), 1, 1, 0);
            check(sock >= 0, "socket");
            long gonefd = sys(nr("openat"), -100, gone.address(), 0101, 0600);
            check(gonefd >= 0, "create gone");
            sys(nr("close"), gonefd);
            sys(nr("getpid"));
            sys(nr("getpid"), 0, 0, 0, 0, 0);
            result(-1);
            result(0);
            Thread t = Thread.ofPlatform().start(() -> {
                install(prog);
                RESULTS.put("installed", "ok");
                long fd = sys(nr("openat"), -100, file.address(), 0);
                RESULTS.put("openat", result(fd));
                RESULTS.put("read", result(sys(nr("read"), fd, buf.address(), 256)));
                RESULTS.put("newfstatat", result(sys(nr("newfstatat"), -100, file.address(), buf.address(), 0)));
                RESULTS.put("newfstatat_size", Long.toString(buf.get(JAVA_LONG, STAT_SIZE)));
                RESULTS.put("newfstatat_missing",
                        result(sys(nr("newfstatat"), -100, missing.address(), buf.address(), 0)));
                RESULTS.put("faccessat", result(sys(nr("faccessat"), -100, file.address(), 4)));
                RESULTS.put("mkdirat", result(sys(nr("mkdirat"), -100, made.address(), 0755)));
                RESULTS.put("symlinkat", result(sys(nr("symlinkat"), file.address(), -100, sym.address())));
                RESULTS.put("linkat", result(sys(nr("linkat"), -100, file.address(), -100, hard.address(), 0)));
                RESULTS.put("renameat2",
                        result(sys(nr("renameat2"), -100, hard.address(), -100, renamed.address(), 0)));
                RESULTS.put("renameat2_whiteout",
                        result(sys(nr("renameat2"), -100, renamed.address(), -100, hard.address(), RENAME_WHITEOUT)));
                RESULTS.put("truncate", result(sys(nr("truncate"), file.address(), 4)));
                RESULTS.put("mknodat_fifo", result(sys(nr("mknodat"), -100, fifo.address(), S_IFIFO | 0600, 0)));
                RESULTS.put("mknodat_setuid", result(sys(nr("mknodat"), -100, gone.address(), 0100000 | 04755, 0)));
                RESULTS.put("openat_setuid", result(sys(nr("openat"), -100, gone.address(), FcntlH.O_CREAT | 1, 04755)));
                RESULTS.put("openat_ioctl_only", result(sys(nr("openat"), -100, file.address(), 3)));
                RESULTS.put("unlinkat", result(sys(nr("unlinkat"), -100, gone.address(), 0)));
                RESULTS.put("chdir", result(sys(nr("chdir"), dirPath.address())));
                RESULTS.put("execve", result(sys(nr("execve"), missing.address(), 0, 0)));
                RESULTS.put("readlinkat", result(sys(nr("readlinkat"), -100, sym.address(), buf.address(), 256)));
                RESULTS.put("fchmodat", result(sys(nr("fchmodat"), -100, file.address(), 0777)));
                RESULTS.put("connect", result(sys(nr("connect"), sock, unix.address(), 110)));
                RESULTS.put("bind", result(sys(nr("bind"), sock, unix.address(), 110)));
                RESULTS.put("sendto_dest", result(sys(nr("sendto"), sock, buf.address(), 1, 0, unix.address(), 110)));
                RESULTS.put("listen", result(sys(nr("listen"), sock, 1)));
                RESULTS.put("kill_self", result(sys(nr("kill"), pid, 0)));
                RESULTS.put("fcntl_setown", result(sys(nr("fcntl"), sock, PrctlH.F_SETOWN, pid)));
                RESULTS.put("socket_netlink", result(sys(nr("socket"), 16, 3, 0)));
                RESULTS.put("fchownat", result(sys(nr("fchownat"), -100, file.address(), 0, 0, 0)));
                RESULTS.put("utimensat_fd", result(sys(nr("utimensat"), fd, 0, 0, 0)));
                RESULTS.put("utimensat_path", result(sys(nr("utimensat"), -100, file.address(), 0, 0)));
                RESULTS.put("setxattr",
                        result(sys(nr("setxattr"), file.address(), attr.address(), buf.address(), 1, 0)));
                RESULTS.put("getxattr", result(sys(nr("getxattr"), file.address(), attr.address(), buf.address(), 64)));
                RESULTS.put("statfs", result(sys(nr("statfs"), file.address(), buf.address())));
                RESULTS.put("inotify_add_watch", result(sys(nr("inotify_add_watch"), sock, file.address(), 2)));
                RESULTS.put("mount", result(sys(nr("mount"), tmpfs.address(), made.address(), tmpfs.address(), 0, 0)));
                RESULTS.put("ptrace", result(sys(nr("ptrace"), 16, pid, 0, 0)));
                RESULTS.put("ioctl_tiocsti", result(sys(nr("ioctl"), sock, TIOCSTI, buf.address())));
                RESULTS.put("clone_newuser", result(sys(nr("clone"), CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)));
            });
            t.join();
            RESULTS.forEach((k, v) -> System.out.println(k + "=" + v));
        }

        /// The wait status of the forked child `pid`, reaped with wait4 (which the filter allows),
        /// or -1 when it is still running after `waitNanos`. No string is made here: the first
        /// concatenation on the filtered thread would link classes, and loading one opens a file.
        private static int waitStatus(long pid, MemorySegment status, long waitNanos) {
            long deadline = System.nanoTime() + waitNanos;
            while (sys(nr("wait4"), pid, status.address(), WNOHANG, 0) != pid) {
                if (System.nanoTime() - deadline >= 0) {
                    return -1;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            }
            return status.get(JAVA_INT, 0);
        }

        private static void install(MemorySegment prog) {
            check(sys(nr("prctl"), PrctlH.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "prctl(PR_SET_NO_NEW_PRIVS)");
            check(sys(nr("seccomp"), PrctlH.SECCOMP_SET_MODE_FILTER, 0, prog.address()) == 0, "seccomp");
        }

        private static void check(boolean ok, String what) {
            if (!ok) {
                throw new IllegalStateException(what + " failed: " + Libc.errno(Libc.errnoSlot()));
            }
        }

        private static long nr(String name) {
            return BrokerSyscalls.rule(name).number(ARCH);
        }

        /// The return value, or the errno's symbol when it failed; errno is read on this thread.
        private static String result(long r) {
            if (r >= 0) {
                return Long.toString(r);
            }
            int e = Libc.errno(Libc.errnoSlot());
            return Errno.of(e).map(Enum::name).orElse("errno " + e);
        }

        /// syscall(2) with up to six arguments, the missing ones 0.
        private static long sys(long nr, long... a) {
            MemorySegment slot = Libc.errnoSlot();
            long[] six = Arrays.copyOf(a, 6);
            try {
                return SyscallH.SYSCALL.call(slot, nr, six[0], six[1], six[2], six[3], six[4], six[5]);
            } catch (Throwable t) {
                throw Libc.unexpected(t);
            }
        }
    }
}
