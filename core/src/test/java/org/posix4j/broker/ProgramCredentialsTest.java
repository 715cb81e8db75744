package org.posix4j.broker;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.internal.CredH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SyscallH;
import org.posix4j.testing.Requires;

/// The credentials the broker reads from a thread's `/proc/TID/status`, compared with what the
/// kernel shows in the same file read and split as text by the test.
class ProgramCredentialsTest {
    private static final int O_CLOEXEC = 02000000;

    @Test
    void theJvmsOwnMatchTheStatusFile() throws IOException {
        ProgramCredentials read = read("/proc/thread-self/status");
        assertNotNull(read);
        assertMatches(read, Files.readAllLines(Path.of("/proc/thread-self/status"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void anUnreadableFileReadsAsNull() {
        // A descriptor that pread(2) refuses (EISDIR): no credentials, rather than empty ones.
        assertNull(read("/proc"));
    }

    /// A thread that switched its own ids alone and holds 1,500 supplementary groups: its
    /// status is larger than the first read buffer (the read is made again, bigger), and every
    /// id and group is read as the kernel shows it.
    @Test
    void aSwitchedThreadWithManyGroups() throws Exception {
        Requires.root();
        int[] groups = new int[1500];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = 100_000 + i;
        }
        AtomicInteger tid = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch switched = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment list = arena.allocate(4L * groups.length, 4);
                for (int i = 0; i < groups.length; i++) {
                    list.setAtIndex(JAVA_INT, i, groups[i]);
                }
                CredH nr = CredH.CURRENT;
                assertEquals(0, syscall(nr.setgroups(), groups.length, list.address(), 0));
                assertEquals(0, syscall(nr.setresgid(), 4321, 4322, -1));
                assertEquals(0, syscall(nr.setresuid(), 1234, 1235, -1));
                tid.set(Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()));
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                switched.countDown();
            }
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            switched.await();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            String path = "/proc/" + tid.get() + "/status";
            ProgramCredentials read = read(path);
            assertNotNull(read);
            List<String> status = Files.readAllLines(Path.of(path), StandardCharsets.ISO_8859_1);
            assertTrue(String.join("\n", status).length() > 4096, "the status is larger than the first buffer");
            assertMatches(read, status);
            assertArrayEquals(groups, read.groups);
            assertEquals(1234, read.ruid);
            assertEquals(1235, read.euid);
            assertEquals(4322, read.egid);
        } finally {
            done.countDown();
            t.join();
        }
    }

