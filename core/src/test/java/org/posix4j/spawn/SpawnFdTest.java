package org.posix4j.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFds;
import org.posix4j.io.OpenFlags;
import org.posix4j.process.Resource;
import org.posix4j.process.ResourceLimits;
import org.posix4j.process.Rlimit;
import org.posix4j.signal.Signal;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Requires;
import org.posix4j.testing.TimeFactor;

/// Which descriptors a child inherits, read from the kernel's /proc/PID/fd of a running child.
class SpawnFdTest {
    /// F_DUPFD: a duplicate numbered at least the argument, without close-on-exec.
    private static final int F_DUPFD = 0;

    private static final List<Fd> OPENED = new ArrayList<>();
    private static Fd plain;
    private static Fd closeOnExec;
    private static Fd high;

    /// 50 descriptors in the test JVM, half of them without close-on-exec, one at a high number.
    @BeforeAll
    static void openMany() throws Throwable {
        for (int i = 0; i < 50; i++) {
            Fd fd = Fd.open("/dev/null", OpenFlags.READ_ONLY, 0);
            if (i % 2 == 0) {
                fd.setCloseOnExec(false);
            }
            OPENED.add(fd);
        }
        plain = OPENED.get(0);
        closeOnExec = OPENED.get(1);
        long limit = ResourceLimits.get(Resource.NOFILE).soft().value();
        high = Fd.adopt(dupAtLeast(plain.intValue(), (int) Math.min(limit - 10, 900_000)));
        OPENED.add(high);
        assertFalse(plain.isCloseOnExec());
        assertFalse(high.isCloseOnExec());
    }

    @AfterAll
    static void closeMany() throws PosixException {
        for (Fd fd : OPENED) {
            fd.close();
        }
    }

    static int dupAtLeast(int fd, int min) throws Throwable {
        MemorySegment errno = Libc.errnoSlot();
        int r = FcntlH.FCNTL.call(errno, fd, F_DUPFD, min);
        return Libc.check(r, errno, "fcntl", "F_DUPFD");
    }

