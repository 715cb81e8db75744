package org.posix4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.testing.Proc;

class FdTest {
    private static final int O_CLOEXEC = 02000000;

    @TempDir
    Path dir;

    /// The descriptors open now that were not open in `before`.
    static Set<String> added(Set<String> before) {
        Set<String> now = new HashSet<>(OpenFds.snapshot());
        now.removeAll(before);
        return now;
    }

    private Path file(String content) throws IOException {
        Path f = Files.createTempFile(dir, "fd", ".txt");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void openSetsCloseOnExecAndRefersToTheFile() throws Exception {
        Path f = file("hello");
        Set<String> before = OpenFds.snapshot();
        try (Fd fd = Fd.open(f.toString(), OpenFlags.READ_ONLY, 0)) {
            int n = fd.intValue();
            assertEquals(f.toRealPath().toString(), OpenFds.target(n));
            assertEquals(O_CLOEXEC, OpenFds.flags(n) & O_CLOEXEC, "O_CLOEXEC in fdinfo flags");
            assertEquals(OpenFlags.READ_ONLY, OpenFds.flags(n) & 3, "access mode");
            assertTrue(fd.isOwned());
            assertTrue(fd.isOpen());
            assertTrue(fd.isCloseOnExec());
            assertEquals(Set.of(n + " -> " + f.toRealPath()), added(before));
        }
        OpenFds.assertNoneOpenedSince(before);
    }

    @Test
    void openCreatesWithModeAndFlags() throws Exception {
        Path f = dir.resolve("created");
        int umask = Integer.parseInt(Proc.status(ProcessHandle.current().pid(), "Umask"), 8);
        try (Fd fd = Fd.open(f.toString(), OpenFlags.WRITE_ONLY | OpenFlags.CREATE | OpenFlags.EXCLUSIVE, 0640)) {
            int flags = OpenFds.flags(fd.intValue());
            assertEquals(OpenFlags.WRITE_ONLY, flags & 3, "access mode");
            assertEquals(O_CLOEXEC, flags & O_CLOEXEC, "O_CLOEXEC");
        }
        assertEquals(Integer.toOctalString(0640 & ~umask), Proc.run("stat", "-c", "%a", f.toString()));
        PosixException e = assertThrows(PosixException.class,
                () -> Fd.open(f.toString(), OpenFlags.WRITE_ONLY | OpenFlags.CREATE | OpenFlags.EXCLUSIVE, 0640));
        assertTrue(e.is(Errno.EEXIST), e.getMessage());
    }

    @Test
    void openMissingFileIsEnoent() throws Exception {
        String missing = dir.resolve("missing").toString();
        Set<String> before = OpenFds.snapshot();
        PosixException e = assertThrows(PosixException.class, () -> Fd.open(missing, OpenFlags.READ_ONLY, 0));
        assertTrue(e.is(Errno.ENOENT), e.getMessage());
        assertEquals("open", e.function());
        assertEquals(missing, e.subject());
        assertEquals("open(" + missing + "): No such file or directory [ENOENT]", e.getMessage());
        OpenFds.assertNoneOpenedSince(before);
    }

    /// A read-only sysctl (mode 0444) refuses writers with EACCES even to root: the sysctl
    /// permission check does not honour CAP_DAC_OVERRIDE for a missing write bit.
    @Test
    void openForWritingAReadOnlySysctlIsEacces() {
        String path = "/proc/sys/kernel/osrelease";
        assertEquals("444", Proc.run("stat", "-c", "%a", path));
        PosixException e = assertThrows(PosixException.class, () -> Fd.open(path, OpenFlags.WRITE_ONLY, 0));
        assertTrue(e.is(Errno.EACCES), e.getMessage());
        assertTrue(e.isPermission());
    }

    @Test
    void openDirectoryForWritingIsEisdir() {
        PosixException e = assertThrows(PosixException.class, () -> Fd.open(dir.toString(), OpenFlags.READ_WRITE, 0));
        assertTrue(e.is(Errno.EISDIR), e.getMessage());
    }

    @Test
    void openRejectsBadArgumentsBeforeCallingTheKernel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fd.open("", OpenFlags.READ_ONLY, 0));
        assertTrue(e.getMessage().startsWith("path "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Fd.open("/etc\0/passwd", OpenFlags.READ_ONLY, 0));
        assertTrue(e.getMessage().startsWith("path "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Fd.open(dir.resolve("x").toString(), OpenFlags.CREATE | OpenFlags.WRITE_ONLY, 010000));
        assertTrue(e.getMessage().startsWith("mode "), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x")), "the kernel was called despite the bad mode");
    }

    @Test
    void closeClosesTheNumberExactlyOnce() throws Exception {
        Path f = file("x");
        Fd first = Fd.open(f.toString(), OpenFlags.READ_ONLY, 0);
        int n = first.intValue();
        assertTrue(OpenFds.isOpen(n));
        first.close();
        assertFalse(OpenFds.isOpen(n), "fd " + n + " still in /proc/self/fd after close");
        assertFalse(first.isOpen());
        // The kernel hands out the lowest free number, so the next open very likely reuses n;
        // a second close of `first` must not close that new descriptor.
        try (Fd second = Fd.open(f.toString(), OpenFlags.READ_ONLY, 0)) {
            int m = second.intValue();
            first.close();
            assertTrue(OpenFds.isOpen(m), "second close of a closed Fd closed fd " + m);
            assertEquals(f.toRealPath().toString(), OpenFds.target(m));
        }
    }

    @Test
    void intValueAfterCloseIsIllegalState() throws Exception {
        Fd fd = Fd.open(file("x").toString(), OpenFlags.READ_ONLY, 0);
        int n = fd.intValue();
        fd.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, fd::intValue);
        assertTrue(e.getMessage().contains("fd " + n), e.getMessage());
        assertThrows(IllegalStateException.class, fd::isCloseOnExec);
        assertThrows(IllegalStateException.class, fd::duplicate);
    }

    @Test
    void negativeNumbersAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fd.adopt(-1));
        assertTrue(e.getMessage().startsWith("fd "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Fd.borrow(-3));
        assertTrue(e.getMessage().startsWith("fd "), e.getMessage());
    }