    /// The parser on status files written by the test: the fields it needs in the kernel's
    /// order and in another, and each way a field can be wrong, which reads as no credentials
    /// (the call is then refused) rather than as credentials made up of what was there.
    @Test
    void craftedStatusFiles(@TempDir Path dir) throws IOException {
        String good = String.join("\n", "Name:\tjava", "Umask:\t0027", "State:\tS (sleeping)", "Tgid:\t4242",
                "Uid:\t1\t2\t3\t4", "Gid:\t5\t6\t7\t8", "Groups:\t10 20 4294967295 ", "VmRSS:\t 1 kB",
                "CapInh:\t0000000000000000", "CapPrm:\t000001FFFFFFFFFF", "CapEff:\t000001ffffffffff",
                "Seccomp:\t2", "");
        ProgramCredentials c = readText(dir, good);
        assertNotNull(c);
        assertEquals(4242, c.tgid);
        assertEquals(0027, c.umask);
        assertArrayEquals(new int[] {1, 2, 3, 4}, new int[] {c.ruid, c.euid, c.suid, c.fsuid});
        assertArrayEquals(new int[] {5, 6, 7, 8}, new int[] {c.rgid, c.egid, c.sgid, c.fsgid});
        assertArrayEquals(new int[] {10, 20, -1}, c.groups);
        assertEquals(0x1ffffffffffL, c.capPrm);
        assertEquals(0x1ffffffffffL, c.capEff);
        assertEquals(0, c.capInh);

        List<String> lines = List.of(good.split("\n"));
        ProgramCredentials reversed = readText(dir, String.join("\n", lines.reversed()));
        assertNotNull(reversed);
        assertArrayEquals(c.groups, reversed.groups);
        assertEquals(c.capEff, reversed.capEff);

        ProgramCredentials noGroups = readText(dir, good.replace("Groups:\t10 20 4294967295 ", "Groups:"));
        assertNotNull(noGroups);
        assertEquals(0, noGroups.groups.length);

        for (String[] wrong : new String[][] {
            {"CapEff:\t000001ffffffffff\n", ""},                       // missing
            {"Tgid:\t4242", "Tgid:\t"},                                 // empty
            {"Tgid:\t4242", "Tgid:\t42x"},                              // not a number
            {"Uid:\t1\t2\t3\t4", "Uid:\t1\t2\t3"},                       // too few
            {"Uid:\t1\t2\t3\t4", "Uid:\t1\t2\t3\t4\t5"},                 // too many
            {"Gid:\t5\t6\t7\t8", "Gid:\t5\t6\t7\t4294967296"},            // over 32 bits
            {"Groups:\t10 20", "Groups:\t-10 20"},                      // signed
            {"Umask:\t0027", "Umask:\t0028"},                           // not octal
            {"CapPrm:\t000001FFFFFFFFFF", "CapPrm:\t1ffffffffff"},      // not 16 digits
            {"CapInh:\t0000000000000000", "CapInh:\t000000000000000g"}, // not hexadecimal
        }) {
            assertNull(readText(dir, good.replace(wrong[0], wrong[1])), () -> "read with " + wrong[1]);
        }
    }

    private static ProgramCredentials readText(Path dir, String text) throws IOException {
        Path file = Files.writeString(dir.resolve("status"), text, StandardCharsets.ISO_8859_1);
        return read(file.toString());
    }

    /// [ProgramCredentials#read] of the file at `path`, opened and closed here.
    static ProgramCredentials read(String path) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = Kernel.open(arena.allocateFrom(path), O_CLOEXEC);
            assertTrue(fd >= 0, path + ": errno " + -fd);
            try {
                return ProgramCredentials.read(fd);
            } finally {
                Kernel.close(fd);
            }
        }
    }

    private static long syscall(long nr, long a, long b, long c) throws Throwable {
        MemorySegment slot = Libc.errnoSlot();
        long r = SyscallH.SYSCALL.call(slot, nr, a, b, c);
        return r == -1 ? -Libc.errno(slot) : r;
    }

    private static void assertMatches(ProgramCredentials read, List<String> status) {
        assertEquals(Integer.parseInt(field(status, "Tgid")), read.tgid);
        assertEquals(Integer.parseInt(field(status, "Umask"), 8), read.umask);
        int[] uids = ids(field(status, "Uid"));
        assertArrayEquals(uids, new int[] {read.ruid, read.euid, read.suid, read.fsuid});
        int[] gids = ids(field(status, "Gid"));
        assertArrayEquals(gids, new int[] {read.rgid, read.egid, read.sgid, read.fsgid});
        assertArrayEquals(ids(field(status, "Groups")), read.groups);
        assertEquals(Long.parseUnsignedLong(field(status, "CapEff"), 16), read.capEff);
        assertEquals(Long.parseUnsignedLong(field(status, "CapPrm"), 16), read.capPrm);
        assertEquals(Long.parseUnsignedLong(field(status, "CapInh"), 16), read.capInh);
    }

    private static String field(List<String> status, String name) {
        return status.stream().filter(l -> l.startsWith(name + ":")).findFirst().orElseThrow()
                .substring(name.length() + 1).strip();
    }

    private static int[] ids(String value) {
        return value.isEmpty() ? new int[0]
                : Arrays.stream(value.split("\\s+")).mapToInt(Integer::parseUnsignedInt).toArray();
    }
}
