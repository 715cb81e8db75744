package org.posix4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Requires;

class ResourceLimitsTest {
    private static final int NO_SUCH_PID = 0x3ffffff0;

    /// Limits of `pid` as prlimit(1) reports them, by lower-case resource name.
    private static Map<String, String> prlimit(long pid) {
        Map<String, String> limits = new HashMap<>();
        for (String line : Proc.lines("prlimit", "--pid", Long.toString(pid), "--raw", "--noheadings",
                "--output", "RESOURCE,SOFT,HARD")) {
            String[] f = line.trim().split("\\s+");
            limits.put(f[0].toLowerCase(Locale.ROOT), f[1] + " " + f[2]);
        }
        return limits;
    }

    private static String text(Rlimit r) {
        return r.soft() + " " + r.hard();
    }

    @Test
    void everyResourceMatchesPrlimit() {
        Map<String, String> expected = prlimit(ProcessHandle.current().pid());
        assertEquals(Resource.values().length, expected.size(), "prlimit lists every resource: " + expected);
        for (Resource r : Resource.values()) {
            assertEquals(expected.get(r.name().toLowerCase(Locale.ROOT)), text(ResourceLimits.get(r)), r.cName());
        }
        assertEquals(ResourceLimits.get(Resource.NOFILE), ResourceLimits.all().get(Resource.NOFILE));
    }

    @Test
    void anotherProcessesLimitsThroughPrlimit() throws Exception {
        try (ChildJvm child = ChildJvm.start(Waiter.class)) {
            child.expect("ready");
            int pid = (int) child.pid();
            ResourceLimits.set(pid, Resource.CORE, Rlimit.of(4096, 8192));
            ResourceLimits.set(pid, Resource.CPU, new Rlimit(Limit.of(3600), Limit.UNLIMITED));
            Map<String, String> seen = prlimit(pid);
            assertEquals("4096 8192", seen.get("core"));
            assertEquals("3600 unlimited", seen.get("cpu"));
            assertEquals(Rlimit.of(4096, 8192), ResourceLimits.get(pid, Resource.CORE));
            child.finish().assertSuccess();
        }
    }

    /// Lowers its own limits, waits, then tries to raise a hard limit again.
    public static final class Lower {
        public static void main(String[] args) throws Exception {
            ResourceLimits.set(Resource.NOFILE, Rlimit.of(100, 200));
            ResourceLimits.set(Resource.FSIZE, new Rlimit(Limit.of(1 << 20), Limit.UNLIMITED));
            System.out.println("ready");
            System.in.read();
            if (args.length > 0) {
                Credentials.setUid(65534);
            }
            try {
                ResourceLimits.set(Resource.NOFILE, Rlimit.of(100, 300));
                System.out.println("raise=ok");
            } catch (PosixException e) {
                System.out.println("raise=" + e.getMessage());
            }
        }
    }

    @Test
    void setrlimitIsSeenByPrlimitAndRaisingNeedsPrivilege() throws Exception {
        Requires.root();
        try (ChildJvm child = ChildJvm.start(Lower.class, "drop")) {
            child.expect("ready");
            Map<String, String> seen = prlimit(child.pid());
            assertEquals("100 200", seen.get("nofile"));
            assertEquals((1 << 20) + " unlimited", seen.get("fsize"));
            ChildJvm.Result r = child.finish().assertSuccess();
            assertEquals("prlimit(0, RLIMIT_NOFILE, 100, 300): Operation not permitted [EPERM]", r.value("raise="));
        }
    }

    @Test
    void failuresCarryTheKernelsErrno() throws Exception {
        PosixException e = assertThrows(PosixException.class, () -> ResourceLimits.get(NO_SUCH_PID, Resource.CORE));
        assertTrue(e.is(Errno.ESRCH), e.getMessage());
        // RLIMIT_NOFILE may not exceed fs.nr_open; the kernel answers EPERM even for root.
        long nrOpen = Long.parseLong(Proc.run("cat", "/proc/sys/fs/nr_open"));
        try (ChildJvm child = ChildJvm.start(Waiter.class)) {
            child.expect("ready");
            e = assertThrows(PosixException.class, () -> ResourceLimits.set((int) child.pid(), Resource.NOFILE,
                    Rlimit.of(nrOpen + 1, nrOpen + 1)));
            assertTrue(e.is(Errno.EPERM), e.getMessage());
            assertFalse(prlimit(child.pid()).get("nofile").startsWith(Long.toString(nrOpen + 1)));
            child.finish().assertSuccess();
        }
    }

    @Test
    void invalidLimitsAreRejectedInJava() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rlimit.of(10, 5));
        assertTrue(e.getMessage().contains("soft limit 10 exceeds hard limit 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Limit.of(-1));
        assertTrue(e.getMessage().startsWith("limit "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ResourceLimits.get(-3, Resource.AS));
        assertTrue(e.getMessage().startsWith("pid "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Rlimit(Limit.UNLIMITED, Limit.of(1)));
        assertEquals(Resource.NOFILE, Resource.byName("RLIMIT_NOFILE"));
        assertEquals(Resource.NOFILE, Resource.byName("nofile"));
        assertThrows(IllegalArgumentException.class, () -> Resource.byName("nothing"));
        assertEquals(Limit.UNLIMITED, Limit.parse("unlimited"));
        assertEquals(Limit.of(42), Limit.parse("42"));
        assertThrows(IllegalStateException.class, Limit.UNLIMITED::value);
    }

    /// Waits until stdin closes.
    public static final class Waiter {
        public static void main(String[] args) throws Exception {
            System.out.println("ready");
            System.in.read();
        }
    }
}