    @Test
    void adoptTakesOwnership() throws Exception {
        Path f = file("adopted");
        try (Fd original = Fd.open(f.toString(), OpenFlags.READ_ONLY, 0)) {
            // A raw number from elsewhere: a duplicate whose Fd object is dropped unclosed.
            int raw = original.duplicate().intValue();
            assertTrue(OpenFds.isOpen(raw));
            Fd adopted = Fd.adopt(raw);
            assertTrue(adopted.isOwned());
            assertEquals(raw, adopted.intValue());
            adopted.close();
            assertFalse(OpenFds.isOpen(raw), "closing an adopted Fd must close fd " + raw);
            assertTrue(OpenFds.isOpen(original.intValue()));
        }
    }

    @Test
    void closingABorrowedViewLeavesTheDescriptorOpen() throws Exception {
        try (Fd owner = Fd.open(file("b").toString(), OpenFlags.READ_ONLY, 0)) {
            int n = owner.intValue();
            Fd view = Fd.borrow(n);
            assertFalse(view.isOwned());
            assertEquals(n, view.intValue());
            view.close();
            assertTrue(OpenFds.isOpen(n), "closing a borrowed view closed fd " + n);
            assertFalse(view.isOpen());
            assertThrows(IllegalStateException.class, view::intValue);
            assertTrue(owner.isOpen());
        }
    }

    @Test
    void standardStreamsAreBorrowed() throws Exception {
        Fd[] std = {Fd.stdin(), Fd.stdout(), Fd.stderr()};
        for (int i = 0; i < 3; i++) {
            assertEquals(i, std[i].intValue());
            assertFalse(std[i].isOwned());
            assertEquals(i, Fd.borrow(i).intValue());
            assertFalse(Fd.borrow(i).isOwned());
        }
        for (int i = 0; i < 3; i++) {
            String before = OpenFds.target(i);
            std[i].close();
            Fd.borrow(i).close();
            assertTrue(OpenFds.isOpen(i), "closing the view of " + i + " closed it");
            assertEquals(before, OpenFds.target(i));
        }
        // A closed view must not poison the views others obtain afterwards.
        assertEquals(0, Fd.stdin().intValue());
        assertEquals(1, Fd.stdout().intValue());
        assertEquals(2, Fd.stderr().intValue());
        assertTrue(Fd.stdout().isOpen());
        assertEquals(1, Fd.borrow(1).intValue());
    }

