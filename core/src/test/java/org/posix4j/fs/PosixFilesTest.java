package org.posix4j.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.reflect.Proxy;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFds;
import org.posix4j.io.OpenFlags;
import org.posix4j.io.Pipe;
import org.posix4j.process.Credentials;
import org.posix4j.process.CurrentProcess;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Requires;
import org.posix4j.testing.TimeFactor;

class PosixFilesTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    /// A directory on a disk file system, where the page cache is real: posix_fadvise has no
    /// effect on tmpfs, which may back /tmp.
    private Path diskDir;

    @BeforeEach
    void setUp() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        diskDir = Files.createTempDirectory(target, "posixfiles");
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> all = Files.walk(diskDir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static int umask() {
        return Integer.parseInt(Proc.status(ProcessHandle.current().pid(), "Umask"), 8);
    }

    private static String stat(String format, Path p) {
        return Proc.run("stat", "-c", format, p.toString());
    }

    // ---- mkdir ----

    @Test
    void mkdirAppliesTheModeLessTheUmask() throws Exception {
        int umask = umask();
        for (int mode : new int[] {0700, 0755, 0777, 0750, 0711, 0}) {
            Path d = dir.resolve("d" + Integer.toOctalString(mode));
            PosixFiles.mkdir(d, mode);
            assertEquals("directory", stat("%F", d));
            assertEquals(Integer.toOctalString(mode & ~umask), stat("%a", d), "mode 0" + Integer.toOctalString(mode));
        }
        Path d = dir.resolve("default");
        PosixFiles.mkdir(d);
        assertEquals(Integer.toOctalString(0777 & ~umask), stat("%a", d));
    }

    /// Sets the umask from args[0], creates directories under args[1], and waits so the test can
    /// read the child's umask from /proc.
    public static final class MkdirUnderUmask {
        public static void main(String[] args) throws Exception {
            CurrentProcess.setUmask(Integer.parseInt(args[0], 8));
            Path base = Path.of(args[1]);
            for (int mode : new int[] {0777, 01777, 02755, 0644}) {
                PosixFiles.mkdir(base.resolve(Integer.toOctalString(mode)), mode);
            }
            System.out.println("ready");
            new BufferedReader(new InputStreamReader(System.in)).readLine();
        }
    }

    @Test
    void mkdirInAChildWithAKnownUmask() throws Exception {
        for (String umask : new String[] {"0", "27"}) {
            Path base = Files.createDirectory(dir.resolve("umask" + umask));
            try (ChildJvm child = ChildJvm.start(MkdirUnderUmask.class, umask, base.toString())) {
                child.expect("ready");
                int mask = Integer.parseInt(Proc.status(child.pid(), "Umask"), 8);
                assertEquals(Integer.parseInt(umask, 8), mask, "the child's umask, from /proc");
                assertEquals(Integer.toOctalString(0777 & ~mask), stat("%a", base.resolve("777")));
                // mkdir keeps the sticky bit, and drops set-group-ID unless the parent has it.
                assertEquals(Integer.toOctalString(01777 & ~mask), stat("%a", base.resolve("1777")));
                assertEquals(Integer.toOctalString(0755 & ~mask), stat("%a", base.resolve("2755")));
                assertEquals(Integer.toOctalString(0644 & ~mask), stat("%a", base.resolve("644")));
                child.finish().assertSuccess();
            }
        }
    }

    @Test
    void mkdirFailuresCarryTheKernelsErrno() throws Exception {
        Path d = dir.resolve("once");
        PosixFiles.mkdir(d, 0700);
        PosixException e = assertThrows(PosixException.class, () -> PosixFiles.mkdir(d, 0700));
        assertTrue(e.is(Errno.EEXIST), e.getMessage());
        assertEquals("mkdir(" + d + "): File exists [EEXIST]", e.getMessage());

        Path orphan = dir.resolve("no/such/parent");
        e = assertThrows(PosixException.class, () -> PosixFiles.mkdir(orphan, 0700));
        assertTrue(e.is(Errno.ENOENT), e.getMessage());
        assertFalse(Files.exists(dir.resolve("no")));

        Path file = Files.createFile(dir.resolve("plain"));
        e = assertThrows(PosixException.class, () -> PosixFiles.mkdir(file.resolve("sub"), 0700));
        assertTrue(e.is(Errno.ENOTDIR), e.getMessage());
    }

    /// Drops to `nobody` (uid 65534), then tries to create a directory inside args[0].
    public static final class MkdirAsNobody {
        public static void main(String[] args) throws Exception {
            // Load what runs after the drop while the class path is still readable.
            PosixFiles.hasAdvise();
            System.out.println("errno=" + new PosixException("preload", Errno.EACCES, "").errno().orElseThrow());
            Credentials.setGid(65534);
            Credentials.setUid(65534);
            try {
                PosixFiles.mkdir(Path.of(args[0], "sub"), 0700);
                System.out.println("mkdir=ok");
            } catch (PosixException e) {
                System.out.println("mkdir=" + e.errno().orElseThrow());
                System.out.println("message=" + e.getMessage());
            }
        }
    }

    @Test
    void mkdirWithoutWritePermissionIsEacces() throws Exception {
        Requires.root();
        Path parent = Files.createDirectory(diskDir.resolve("rootonly"));
        Proc.run("chmod", "0755", diskDir.toString());
        Proc.run("chmod", "0755", parent.toString());
        assertEquals("root 755", stat("%U %a", parent));
        ChildJvm.Result r = ChildJvm.run(MkdirAsNobody.class, parent.toString()).assertSuccess();
        assertEquals("EACCES", r.value("mkdir="), r.toString());
        assertEquals("mkdir(" + parent.resolve("sub") + "): Permission denied [EACCES]", r.value("message="));
        assertFalse(Files.exists(parent.resolve("sub")));
    }

    /// The default file system's paths refuse NUL themselves, so the check in posix4j is reached
    /// only through another Path implementation: a proxy whose string form has a NUL.
    @Test
    void mkdirRejectsBadArgumentsBeforeCallingTheKernel() {
        String withNul = dir + "/a\0b";
        Path nulPath = (Path) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Path.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("toString")) {
                        return withNul;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PosixFiles.mkdir(nulPath, 0700));
        assertTrue(e.getMessage().startsWith("path "), e.getMessage());
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("a")), "the kernel was called and created the name before the NUL");
        e = assertThrows(IllegalArgumentException.class, () -> PosixFiles.mkdir(Path.of(""), 0700));
        assertTrue(e.getMessage().startsWith("path "), e.getMessage());
        Path d = dir.resolve("badmode");
        for (int mode : new int[] {010000, -1, 0100000}) {
            e = assertThrows(IllegalArgumentException.class, () -> PosixFiles.mkdir(d, mode));
            assertTrue(e.getMessage().startsWith("mode "), e.getMessage());
        }
        assertFalse(Files.exists(d), "the kernel was called despite the bad mode");
    }

    // ---- allocate ----

    private Fd openRw(Path f) throws PosixException {
        return Fd.open(f.toString(), OpenFlags.READ_WRITE | OpenFlags.CREATE, 0600);
    }

    @Test
    void allocateGrowsTheFileAndReservesBlocks() throws Exception {
        Set<String> fds = OpenFds.snapshot();
        Path f = diskDir.resolve("alloc");
        try (Fd fd = openRw(f)) {
            assertEquals("0 0", stat("%s %b", f));
            PosixFiles.allocate(fd, 0, MIB);
            String[] sb = stat("%s %b %B", f).split(" ");
            assertEquals(MIB, Long.parseLong(sb[0]), "size");
            assertTrue(Long.parseLong(sb[1]) * Long.parseLong(sb[2]) >= MIB, "allocated " + String.join(" ", sb));

            PosixFiles.allocate(fd, 4 * MIB, MIB);
            sb = stat("%s %b %B", f).split(" ");
            assertEquals(5 * MIB, Long.parseLong(sb[0]), "size");
            assertTrue(Long.parseLong(sb[1]) * Long.parseLong(sb[2]) >= 2 * MIB, "allocated " + String.join(" ", sb));

            // Inside the file: no change of size.
            PosixFiles.allocate(fd, 0, 10);
            assertEquals(Long.toString(5 * MIB), stat("%s", f));
        }
        OpenFds.assertNoneOpenedSince(fds);
    }

    @Test
    void allocateFillsASparseFileWithoutChangingItsSize() throws Exception {
        Set<String> fds = OpenFds.snapshot();
        Path f = diskDir.resolve("sparse");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(8 * MIB);
        }
        assertEquals(8 * MIB + " 0", stat("%s %b", f));
        try (Fd fd = Fd.open(f.toString(), OpenFlags.WRITE_ONLY, 0)) {
            PosixFiles.allocate(fd, 0, 8 * MIB);
        }
        String[] sb = stat("%s %b %B", f).split(" ");
        assertEquals(8 * MIB, Long.parseLong(sb[0]));
        assertTrue(Long.parseLong(sb[1]) * Long.parseLong(sb[2]) >= 8 * MIB, "allocated " + String.join(" ", sb));
        OpenFds.assertNoneOpenedSince(fds);
    }

    @Test
    void allocateFailuresCarryTheKernelsErrno() throws Exception {
        Set<String> fds = OpenFds.snapshot();
        Path f = diskDir.resolve("ro");
        Files.writeString(f, "x");
        try (Fd ro = Fd.open(f.toString(), OpenFlags.READ_ONLY, 0)) {
            PosixException e = assertThrows(PosixException.class, () -> PosixFiles.allocate(ro, 0, MIB));
            assertTrue(e.is(Errno.EBADF), e.getMessage());
            assertEquals("posix_fallocate", e.function());
            assertEquals("posix_fallocate(fd " + ro.intValue() + ", 0, " + MIB + "): Bad file descriptor [EBADF]",
                    e.getMessage());
        }
        assertEquals("1", stat("%s", f));
        try (Pipe pipe = Pipe.open()) {
            PosixException e = assertThrows(PosixException.class, () -> PosixFiles.allocate(pipe.writeEnd(), 0, 10));
            assertTrue(e.is(Errno.ESPIPE), e.getMessage());
        }
        try (Fd rw = openRw(diskDir.resolve("huge"))) {
            PosixException e = assertThrows(PosixException.class,
                    () -> PosixFiles.allocate(rw, Long.MAX_VALUE - 10, 100));
            assertTrue(e.is(Errno.EFBIG), e.getMessage());
        }
        PosixException e = assertThrows(PosixException.class,
                () -> PosixFiles.allocate(Fd.borrow(OpenFds.closedNumber()), 0, 10));
        assertTrue(e.is(Errno.EBADF), e.getMessage());
        OpenFds.assertNoneOpenedSince(fds);
    }

    @Test
    void allocateBeyondTheFreeSpaceIsEnospc() throws Exception {
        Requires.root();
        Path mnt = Files.createDirectory(dir.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1M", "posix4j-test", mnt.toString())
                .redirectErrorStream(true).start();
        String why = new String(mount.getInputStream().readAllBytes());
        Requires.that(mount.waitFor() == 0, "cannot mount a tmpfs: " + why);
        try {
            assertEquals("tmpfs", Proc.run("stat", "-f", "-c", "%T", mnt.toString()));
            Path f = mnt.resolve("big");
            try (Fd fd = openRw(f)) {
                PosixException e = assertThrows(PosixException.class, () -> PosixFiles.allocate(fd, 0, 4 * MIB));
                assertTrue(e.is(Errno.ENOSPC), e.getMessage());
                PosixFiles.allocate(fd, 0, 256 * 1024);
                assertEquals(Long.toString(256 * 1024), stat("%s", f));
            }
        } finally {
            Proc.run("umount", mnt.toString());
        }
    }

    @Test
    void allocateRejectsBadRangesBeforeCallingTheKernel() throws Exception {
        Set<String> fds = OpenFds.snapshot();
        Path f = diskDir.resolve("range");
        try (Fd fd = openRw(f)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PosixFiles.allocate(fd, -1, 10));
            assertTrue(e.getMessage().startsWith("offset "), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> PosixFiles.allocate(fd, 0, 0));
            assertTrue(e.getMessage().startsWith("length "), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> PosixFiles.allocate(fd, 0, -5));
            assertTrue(e.getMessage().startsWith("length "), e.getMessage());
        }
        assertEquals("0", stat("%s", f), "the kernel was called despite the bad range");
        OpenFds.assertNoneOpenedSince(fds);
    }

    // ---- advise ----

    @Test
    void everyAdviceHasTheCValueAndIsAccepted() throws Exception {
        Set<String> fds = OpenFds.snapshot();
        Map<String, Integer> python = new HashMap<>();
        for (String line : Proc.lines("python3", "-c",
                "import os\nfor n in dir(os):\n    if n.startswith('POSIX_FADV_'): print(n, getattr(os, n))")) {
            String[] kv = line.split(" ");
            python.put(kv[0].substring("POSIX_FADV_".length()).replace("NEED", "_NEED"), Integer.parseInt(kv[1]));
        }
        Path f = diskDir.resolve("advice");
        Files.write(f, new byte[64 * 1024]);
        try (Fd fd = Fd.open(f.toString(), OpenFlags.READ_ONLY, 0)) {
            for (Advice a : Advice.values()) {
                String key = a == Advice.NO_REUSE ? "NOREUSE" : a.name();
                assertEquals(python.get(key), a.value(), a.name());
                PosixFiles.advise(fd, 0, 0, a);
                PosixFiles.advise(fd, 4096, 8192, a);
            }
        }
        assertEquals(Advice.values().length, python.size());
        OpenFds.assertNoneOpenedSince(fds);
    }

    private static long resident(Path f) {
        return Long.parseLong(Proc.run("fincore", "--bytes", "--noheadings", "--output", "RES", f.toString()));
    }

    @Test
    void dontNeedDropsAndWillNeedLoadsThePageCache() throws Exception {
        Set<String> fds = OpenFds.snapshot();
        String fs = Proc.run("stat", "-f", "-c", "%T", diskDir.toString());
        Requires.that(!fs.equals("tmpfs") && !fs.equals("ramfs"), "the page cache of " + fs + " cannot be dropped");
        Path f = diskDir.resolve("cached");
        long size = 4 * MIB;
        try (OutputStream out = Files.newOutputStream(f)) {
            byte[] chunk = new byte[(int) MIB];
            Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 4; i++) {
                out.write(chunk);
            }
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        assertEquals(size, resident(f), "a freshly written file is cached");
        try (Fd fd = Fd.open(f.toString(), OpenFlags.READ_ONLY, 0)) {
            PosixFiles.advise(fd, 0, 0, Advice.DONT_NEED);
            assertEquals(0, resident(f), "DONT_NEED dropped the clean pages");

            PosixFiles.advise(fd, 0, MIB, Advice.WILL_NEED);
            long res = 0;
            for (long deadline = TimeFactor.deadline(Duration.ofSeconds(5)); System.nanoTime() < deadline; Thread.sleep(20)) {
                if ((res = resident(f)) >= MIB) {
                    break;
                }
            }
            assertTrue(res >= MIB, "WILL_NEED read in " + res + " bytes of the first MiB");
            assertTrue(res < size, "WILL_NEED read beyond the range: " + res);

            PosixFiles.advise(fd, 0, 0, Advice.DONT_NEED);
            assertEquals(0, resident(f));
        }
        OpenFds.assertNoneOpenedSince(fds);
    }

    @Test
    void adviseFailuresCarryTheKernelsErrno() throws Exception {
        Set<String> fds = OpenFds.snapshot();
        try (Pipe pipe = Pipe.open()) {
            PosixException e = assertThrows(PosixException.class,
                    () -> PosixFiles.advise(pipe.readEnd(), 0, 0, Advice.SEQUENTIAL));
            assertTrue(e.is(Errno.ESPIPE), e.getMessage());
            assertEquals("posix_fadvise", e.function());
        }
        int closed = OpenFds.closedNumber();
        PosixException e = assertThrows(PosixException.class,
                () -> PosixFiles.advise(Fd.borrow(closed), 0, 0, Advice.NORMAL));
        assertTrue(e.is(Errno.EBADF), e.getMessage());
        assertEquals("posix_fadvise(fd " + closed + ", 0, 0, NORMAL): Bad file descriptor [EBADF]", e.getMessage());
        OpenFds.assertNoneOpenedSince(fds);
    }

    @Test
    void adviseRejectsBadRangesBeforeCallingTheKernel() throws Exception {
        Set<String> fds = OpenFds.snapshot();
        Path f = diskDir.resolve("r");
        Files.writeString(f, "x");
        try (Fd fd = Fd.open(f.toString(), OpenFlags.READ_ONLY, 0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PosixFiles.advise(fd, -1, 0, Advice.NORMAL));
            assertTrue(e.getMessage().startsWith("offset "), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> PosixFiles.advise(fd, 0, -1, Advice.NORMAL));
            assertTrue(e.getMessage().startsWith("length "), e.getMessage());
        }
        // Java rejects the range even where the kernel would have said EBADF.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PosixFiles.advise(Fd.borrow(OpenFds.closedNumber()), -1, 0, Advice.NORMAL));
        assertTrue(e.getMessage().startsWith("offset "), e.getMessage());
        OpenFds.assertNoneOpenedSince(fds);
    }
}
