package org.posix4j.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.NoFdLeaks;
import org.posix4j.testing.Report;
import org.posix4j.testing.TimeFactor;

@ExtendWith(NoFdLeaks.class)
class PidFileTest {

    /// @TempDir names directories with SecureRandom, whose first use opens /dev/random and
    /// /dev/urandom for good; done here so the leak check sees only what PidFile opens.
    @BeforeAll
    static void openTheJdksRandomSources() {
        new SecureRandom().nextInt();
    }

    /// Creates the pid file named by args[0], holds it until stdin gives a line or ends, then
    /// exits without closing it: removing the file is the shutdown hook's job.
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            Report.value("create", () -> PidFile.create(Path.of(args[0])).pid());
            System.in.read();
            System.exit(0);
        }
    }

    /// Creates and closes explicitly, reporting whether the file exists before and after.
    public static final class CleanClose {
        public static void main(String[] args) throws Exception {
            Path path = Path.of(args[0]);
            try (PidFile pidFile = PidFile.create(path)) {
                System.out.println("running=" + PidFile.isRunning(path));
                System.out.println("content=" + Files.readString(path).replace("\n", "\\n"));
                System.out.println("pid=" + pidFile.pid());
            }
            System.out.println("exists=" + Files.exists(path));
            System.out.println("runningAfter=" + PidFile.isRunning(path));
        }
    }

    private static int startStopStatus(Path pidFile) throws Exception {
        Process p = new ProcessBuilder("start-stop-daemon", "--status", "--pidfile", pidFile.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(TimeFactor.scale(20), TimeUnit.SECONDS));
        return p.exitValue();
    }

    private static List<String> locksOn(Path file) throws Exception {
        long inode = (Long) Files.getAttribute(file, "unix:ino");
        return Files.readAllLines(Path.of("/proc/locks")).stream()
                .filter(l -> l.split("\\s+")[5].endsWith(":" + inode)).toList();
    }

    @Test
    void secondStartFailsNamingTheFirstAndStaleFileIsTakenOver(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("d.pid");
        try (ChildJvm first = ChildJvm.start(Holder.class, path.toString())) {
            assertEquals(Long.toString(first.pid()), first.expect("create="));
            assertEquals(first.pid() + "\n", Files.readString(path));
            assertEquals(OptionalInt.of((int) first.pid()), PidFile.readPid(path));
            assertTrue(PidFile.isRunning(path));
            List<String> locks = locksOn(path);
            assertEquals(1, locks.size(), locks.toString());
            String[] lock = locks.get(0).split("\\s+");
            assertEquals(List.of("OFDLCK", "ADVISORY", "WRITE"), List.of(lock[1], lock[2], lock[3]), locks.toString());
            assertEquals(0, startStopStatus(path));

            ChildJvm.Result second = ChildJvm.run(Holder.class, path.toString());
            assertEquals("org.posix4j.daemon.AlreadyRunningException: " + path + ": already running as pid "
                    + first.pid(), second.value("create="));
            assertEquals(first.pid() + "\n", Files.readString(path), "the loser leaves the file alone");

            Process p = new ProcessBuilder("kill", "-9", Long.toString(first.pid())).start();
            assertEquals(0, p.waitFor());
            assertEquals(128 + 9, first.finish().exitCode());
        }
        assertTrue(Files.exists(path), "kill -9 leaves the file behind");
        assertFalse(PidFile.isRunning(path), "but nobody holds its lock");
        assertEquals(List.of(), locksOn(path));
        int status = startStopStatus(path);
        assertTrue(status == 1 || status == 3, "start-stop-daemon --status on a stale file: " + status);

        try (ChildJvm third = ChildJvm.start(Holder.class, path.toString())) {
            assertEquals(Long.toString(third.pid()), third.expect("create="));
            assertEquals(third.pid() + "\n", Files.readString(path));
            assertTrue(PidFile.isRunning(path));
            third.send("exit");
            assertEquals(0, third.finish().exitCode());
        }
        assertFalse(Files.exists(path), "the shutdown hook removed the file");
    }

    @Test
    void cleanCloseRemovesTheFile(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.pid");
        ChildJvm.Result r = ChildJvm.run(CleanClose.class, path.toString()).assertSuccess();
        assertEquals("true", r.value("running="));
        assertEquals(r.value("pid=") + "\\n", r.value("content="));
        assertEquals("false", r.value("exists="));
        assertEquals("false", r.value("runningAfter="));
        assertFalse(Files.exists(path));
    }

    @Test
    void inThisJvmTheHolderSeesItsOwnLockAndLeaksNothing(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("self.pid");
        try (PidFile pidFile = PidFile.create(path)) {
            assertEquals(ProcessHandle.current().pid(), pidFile.pid());
            assertTrue(PidFile.isRunning(path));
            AlreadyRunningException e = assertThrows(AlreadyRunningException.class, () -> PidFile.create(path));
            assertEquals(pidFile.pid(), e.pid());
        }
        assertFalse(Files.exists(path));
        assertFalse(PidFile.isRunning(path));
        assertEquals(OptionalInt.empty(), PidFile.readPid(path));
    }

    @Test
    void failuresCarryTheKernelsErrno(@TempDir Path dir) throws Exception {
        PosixException e = assertThrows(PosixException.class, () -> PidFile.create(dir.resolve("none/x.pid")));
        assertTrue(e.is(Errno.ENOENT), e.getMessage());
        Path link = dir.resolve("link.pid");
        Files.createSymbolicLink(link, dir.resolve("target"));
        e = assertThrows(PosixException.class, () -> PidFile.create(link));
        assertTrue(e.is(Errno.ELOOP), e.getMessage());
        assertFalse(Files.exists(dir.resolve("target")), "a symbolic link is never followed");
        Path garbage = dir.resolve("garbage.pid");
        Files.writeString(garbage, "not a pid\n");
        assertThrows(java.io.IOException.class, () -> PidFile.readPid(garbage));
        assertThrows(IllegalArgumentException.class, () -> PidFile.create(Path.of("")));
    }
}