    @Test
    void duplicateIsANewCloseOnExecDescriptorForTheSameFile() throws Exception {
        Path f = file("0123456789");
        Set<String> before = OpenFds.snapshot();
        try (Fd fd = Fd.open(f.toString(), OpenFlags.READ_ONLY, 0)) {
            fd.setCloseOnExec(false);
            assertEquals(0, OpenFds.flags(fd.intValue()) & O_CLOEXEC, "F_SETFD cleared FD_CLOEXEC");
            assertFalse(fd.isCloseOnExec());
            try (Fd dup = fd.duplicate()) {
                assertNotEquals(fd.intValue(), dup.intValue());
                assertTrue(dup.isOwned());
                assertEquals(O_CLOEXEC, OpenFds.flags(dup.intValue()) & O_CLOEXEC, "dup is O_CLOEXEC");
                assertEquals(OpenFds.target(fd.intValue()), OpenFds.target(dup.intValue()));
                // Same open file description: reading one advances the offset of the other.
                byte[] three = new byte[3];
                assertEquals(3, dup.inputStream().read(three));
                assertEquals("012", new String(three, StandardCharsets.US_ASCII));
                assertEquals("pos:\t3", Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd.intValue())).get(0));
            }
            fd.setCloseOnExec(true);
            assertEquals(O_CLOEXEC, OpenFds.flags(fd.intValue()) & O_CLOEXEC);
        }
        OpenFds.assertNoneOpenedSince(before);
    }

    @Test
    void fcntlOnAClosedNumberIsEbadf() {
        Fd stale = Fd.borrow(OpenFds.closedNumber());
        PosixException e = assertThrows(PosixException.class, stale::isCloseOnExec);
        assertTrue(e.is(Errno.EBADF), e.getMessage());
        e = assertThrows(PosixException.class, stale::duplicate);
        assertTrue(e.is(Errno.EBADF), e.getMessage());
    }

    @Test
    void streamsReadAndWriteAFile() throws Exception {
        Path f = dir.resolve("rw");
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        try (var out = Fd.open(f.toString(), OpenFlags.WRITE_ONLY | OpenFlags.CREATE | OpenFlags.TRUNCATE, 0600).outputStream()) {
            out.write(data);
            out.write(42);
        }
        assertEquals(Long.toString(data.length + 1), Proc.run("stat", "-c", "%s", f.toString()));
        Fd in = Fd.open(f.toString(), OpenFlags.READ_ONLY, 0);
        try (var s = in.inputStream()) {
            byte[] back = s.readNBytes(data.length);
            assertArrayEquals(data, back);
            assertEquals(42, s.read());
            assertEquals(-1, s.read(), "end of file");
        }
        assertFalse(in.isOpen(), "closing the stream closes the Fd");
    }

    /// read and write take the caller's segment, so the native call is linked to check it: a heap
    /// segment or one whose arena is closed is refused before the kernel sees the call, and the
    /// bytes stay in the pipe for the next read.
    @Test
    void readAndWriteRefuseHeapAndClosedSegmentsAndLoseNothing() throws Exception {
        try (Pipe pipe = Pipe.open(); Arena arena = Arena.ofConfined()) {
            assertEquals(3, pipe.writeEnd().write(arena.allocateFrom("abc", StandardCharsets.US_ASCII).asSlice(0, 3)));
            MemorySegment heap = MemorySegment.ofArray(new byte[8]);
            assertThrows(IllegalArgumentException.class, () -> pipe.readEnd().read(heap));
            assertThrows(IllegalArgumentException.class, () -> pipe.writeEnd().write(heap));
            MemorySegment closed;
            try (Arena gone = Arena.ofConfined()) {
                closed = gone.allocate(8);
            }
            assertThrows(IllegalStateException.class, () -> pipe.readEnd().read(closed));
            assertThrows(IllegalStateException.class, () -> pipe.writeEnd().write(closed));
            MemorySegment dst = arena.allocate(8);
            assertEquals(3, pipe.readEnd().read(dst), "the three bytes are still in the pipe");
            assertEquals("abc", new String(dst.asSlice(0, 3).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
        }
    }
}
