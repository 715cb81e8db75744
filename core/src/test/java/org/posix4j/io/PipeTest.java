package org.posix4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.io.OpenFds.flags;
import static org.posix4j.io.OpenFds.isOpen;
import static org.posix4j.io.OpenFds.target;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Report;
import org.posix4j.testing.TimeFactor;

class PipeTest {
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final int SIGPIPE = 13;

    private static byte[] randomBytes(int size) {
        byte[] b = new byte[size];
        RandomGenerator.of("L64X128MixRandom").nextBytes(b);
        return b;
    }

    @Test
    void bothEndsAreOneCloseOnExecPipe() throws Exception {
        Set<String> before = OpenFds.snapshot();
        Pipe pipe = Pipe.open();
        int r = pipe.readEnd().intValue();
        int w = pipe.writeEnd().intValue();
        assertEquals(Set.of(r + " -> " + target(r), w + " -> " + target(w)), FdTest.added(before));
        assertTrue(target(r).matches("pipe:\\[\\d+]"), target(r));
        assertEquals(target(r), target(w), "both ends are the same pipe inode");
        assertEquals(0, flags(r) & 3, "read end is O_RDONLY");
        assertEquals(1, flags(w) & 3, "write end is O_WRONLY");
        for (int n : new int[] {r, w}) {
            assertEquals(O_CLOEXEC, flags(n) & O_CLOEXEC, "O_CLOEXEC on " + n);
            assertEquals(0, flags(n) & O_NONBLOCK, "blocking " + n);
        }
        pipe.close();
        assertFalse(isOpen(r));
        assertFalse(isOpen(w));
        assertFalse(pipe.readEnd().isOpen());
        assertFalse(pipe.writeEnd().isOpen());
        OpenFds.assertNoneOpenedSince(before);
        pipe.close();
        OpenFds.assertNoneOpenedSince(before);
    }

    @Test
    void nonBlockingEmptyReadIsEagainAndFullWriteIsEagain() throws Exception {
        Set<String> before = OpenFds.snapshot();
        try (Pipe pipe = Pipe.openNonBlocking(); Arena arena = Arena.ofConfined()) {
            for (Fd end : new Fd[] {pipe.readEnd(), pipe.writeEnd()}) {
                int flags = flags(end.intValue());
                assertEquals(O_NONBLOCK, flags & O_NONBLOCK, "O_NONBLOCK on " + end);
                assertEquals(O_CLOEXEC, flags & O_CLOEXEC, "O_CLOEXEC on " + end);
            }
            MemorySegment buf = arena.allocate(4096);
            PosixException e = assertThrows(PosixException.class, () -> pipe.readEnd().read(buf));
            assertTrue(e.is(Errno.EAGAIN), e.getMessage());
            assertTrue(e.is(Errno.EWOULDBLOCK));
            assertEquals("read", e.function());

            // Writes of PIPE_BUF (4096) bytes are atomic, so the pipe fills to exactly its
            // default capacity, 16 pages, before the kernel refuses.
            long written = 0;
            while (true) {
                try {
                    written += pipe.writeEnd().write(buf);
                } catch (PosixException full) {
                    assertTrue(full.is(Errno.EAGAIN), full.getMessage());
                    break;
                }
            }
            long page = Long.parseLong(Proc.run("getconf", "PAGESIZE"));
            assertEquals(16 * page, written);
            long drained = 0;
            while (drained < written) {
                drained += pipe.readEnd().read(buf);
            }
            assertEquals(written, drained);
            e = assertThrows(PosixException.class, () -> pipe.readEnd().read(buf));
            assertTrue(e.is(Errno.EAGAIN), e.getMessage());
        }
        OpenFds.assertNoneOpenedSince(before);
    }

    @Test
    void streamsCarryALargeTransferAndSeeEndOfFile() throws Exception {
        byte[] data = randomBytes(1 << 20 | 12345);
        Set<String> before = OpenFds.snapshot();
        Pipe pipe = Pipe.open();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = pipe.writeEnd().outputStream()) {
                out.write(data, 0, 1000);
                out.write(data[1000]);
                out.write(data, 1001, data.length - 1001);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        byte[] back;
        try (InputStream in = pipe.readEnd().inputStream()) {
            back = in.readAllBytes();
            assertEquals(-1, in.read(), "end of file after the write end closed");
        }
        writer.get(TimeFactor.scale(30), TimeUnit.SECONDS);
        assertArrayEquals(data, back);
        assertFalse(pipe.readEnd().isOpen());
        assertFalse(pipe.writeEnd().isOpen());
        OpenFds.assertNoneOpenedSince(before);
    }

