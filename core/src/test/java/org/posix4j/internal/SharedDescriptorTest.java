package org.posix4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The assumptions behind linking most bindings with one descriptor ([Libc#intFunction]), each
/// checked against what the kernel did, read back from /proc or the file system: a variadic
/// callee gets its arguments, an `int` result keeps its sign, a pointer result all 64 bits, and
/// `syscall`'s seventh argument (on the stack on x86_64) arrives.
class SharedDescriptorTest {
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_CLOEXEC = 02000000;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int EBADF = 9;
    private static final int EINVAL = 22;
    private static final int PROT_READ = 1;
    private static final int MAP_PRIVATE = 2;
    private static final int MAP_ANONYMOUS = 0x20;

    @TempDir
    Path dir;

    /// This process's umask, from the `Umask:` line of /proc/self/status.
    private static int umask() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Umask:")) {
                return Integer.parseInt(line.substring(6).strip(), 8);
            }
        }
        throw new AssertionError("no Umask line in /proc/self/status");
    }

    /// Whether /proc/self/maps lists a mapping that starts at `address`.
    private static boolean mapped(long address) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .anyMatch(l -> Long.parseUnsignedLong(l.substring(0, l.indexOf('-')), 16) == address);
    }

    @Test
    void variadicCalleesGetTheirArguments() throws Throwable {
        Path file = dir.resolve("created");
        MemorySegment errno = Libc.errnoSlot();
        int fd;
        int high;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(file.toString());
            // open's mode and fcntl's argument are variadic.
            fd = FcntlH.OPEN.call(errno, path.address(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
            assertTrue(fd >= 0, "open: errno " + Libc.errno(errno));
            high = FcntlH.FCNTL.call(errno, fd, F_DUPFD_CLOEXEC, 100);
        }
        try {
            assertTrue(high >= 100, "F_DUPFD_CLOEXEC 100 gave " + high);
            assertEquals(file.toRealPath(), Files.readSymbolicLink(Path.of("/proc/self/fd/" + high)));
            int mode = 0640 & ~umask();
            StringBuilder expected = new StringBuilder();
            for (int bit = 8; bit >= 0; bit--) {
                expected.append((mode & (1 << bit)) == 0 ? '-' : "rwx".charAt((8 - bit) % 3));
            }
            assertEquals(PosixFilePermissions.fromString(expected.toString()), Files.getPosixFilePermissions(file));
        } finally {
            UnistdH.CLOSE.call(errno, high);
            UnistdH.CLOSE.call(errno, fd);
        }
    }

    @Test
    void aNegativeIntResultStaysNegative() throws Throwable {
        MemorySegment errno = Libc.errnoSlot();
        assertEquals(-1, UnistdH.CLOSE.call(errno, -1));
        assertEquals(EBADF, Libc.errno(errno));
        assertEquals(-1L, UnistdH.PREAD.call(errno, -1, 0L, 0L, 0L), "ssize_t -1 as a long");
        assertEquals(EBADF, Libc.errno(errno));
    }

    @Test
    void aPointerResultKeepsAllItsBits() throws Throwable {
        MemorySegment errno = Libc.errnoSlot();
        long address = MmanH.MMAP.call(errno, 0L, 4096L, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
        assertTrue(address != -1L, "mmap: errno " + Libc.errno(errno));
        try {
            assertTrue(mapped(address), Long.toHexString(address) + " in /proc/self/maps");
        } finally {
            assertEquals(0, MmanH.MUNMAP.call(errno, address, 4096L));
        }
        assertFalse(mapped(address), "unmapped");
    }

    @Test
    void syscallsSeventhArgumentArrives() throws Throwable {
        long mmap = BrokerSyscalls.rule("mmap").number(Syscalls.CURRENT.arch());
        MemorySegment errno = Libc.errnoSlot();
        List<Long> common = List.of(0L, 4096L, (long) PROT_READ, (long) (MAP_PRIVATE | MAP_ANONYMOUS), -1L);
        // The offset, syscall's seventh argument, must be a multiple of the page size.
        long refused = SyscallH.SYSCALL.call(errno, mmap, common.get(0), common.get(1), common.get(2),
                common.get(3), common.get(4), 1L);
        assertEquals(-1L, refused);
        assertEquals(EINVAL, Libc.errno(errno));
        long address = SyscallH.SYSCALL.call(errno, mmap, common.get(0), common.get(1), common.get(2),
                common.get(3), common.get(4), 0L);
        assertTrue(address != -1L, "mmap(2): errno " + Libc.errno(errno));
        try {
            assertTrue(mapped(address), Long.toHexString(address) + " in /proc/self/maps");
        } finally {
            assertEquals(0, MmanH.MUNMAP.call(errno, address, 4096L));
        }
    }
}
