package org.posix4j.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.signal.Signal;
import org.posix4j.signal.Signals;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;
import org.posix4j.testing.TimeFactor;

class DaemonTest {

    /// Daemonizes, then, as told by args[1]: writes its pid to args[0], reports ready and runs
    /// until killed ("ok"); throws before it is ready ("fail"); halts without a word ("die"); or
    /// writes its pid to args[0] and reports an error of its own with Daemon.fail ("report").
    public static final class Program {
        public static void main(String[] args) throws Exception {
            int pid = Daemon.daemonize(027);
            switch (args[1]) {
                case "fail" -> throw new IllegalStateException("cannot bind port 25");
                case "die" -> Runtime.getRuntime().halt(3);
                case "report" -> {
                    Files.writeString(Path.of(args[0]), Integer.toString(pid));
                    Daemon.fail("cannot bind port 25: Address already in use");
                }
                default -> {
                    Files.writeString(Path.of(args[0]), Integer.toString(pid));
                    Daemon.ready();
                    Thread.sleep(60_000);
                }
            }
        }
    }

    @Test
    void daemonRunsDetachedAndTheLauncherExitsOnceItIsReady(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("pid");
        ChildJvm.Result launcher;
        long launcherPid;
        try (ChildJvm child = ChildJvm.start(Program.class, pidFile.toString(), "ok")) {
            launcherPid = child.pid();
            launcher = child.finish();
        }
        assertEquals(0, launcher.exitCode(), launcher::toString);
        assertEquals("", launcher.stderr());
        int pid = Integer.parseInt(Files.readString(pidFile));
        try {
            String[] stat = Proc.stat(pid);
            assertNotEquals(Long.toString(launcherPid), stat[1], "the launcher is not the daemon's parent");
            assertNotEquals(Integer.toString(pid), stat[3], "in a new session it does not lead");
            assertNotEquals(Proc.stat(ProcessHandle.current().pid())[3], stat[3], "not in the test's session");
            assertEquals("0", stat[4], "no controlling terminal");
            assertEquals("/", Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")).toString());
            assertEquals("0027", Proc.status(pid, "Umask"));
            for (int fd = 0; fd <= 2; fd++) {
                assertEquals("/dev/null", Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)).toString());
            }
            try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                for (Path fd : fds.toList()) {
                    String target = Files.readSymbolicLink(fd).toString();
                    assertFalse(target.startsWith("pipe:"), "the readiness pipe is closed once ready: " + fd);
                }
            }
        } finally {
            Signals.kill(pid, Signal.KILL);
        }
    }

    @Test
    void anExceptionBeforeReadinessFailsTheLauncherWithTheError(@TempDir Path dir) throws Exception {
        ChildJvm.Result launcher = ChildJvm.run(Program.class, dir.resolve("pid").toString(), "fail");
        assertEquals(1, launcher.exitCode(), launcher::toString);
        assertTrue(launcher.stderr().contains("java.lang.IllegalStateException: cannot bind port 25"), launcher.stderr());
        assertFalse(Files.exists(dir.resolve("pid")));
    }

    @Test
    void failPrintsTheDaemonsMessageAloneAndEndsIt(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("pid");
        ChildJvm.Result launcher = ChildJvm.run(Program.class, pidFile.toString(), "report");
        assertEquals(1, launcher.exitCode(), launcher::toString);
        assertEquals("cannot bind port 25: Address already in use\n", launcher.stderr());
        long pid = Long.parseLong(Files.readString(pidFile));
        for (long i = 0, n = TimeFactor.scale(200); i < n && running(pid); i++) {
            Thread.sleep(50);
        }
        assertFalse(running(pid), "the daemon still runs after Daemon.fail");
    }

    /// Whether `pid` runs: a zombie awaiting its reaper (init, once reparented) does not.
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        try {
            return !Files.readString(stat).contains(") Z ");
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException e) {
            // ESRCH: the process ended between the open and the read.
            if (Files.exists(stat.getParent())) {
                throw e;
            }
            return false;
        }
    }

    @Test
    void failOutsideAStartingDaemonIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Daemon.fail("x"));
        assertTrue(e.getMessage().contains("starting daemon"), e.getMessage());
    }

    @Test
    void aDaemonDyingBeforeReadinessFailsTheLauncher(@TempDir Path dir) throws Exception {
        ChildJvm.Result launcher = ChildJvm.run(Program.class, dir.resolve("pid").toString(), "die");
        assertEquals(1, launcher.exitCode(), launcher::toString);
        assertEquals("the daemon exited before it was ready\n", launcher.stderr());
    }
}
