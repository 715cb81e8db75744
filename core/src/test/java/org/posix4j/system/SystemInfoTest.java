package org.posix4j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;

class SystemInfoTest {
    private static final long MIB = 1 << 20;

    @Test
    void unameMatchesTheUnameCommand() throws Exception {
        Uname u = SystemInfo.uname();
        assertEquals(Proc.run("uname", "-s"), u.sysname());
        assertEquals(Proc.run("uname", "-n"), u.nodename());
        assertEquals(Proc.run("uname", "-r"), u.release());
        assertEquals(Proc.run("uname", "-v"), u.version());
        assertEquals(Proc.run("uname", "-m"), u.machine());
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/domainname")).strip(), u.domainname());
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), u.nodename());
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(), u.release());
    }

    /// The soft "Max open files" of /proc/PID/limits.
    private static long softNofile(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring("Max open files".length()).strip().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no Max open files in /proc/" + pid + "/limits");
    }

    @Test
    void openMaxIsTheSoftDescriptorLimit() throws Exception {
        long pid = ProcessHandle.current().pid();
        assertEquals(softNofile(pid), SystemInfo.openMax());
        assertEquals(Proc.run("prlimit", "--nofile", "--output", "SOFT", "--noheadings", "--pid", Long.toString(pid)),
                Long.toString(SystemInfo.openMax()));
    }

    /// Prints sysconf(_SC_OPEN_MAX) and waits.
    public static final class OpenMax {
        public static void main(String[] args) throws Exception {
            System.out.println("openMax=" + SystemInfo.openMax());
            new BufferedReader(new InputStreamReader(System.in)).readLine();
        }
    }

    /// A limit nobody has by default: a child started under `prlimit --nofile=777:4096`, with the
    /// JVM told not to raise its soft limit to the hard one.
    @Test
    void openMaxFollowsALimitSetFromOutside() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("prlimit", "--nofile=777:4096", "--"));
        cmd.addAll(ChildJvm.command(List.of("-XX:-MaxFDLimit"), OpenMax.class));
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(cmd))) {
            assertEquals("777", child.expect("openMax="));
            assertEquals(777, softNofile(child.pid()));
            child.finish().assertSuccess();
        }
    }

    @Test
    void mallocInfoIsPlausible() {
        MallocInfo m = SystemInfo.mallocInfo();
        assertTrue(m.allocated() > 0, m.toString());
        assertTrue(m.allocatedMmap() >= 0, m.toString());
        assertTrue(m.used() > 0, m.toString());
        assertTrue(m.unused() >= 0, m.toString());
        assertTrue(m.returnable() >= 0, m.toString());
        assertTrue(m.used() + m.unused() <= m.allocated(), "in-use and free chunks lie within the sbrk heap: " + m);
        assertTrue(m.returnable() <= m.unused(), "the top chunk is one of the free ones: " + m);
    }

    /// Reports malloc statistics, then allocates 64 MiB of native memory (a confined arena
    /// allocates with malloc; glibc serves a request that large with its own mmap), then reports
    /// again.
    public static final class Malloc {
        public static void main(String[] args) throws Exception {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            MallocInfo before = SystemInfo.mallocInfo();
            System.out.println("before=" + before.allocatedMmap());
            in.readLine();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment big = arena.allocate(64 * MIB);
                big.fill((byte) 1);
                MallocInfo after = SystemInfo.mallocInfo();
                System.out.println("after=" + after.allocatedMmap());
                in.readLine();
            }
            System.out.println("freed=" + SystemInfo.mallocInfo().allocatedMmap());
        }
    }

    private static long rssKiB(long pid) {
        return Long.parseLong(Proc.status(pid, "VmRSS").split(" ")[0]);
    }

    @Test
    void mmappedMallocMemoryGrowsWithALargeAllocation() throws Exception {
        try (ChildJvm child = ChildJvm.start(Malloc.class)) {
            long before = Long.parseLong(child.expect("before="));
            long rssBefore = rssKiB(child.pid());
            child.send("allocate");
            long after = Long.parseLong(child.expect("after="));
            long rssAfter = rssKiB(child.pid());
            assertTrue(after - before >= 64 * MIB, "mmapped malloc memory grew by " + (after - before));
            assertTrue(rssAfter - rssBefore >= 60 * 1024, "VmRSS grew by " + (rssAfter - rssBefore) + " KiB");
            child.send("free");
            long freed = Long.parseLong(child.expect("freed="));
            assertTrue(after - freed >= 64 * MIB, "free returned the mmapped chunk: " + after + " -> " + freed);
            child.finish().assertSuccess();
        }
    }
}
