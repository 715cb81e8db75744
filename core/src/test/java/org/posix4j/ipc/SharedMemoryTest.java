package org.posix4j.ipc;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFds;
import org.posix4j.process.ResourceLimits;
import org.posix4j.process.Resource;
import org.posix4j.process.Rlimit;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.NoFdLeaks;
import org.posix4j.testing.Proc;

@ExtendWith(NoFdLeaks.class)
class SharedMemoryTest {
    private static final int O_CLOEXEC = 02000000;
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<ShmFlag> CREATE_NEW = EnumSet.of(ShmFlag.READ_WRITE, ShmFlag.CREATE, ShmFlag.EXCLUSIVE);

    private final List<String> created = new ArrayList<>();

    /// A fresh name, removed from /dev/shm after the test whatever happened.
    private String name() {
        String name = "/posix4j-test-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        created.add(name);
        return name;
    }

    private static Path file(String name) {
        return Path.of("/dev/shm", name.substring(1));
    }

    @AfterEach
    void removeObjects() throws Exception {
        for (String n : created) {
            Files.deleteIfExists(file(n));
        }
    }

    /// Whether /proc/self/maps has a mapping of `path`, and with which permissions ("rw-s").
    private static List<String> maps(Path path) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.endsWith(" " + path)).map(l -> l.split("\\s+")[1]).toList();
    }

    @Test
    void probeCreatesMapsAndUnlinksForReal() {
        assertTrue(SharedMemory.haveSharedMemory(), SharedMemory.sharedMemory().reason());
        assertTrue(SharedMemory.sharedMemory().reason().startsWith("created, mapped and unlinked /posix4j-probe-"));
        assertEquals(Long.parseLong(Proc.run("getconf", "PAGESIZE")), SharedMemory.pageSize());
    }

    @Test
    void openCreatesAFileInDevShmWithTheModeAndResizeSetsItsSize() throws Exception {
        String name = name();
        try (Fd fd = SharedMemory.open(name, CREATE_NEW, 0640)) {
            assertEquals("640 0 regular empty file", Proc.run("stat", "-c", "%a %s %F", file(name).toString()));
            assertEquals(file(name).toString(), OpenFds.target(fd.intValue()));
            assertEquals(O_CLOEXEC, OpenFds.flags(fd.intValue()) & O_CLOEXEC);
            assertEquals(02, OpenFds.flags(fd.intValue()) & 03, "O_RDWR");
            SharedMemory.resize(fd, 10_000);
            assertEquals("10000", Proc.run("stat", "-c", "%s", file(name).toString()));
            assertEquals(10_000, SharedMemory.size(fd));
            SharedMemory.resize(fd, 3);
            assertEquals(3, Files.size(file(name)));
            assertEquals(3, SharedMemory.size(fd));
        }
        try (Fd ro = SharedMemory.open(name, EnumSet.of(ShmFlag.READ_ONLY), 0)) {
            assertEquals(0, OpenFds.flags(ro.intValue()) & 03, "O_RDONLY");
            PosixException x = assertThrows(PosixException.class, () -> SharedMemory.resize(ro, 10));
            assertTrue(x.is(Errno.EINVAL), x.getMessage());
            assertEquals(3, Files.size(file(name)));
        }
    }

    @Test
    void writesThroughTheMappingAreTheFilesContentAndBack() throws Exception {
        String name = name();
        long page = SharedMemory.pageSize();
        try (Fd fd = SharedMemory.open(name, CREATE_NEW, 0600); Arena arena = Arena.ofConfined()) {
            SharedMemory.resize(fd, 2 * page);
            MemorySegment m = SharedMemory.map(fd, 0, 2 * page, MappingMode.READ_WRITE, arena);
            assertEquals(2 * page, m.byteSize());
            assertFalse(m.isReadOnly());
            byte[] hello = "hello, /dev/shm".getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(hello, 0, m, JAVA_BYTE, page + 5, hello.length);
            byte[] file = Files.readAllBytes(file(name));
            assertEquals(2 * page, file.length);
            assertArrayEquals(hello, java.util.Arrays.copyOfRange(file, (int) page + 5, (int) page + 5 + hello.length));
            assertEquals(0, file[0]);

            Files.write(file(name), "written by the file system".getBytes(StandardCharsets.US_ASCII));
            // Files.write truncated the object to 26 bytes; the first page is still backed.
            assertEquals("written by the file system", m.getString(0, StandardCharsets.US_ASCII));

            MemorySegment second = SharedMemory.map(fd, 0, 26, MappingMode.READ_ONLY, arena);
            assertEquals('w', second.get(JAVA_BYTE, 0));
            m.set(JAVA_BYTE, 0, (byte) 'W');
            assertEquals('W', second.get(JAVA_BYTE, 0), "two mappings of one object share its pages");
        }
    }

    @Test
    void readOnlyMappingsRefuseWritesAndReadOnlyDescriptorsRefuseReadWriteMappings() throws Exception {
        String name = name();
        try (Fd rw = SharedMemory.open(name, CREATE_NEW, 0600)) {
            SharedMemory.resize(rw, 4096);
        }
        Files.write(file(name), new byte[] {7, 8, 9}, java.nio.file.StandardOpenOption.WRITE);
        try (Fd ro = SharedMemory.open(name, EnumSet.of(ShmFlag.READ_ONLY), 0); Arena arena = Arena.ofConfined()) {
            MemorySegment m = SharedMemory.map(ro, 0, 4096, MappingMode.READ_ONLY, arena);
            assertTrue(m.isReadOnly());
            assertEquals(8, m.get(JAVA_BYTE, 1));
            assertThrows(IllegalArgumentException.class, () -> m.set(JAVA_BYTE, 0, (byte) 1));
            assertEquals(List.of("r--s"), maps(file(name)));
            PosixException x = assertThrows(PosixException.class,
                    () -> SharedMemory.map(ro, 0, 4096, MappingMode.READ_WRITE, arena));
            assertTrue(x.is(Errno.EACCES), x.getMessage());
            assertEquals("mmap", x.function());
        }
    }

    @Test
    void theMappingIsGoneFromProcSelfMapsWhenTheArenaCloses() throws Exception {
        String name = name();
        try (Fd fd = SharedMemory.open(name, CREATE_NEW, 0600)) {
            SharedMemory.resize(fd, 8192);
            MemorySegment m;
            try (Arena arena = Arena.ofConfined()) {
                m = SharedMemory.map(fd, 4096, 4096, MappingMode.READ_WRITE, arena);
                m.set(JAVA_BYTE, 0, (byte) 42);
                assertEquals(List.of("rw-s"), maps(file(name)));
            }
            assertEquals(List.of(), maps(file(name)));
            assertThrows(IllegalStateException.class, () -> m.get(JAVA_BYTE, 0));
            assertEquals(42, Files.readAllBytes(file(name))[4096], "unmapping keeps what was written");

            Arena closed = Arena.ofConfined();
            closed.close();
            assertThrows(IllegalStateException.class,
                    () -> SharedMemory.map(fd, 0, 4096, MappingMode.READ_WRITE, closed));
            assertEquals(List.of(), maps(file(name)), "a mapping the arena could not take is unmapped");
        }
    }

    @Test
    void exclusiveCreateOfAnExistingObjectFailsWithEexistAndOpenWithoutCreateWithEnoent() throws Exception {
        String name = name();
        try (Fd fd = SharedMemory.open(name, CREATE_NEW, 0600)) {
            assertEquals(file(name).toString(), OpenFds.target(fd.intValue()));
            PosixException x = assertThrows(PosixException.class, () -> SharedMemory.open(name, CREATE_NEW, 0600));
            assertTrue(x.is(Errno.EEXIST), x.getMessage());
            assertEquals("shm_open(" + name + "): File exists [EEXIST]", x.getMessage());
            try (Fd again = SharedMemory.open(name, EnumSet.of(ShmFlag.READ_WRITE, ShmFlag.CREATE), 0600)) {
                assertTrue(OpenFds.isOpen(again.intValue()), "CREATE without EXCLUSIVE opens the existing one");
            }
        }
        String missing = name();
        PosixException x = assertThrows(PosixException.class,
                () -> SharedMemory.open(missing, EnumSet.of(ShmFlag.READ_WRITE), 0));
        assertTrue(x.is(Errno.ENOENT), x.getMessage());
        assertFalse(Files.exists(file(missing)));
    }

    @Test
    void truncateEmptiesAnExistingObject() throws Exception {
        String name = name();
        Files.write(file(name), new byte[5000]);
        try (Fd fd = SharedMemory.open(name, EnumSet.of(ShmFlag.READ_WRITE, ShmFlag.TRUNCATE), 0)) {
            assertEquals(0, Files.size(file(name)));
            assertEquals(0, SharedMemory.size(fd));
        }
    }

    @Test
    void unlinkRemovesTheNameAndASecondUnlinkFailsWithEnoent() throws Exception {
        String name = name();
        try (Fd fd = SharedMemory.open(name, CREATE_NEW, 0600); Arena arena = Arena.ofConfined()) {
            SharedMemory.resize(fd, 4096);
            MemorySegment m = SharedMemory.map(fd, 0, 4096, MappingMode.READ_WRITE, arena);
            SharedMemory.unlink(name);
            assertFalse(Files.exists(file(name)));
            assertTrue(OpenFds.target(fd.intValue()).endsWith(" (deleted)"), OpenFds.target(fd.intValue()));
            m.set(JAVA_BYTE, 4095, (byte) 1);
            assertEquals(1, m.get(JAVA_BYTE, 4095), "the object lives on while it is mapped");
            PosixException x = assertThrows(PosixException.class, () -> SharedMemory.unlink(name));
            assertTrue(x.is(Errno.ENOENT), x.getMessage());
        }
    }

    @Test
    void aNameOfNameMaxBytesWorksAndOneMoreIsRejected() throws Exception {
        String longest = "/" + "n".repeat(200) + ProcessHandle.current().pid() + "x".repeat(55 - String.valueOf(ProcessHandle.current().pid()).length());
        assertEquals(256, longest.length());
        created.add(longest);
        try (Fd fd = SharedMemory.open(longest, CREATE_NEW, 0600)) {
            assertEquals(file(longest).toString(), OpenFds.target(fd.intValue()));
        }
        SharedMemory.unlink(longest);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.open(longest + "y", CREATE_NEW, 0600));
        assertEquals("name must have at most 255 bytes in UTF-8 after '/': 256 bytes", x.getMessage());
    }

    @Test
    void badNamesAreRejectedBeforeAnyNativeCall() {
        Set<ShmFlag> rw = EnumSet.of(ShmFlag.READ_WRITE, ShmFlag.CREATE);
        assertEquals("name must start with '/': x",
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.open("x", rw, 0600)).getMessage());
        assertEquals("name must have at least one character after '/'",
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.open("/", rw, 0600)).getMessage());
        assertEquals("name must contain no '/' after the leading one: /a/b",
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.unlink("/a/b")).getMessage());
        assertEquals("name must contain no '/' after the leading one: //a",
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.unlink("//a")).getMessage());
        assertEquals("name must not be /. or /..: /..",
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.open("/..", rw, 0600)).getMessage());
        assertEquals("name contains a NUL character: /a\\0b",
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.open("/a\0b", rw, 0600)).getMessage());
        assertThrows(NullPointerException.class, () -> SharedMemory.open(null, rw, 0600));
        assertFalse(Files.exists(Path.of("/dev/shm/x")));
    }

    @Test
    void badFlagCombinationsAreRejectedSayingWhatIsWrong() {
        String name = name();
        assertEquals("flags must contain exactly one of READ_ONLY and READ_WRITE, got neither: [CREATE]",
                assertThrows(IllegalArgumentException.class,
                        () -> SharedMemory.open(name, EnumSet.of(ShmFlag.CREATE), 0600)).getMessage());
        assertEquals("flags must contain exactly one of READ_ONLY and READ_WRITE, got both: [READ_ONLY, READ_WRITE]",
                assertThrows(IllegalArgumentException.class,
                        () -> SharedMemory.open(name, EnumSet.of(ShmFlag.READ_ONLY, ShmFlag.READ_WRITE), 0)).getMessage());
        assertEquals("flags: EXCLUSIVE needs CREATE: [READ_WRITE, EXCLUSIVE]",
                assertThrows(IllegalArgumentException.class,
                        () -> SharedMemory.open(name, EnumSet.of(ShmFlag.READ_WRITE, ShmFlag.EXCLUSIVE), 0)).getMessage());
        assertEquals("flags: TRUNCATE needs READ_WRITE, not READ_ONLY: [READ_ONLY, CREATE, TRUNCATE]",
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.open(name,
                        EnumSet.of(ShmFlag.READ_ONLY, ShmFlag.CREATE, ShmFlag.TRUNCATE), 0600)).getMessage());
        assertEquals("mode must be within 07777: 10000",
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.open(name, CREATE_NEW, 010000)).getMessage());
        assertFalse(Files.exists(file(name)), "nothing was created");
    }

    @Test
    void badMappingArgumentsAreRejectedAndAClosedNumberFailsWithEbadf() throws Exception {
        String name = name();
        try (Fd fd = SharedMemory.open(name, CREATE_NEW, 0600); Arena arena = Arena.ofConfined()) {
            SharedMemory.resize(fd, 4096);
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.map(fd, 100, 10, MappingMode.READ_WRITE, arena));
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.map(fd, -4096, 10, MappingMode.READ_WRITE, arena));
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.map(fd, 0, 0, MappingMode.READ_WRITE, arena));
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.resize(fd, -1));
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> SharedMemory.map(fd, 0, 4097, MappingMode.READ_WRITE, arena));
            assertTrue(x.getMessage().contains("exceeds the size of fd " + fd.intValue() + " (4096 bytes)"), x.getMessage());
            assertEquals(List.of(), maps(file(name)));
        }
        Fd closed = Fd.borrow(OpenFds.closedNumber());
        for (PosixException x : List.of(
                assertThrows(PosixException.class, () -> SharedMemory.size(closed)),
                assertThrows(PosixException.class, () -> SharedMemory.resize(closed, 1)),
                assertThrows(PosixException.class, () -> SharedMemory.map(closed, 0, 1, MappingMode.READ_ONLY, Arena.global())))) {
            assertTrue(x.is(Errno.EBADF), x.getMessage());
        }
    }

    @Test
    void memfdIsAnAnonymousCloseOnExecObjectNamedInProcSelfFd() throws Exception {
        try (Fd fd = SharedMemory.memfd("posix4j-test", Set.of()); Arena arena = Arena.ofConfined()) {
            int n = fd.intValue();
            assertEquals("/memfd:posix4j-test (deleted)", OpenFds.target(n));
            assertEquals(O_CLOEXEC, OpenFds.flags(n) & O_CLOEXEC);
            SharedMemory.resize(fd, 4096);
            assertEquals(4096, Files.size(Path.of("/proc/self/fd/" + n)));
            MemorySegment m = SharedMemory.map(fd, 0, 4096, MappingMode.READ_WRITE, arena);
            m.setString(0, "anonymous", StandardCharsets.US_ASCII);
            byte[] content = Files.readAllBytes(Path.of("/proc/self/fd/" + n));
            assertEquals("anonymous", new String(content, 0, 9, StandardCharsets.US_ASCII));
            assertEquals(1, seals(n), "without ALLOW_SEALING the kernel sets F_SEAL_SEAL");
        }
        try (Fd sealable = SharedMemory.memfd("with/slash", EnumSet.of(MemoryFdFlag.ALLOW_SEALING))) {
            assertEquals("/memfd:with/slash (deleted)", OpenFds.target(sealable.intValue()));
            assertEquals(0, seals(sealable.intValue()), "ALLOW_SEALING leaves the object unsealed");
        }
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.memfd("m".repeat(250), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.memfd("a\0b", Set.of()));
    }

    /// The seals of this JVM's memfd `n`, read by Python through /proc (F_GET_SEALS).
    private static int seals(int n) {
        return Integer.parseInt(Proc.run("python3", "-c",
                "import fcntl, os; fd = os.open('/proc/" + ProcessHandle.current().pid() + "/fd/" + n
                        + "', os.O_RDONLY); print(fcntl.fcntl(fd, fcntl.F_GET_SEALS))"));
    }

    @Test
    void memfdFailsWithEmfileWhenNoDescriptorIsLeft() throws Exception {
        ChildJvm.Result r = ChildJvm.run(NoDescriptorLeft.class).assertSuccess();
        assertEquals("ENOENT", r.value("warm-up="));
        assertEquals("EMFILE", r.value("errno="));
    }

    /// Lowers its own RLIMIT_NOFILE to the lowest free descriptor number, then asks for a memfd.
    /// Every class the failure path needs is loaded first: loading one needs a descriptor too.
    public static final class NoDescriptorLeft {
        public static void main(String[] args) throws Exception {
            SharedMemory.memfd("warm-up", Set.of()).close();
            try {
                SharedMemory.unlink("/posix4j-test-missing-" + ProcessHandle.current().pid());
            } catch (PosixException e) {
                System.out.println("warm-up=" + e.errno().map(Enum::name).orElse("?"));
            }
            int free = 0;
            while (Files.exists(Path.of("/proc/self/fd/" + free))) {
                free++;
            }
            ResourceLimits.set(Resource.NOFILE, Rlimit.of(free, free));
            try (Fd fd = SharedMemory.memfd("none", Set.of())) {
                System.out.println("errno=none, got " + fd);
            } catch (PosixException e) {
                System.out.println("errno=" + e.errno().map(Enum::name).orElse("?"));
            }
        }
    }
}