    @ParameterizedTest(name = "write direct={0}, read direct={1}")
    @CsvSource({"false,false", "true,true", "true,false", "false,true"})
    void channelsCarryALargeTransfer(boolean directWrite, boolean directRead) throws Exception {
        byte[] data = randomBytes(300_001);
        Set<String> before = OpenFds.snapshot();
        Pipe pipe = Pipe.open();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (FdChannel out = pipe.writeEnd().channel()) {
                ByteBuffer src = directWrite ? ByteBuffer.allocateDirect(data.length) : ByteBuffer.allocate(data.length + 10);
                if (!directWrite) {
                    src.position(10);
                }
                src.put(data).flip();
                if (!directWrite) {
                    src.position(10);
                }
                while (src.hasRemaining()) {
                    assertTrue(out.write(src) > 0);
                }
                assertEquals(0, out.write(src), "nothing remaining");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        ByteBuffer dst = directRead ? ByteBuffer.allocateDirect(data.length + 100) : ByteBuffer.allocate(data.length + 100);
        dst.position(7);
        try (FdChannel in = pipe.readEnd().channel()) {
            assertTrue(in.isOpen());
            assertEquals(pipe.readEnd(), in.fd());
            int n;
            while ((n = in.read(dst)) >= 0) {
                assertNotEquals(0, n, "a blocking read returns data or end of file");
            }
            assertEquals(7 + data.length, dst.position());
            assertEquals(-1, in.read(dst));
        }
        writer.get(TimeFactor.scale(30), TimeUnit.SECONDS);
        byte[] back = new byte[data.length];
        dst.flip().position(7);
        dst.get(back);
        assertArrayEquals(data, back);
        OpenFds.assertNoneOpenedSince(before);
    }

    @Test
    void closedChannelIsRefused() throws Exception {
        Pipe pipe = Pipe.open();
        int r = pipe.readEnd().intValue();
        FdChannel in = pipe.readEnd().channel();
        in.close();
        assertFalse(in.isOpen());
        assertFalse(isOpen(r), "closing the channel closes the descriptor");
        assertThrows(ClosedChannelException.class, () -> in.read(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, () -> in.write(ByteBuffer.allocate(1)));
        pipe.close();
    }

    @Test
    void closedStreamsThrowIOExceptionAsInputStreamRequires() throws Exception {
        Pipe pipe = Pipe.open();
        int r = pipe.readEnd().intValue();
        int w = pipe.writeEnd().intValue();
        InputStream in = pipe.readEnd().inputStream();
        OutputStream out = pipe.writeEnd().outputStream();
        in.close();
        out.close();
        assertFalse(isOpen(r), "closing the input stream closes the descriptor");
        assertFalse(isOpen(w), "closing the output stream closes the descriptor");
        assertThrows(IOException.class, in::read);
        assertThrows(IOException.class, () -> out.write(1));
        in.close();
        out.close();
    }

    /// The JVM catches SIGPIPE (HotSpot installs a handler), so writing to a pipe whose read end is
    /// closed reports EPIPE instead of killing the process.
    @Test
    void writeWithTheReadEndClosedIsEpipe() throws Exception {
        long pid = ProcessHandle.current().pid();
        long ign = Long.parseUnsignedLong(Proc.status(pid, "SigIgn"), 16);
        long cgt = Long.parseUnsignedLong(Proc.status(pid, "SigCgt"), 16);
        assertTrue(((ign | cgt) & (1L << (SIGPIPE - 1))) != 0, "the JVM neither ignores nor catches SIGPIPE");

        Set<String> before = OpenFds.snapshot();
        try (Pipe pipe = Pipe.open(); Arena arena = Arena.ofConfined()) {
            pipe.readEnd().close();
            PosixException e = assertThrows(PosixException.class, () -> pipe.writeEnd().write(arena.allocate(10)));
            assertTrue(e.is(Errno.EPIPE), e.getMessage());
            assertEquals("write(fd " + pipe.writeEnd().intValue() + "): Broken pipe [EPIPE]", e.getMessage());
            OutputStream out = pipe.writeEnd().outputStream();
            e = assertThrows(PosixException.class, () -> out.write(new byte[100_000]));
            assertTrue(e.is(Errno.EPIPE), e.getMessage());
            e = assertThrows(PosixException.class, () -> pipe.writeEnd().channel().write(ByteBuffer.allocate(5)));
            assertTrue(e.is(Errno.EPIPE), e.getMessage());
        }
        OpenFds.assertNoneOpenedSince(before);
    }

    /// Fills its descriptor table (limit 100) with pipes and files, then reports what fails.
    public static final class Exhaust {


        public static void main(String[] args) throws Exception {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            // Load everything used below while descriptors are still free.
            Pipe.open().close();
            Fd.open("/dev/null", OpenFlags.READ_ONLY, 0).duplicate().close();
            Report.value("preload", () -> {
                throw new PosixException("preload", Errno.EMFILE, "");
            });
            List<Pipe> held = new ArrayList<>();
            Report.value("pipe", () -> {
                while (true) {
                    held.add(Pipe.open());
                }
            });
            List<Fd> files = new ArrayList<>();
            Report.value("open", () -> {
                while (true) {
                    files.add(Fd.open("/dev/null", OpenFlags.READ_ONLY, 0));
                }
            });
            Report.value("dup", () -> held.get(0).writeEnd().duplicate());
            System.out.println("step=full");
            in.readLine();
            held.get(0).readEnd().close();
            Report.value("pipe.oneFree", Pipe::open);
            System.out.println("step=oneFree");
            in.readLine();
            Report.value("dup.oneFree", () -> held.get(0).writeEnd().duplicate().intValue());
            System.out.println("step=done");
        }
    }

    private static long fdCount(long pid) throws Exception {
        try (Stream<Path> fds = Files.list(
                Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }

    @Test
    void runningOutOfDescriptorsIsEmfileAndLeavesNoHalfPipe() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("prlimit", "--nofile=100:100", "--"));
        cmd.addAll(ChildJvm.command(List.of("-XX:-MaxFDLimit"), Exhaust.class));
        try (var child = ChildJvm.start(new ProcessBuilder(cmd))) {
            assertEquals("EMFILE", child.expect("pipe="));
            assertEquals("EMFILE", child.expect("open="));
            assertEquals("EMFILE", child.expect("dup="));
            child.expect("step=full");
            assertEquals(100, fdCount(child.pid()), "every descriptor the limit allows is in use");
            child.send("next");
            assertEquals("EMFILE", child.expect("pipe.oneFree="), "pipe2 needs two descriptors");
            child.expect("step=oneFree");
            assertEquals(99, fdCount(child.pid()), "the failed pipe2 left no end open");
            child.send("next");
            String dup = child.expect("dup.oneFree=");
            assertTrue(dup.matches("\\d+"), dup);
            child.expect("step=done");
            child.finish().assertSuccess();
        }
    }

    @Test
    void readAndWriteOnAClosedNumberAreEbadf() throws Exception {
        Fd stale = Fd.borrow(OpenFds.closedNumber());
        try (Arena arena = Arena.ofConfined()) {
            PosixException e = assertThrows(PosixException.class, () -> stale.read(arena.allocate(1)));
            assertTrue(e.is(Errno.EBADF), e.getMessage());
            e = assertThrows(PosixException.class, () -> stale.write(arena.allocate(1)));
            assertTrue(e.is(Errno.EBADF), e.getMessage());
        }
    }

    @Test
    void writingTheReadEndIsEbadf() throws Exception {
        try (Pipe pipe = Pipe.open(); Arena arena = Arena.ofConfined()) {
            PosixException e = assertThrows(PosixException.class, () -> pipe.readEnd().write(arena.allocate(1)));
            assertTrue(e.is(Errno.EBADF), e.getMessage());
            e = assertThrows(PosixException.class, () -> pipe.writeEnd().read(arena.allocate(1)));
            assertTrue(e.is(Errno.EBADF), e.getMessage());
        }
    }
}