    /// The descriptors of process `pid`, number to target, as /proc shows them.
    static TreeMap<Integer, String> fdsOf(long pid) throws IOException {
        TreeMap<Integer, String> fds = new TreeMap<>();
        try (Stream<Path> list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path p : list.toList()) {
                try {
                    fds.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
                } catch (NoSuchFileException closed) {
                    // closed between listing and reading
                }
            }
        }
        return fds;
    }

    /// The descriptors of a `sleep` started by `spawn`, once they are `expected` or after two
    /// seconds. Right after exec, the dynamic loader of the new program briefly opens files
    /// itself (on the lowest free number); what the child inherited stays for its whole life, so
    /// a leak never converges to `expected`.
    static TreeMap<Integer, String> inherited(Set<Integer> expected, Spawn spawn) throws Exception {
        try (Child c = spawn.start()) {
            try {
                TreeMap<Integer, String> fds = fdsOf(c.pid());
                for (long end = TimeFactor.deadline(Duration.ofSeconds(2)); !fds.keySet().equals(expected)
                        && System.nanoTime() < end; fds = fdsOf(c.pid())) {
                    Thread.sleep(5);
                }
                assertEquals(expected, fds.keySet(), () -> "descriptors of " + spawn);
                return fds;
            } finally {
                c.signal(Signal.KILL);
                c.waitFor();
            }
        }
    }

    static Spawn sleep() {
        return Spawn.program("/bin/sleep").args("30");
    }

    @Test
    void onlyStandardDescriptorsByDefault() throws Exception {
        assertTrue(OpenFds.snapshot().size() > 50);
        inherited(Set.of(0, 1, 2), sleep());
        inherited(Set.of(0, 1, 2), sleep().stdout(Redirect.PIPE).stdin(Redirect.PIPE));
    }

    @Test
    void keptDescriptorsAndOnlyThose() throws Exception {
        TreeMap<Integer, String> fds = inherited(Set.of(0, 1, 2, plain.intValue(), closeOnExec.intValue(), high.intValue()),
                sleep().keepFd(plain.intValue()).keepFd(closeOnExec.intValue()).keepFd(high.intValue()));
        assertEquals("/dev/null", fds.get(high.intValue()));
        assertEquals("/dev/null", fds.get(closeOnExec.intValue()), "keepFd clears close-on-exec in the child");
        assertTrue(closeOnExec.isCloseOnExec(), "but not here");
    }

    @Test
    void dup2AndOpenTargetsAreInherited(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        TreeMap<Integer, String> fds = inherited(Set.of(0, 1, 2, 7, 9, 40), sleep().dup2(closeOnExec, 7)
                .dup2(plain.intValue(), 40).open(9, file.toString(), OpenFlags.READ_ONLY, 0));
        assertEquals("/dev/null", fds.get(7));
        assertEquals(file.toString(), fds.get(9));
        fds = inherited(Set.of(0, 1, 2, 5), sleep().open(5, "created", OpenFlags.WRITE_ONLY | OpenFlags.CREATE, 0640)
                .chdir(dir));
        assertEquals(dir.resolve("created").toString(), fds.get(5), "open after chdir resolves from there");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("created"))));
    }

    @Test
    void closeActions() throws Exception {
        inherited(Set.of(0, 2), sleep().close(1));
        inherited(Set.of(1), sleep().closeAllExcept(1));
        inherited(Set.of(), sleep().closeAllExcept());
        inherited(Set.of(0, 2, 600), sleep().closeAllExcept(0, 2, 600).dup2(2, 600));
        inherited(Set.of(0, 1, 2, high.intValue()), sleep().closeAllExcept(0, 1, 2, high.intValue()).keepFd(high.intValue()));
        // Closing a descriptor that is not open is not an error, as in the seed.
        inherited(Set.of(0, 1, 2), sleep().close(plain.intValue()).close(OpenFds.closedNumber()));
        inherited(Set.of(0, 1, 2), sleep().closeIgnoringBadFd(Integer.MAX_VALUE));
        PosixException e = assertThrows(PosixException.class, () -> sleep().close(Integer.MAX_VALUE).start());
        assertTrue(e.is(Errno.EBADF), e.getMessage());
        assertEquals("posix_spawn_file_actions_addclose", e.function());
    }

    @Test
    void keepingAClosedDescriptorFails() throws Exception {
        int closed = OpenFds.closedNumber();
        PosixException e = assertThrows(PosixException.class, () -> sleep().keepFd(closed).start());
        assertTrue(e.is(Errno.EBADF), e.getMessage());
        assertEquals("posix_spawn", e.function());
        Fd gone = Fd.open("/dev/null", OpenFlags.READ_ONLY, 0);
        gone.close();
        assertThrows(IllegalStateException.class, () -> sleep().dup2(gone, 5).start());
    }

    /// Raises RLIMIT_NOFILE to the kernel's nr_open, puts a descriptor without close-on-exec at
    /// the top, and reports what two children inherited.
    public static final class HugeLimit {
        public static void main(String[] args) throws Throwable {
            long max = Long.parseLong(Outputs.sysctl("fs/nr_open"));
            try {
                ResourceLimits.set(Resource.NOFILE, Rlimit.of(max, max));
            } catch (PosixException e) {
                // Root without CAP_SYS_RESOURCE (a container) cannot raise the hard limit.
                max = ResourceLimits.get(Resource.NOFILE).hard().value();
                ResourceLimits.set(Resource.NOFILE, Rlimit.of(max, max));
            }
            int top = dupAtLeast(1, (int) max - 1);
            System.out.println("top=" + top);
            System.out.println("limit=" + ResourceLimits.get(Resource.NOFILE).soft());
            System.out.println("default=" + keys(inherited(Set.of(0, 1, 2), sleep())));
            System.out.println("kept=" + keys(inherited(Set.of(0, 1, 2, top), sleep().keepFd(top))));
        }

        private static String keys(TreeMap<Integer, String> fds) {
            return fds.keySet().stream().map(String::valueOf).collect(Collectors.joining(","));
        }
    }

    @Test
    void hugeDescriptorLimit() throws Exception {
        Requires.root();
        ChildJvm.Result r = ChildJvm.run(HugeLimit.class).assertSuccess();
        String top = r.value("top=");
        assertEquals(Integer.parseInt(top) + 1, Integer.parseInt(r.value("limit=")), r::toString);
        assertEquals("0,1,2", r.value("default="));
        assertEquals("0,1,2," + top, r.value("kept="));
    }
}
