package org.posix4j.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFds;
import org.posix4j.io.OpenFlags;
import org.posix4j.io.Pipe;
import org.posix4j.process.Sessions;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Report;
import org.posix4j.testing.TimeFactor;

class TerminalTest {
    private static final int O_CLOEXEC = 02000000;
    private static final int NO_SUCH_PGID = 0x3ffffff0;

    @TempDir
    Path dir;

    /// Reads exactly `n` bytes from `in` on another thread, failing after five seconds.
    private static String readExactly(InputStream in, int n) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readNBytes(n), StandardCharsets.US_ASCII);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }).get(TimeFactor.scale(5), TimeUnit.SECONDS);
    }

    /// The device numbers of `path` as `stat` reports them, {major, minor}.
    private static int[] device(String path) {
        String[] mm = Proc.run("stat", "-c", "%t %T", path).split(" ");
        return new int[] {Integer.parseInt(mm[0], 16), Integer.parseInt(mm[1], 16)};
    }

    @Test
    void openGivesAnUnlockedPairWithAPtmxMaster() throws Exception {
        Set<String> before = OpenFds.snapshot();
        try (PseudoTerminal pty = PseudoTerminal.open()) {
            int m = pty.master().intValue();
            String target = OpenFds.target(m);
            assertTrue(target.equals("/dev/ptmx") || target.equals("/dev/pts/ptmx"), target);
            assertTrue(pty.master().isOwned());
            assertEquals(O_CLOEXEC, OpenFds.flags(m) & O_CLOEXEC, "master is O_CLOEXEC");
            assertEquals(OpenFlags.READ_WRITE, OpenFds.flags(m) & 3, "master is O_RDWR");
            assertTrue(Terminal.isTerminal(pty.master()));

            assertTrue(pty.slavePath().matches("/dev/pts/\\d+"), pty.slavePath());
            int[] dev = device(pty.slavePath());
            assertEquals("character special file", Proc.run("stat", "-c", "%F", pty.slavePath()));
            assertEquals(Integer.parseInt(pty.slavePath().substring("/dev/pts/".length())), dev[1], "minor");
            // grantpt: the slave belongs to the caller (root here) with mode 0620 or stricter.
            assertEquals(Proc.run("id", "-un"), Proc.run("stat", "-c", "%U", pty.slavePath()));
            // unlockpt: the slave opens (a locked slave refuses with EIO).
            try (Fd slave = pty.openSlave(false)) {
                assertTrue(Terminal.isTerminal(slave));
            }
        }
        OpenFds.assertNoneOpenedSince(before);
    }

    @Test
    void slaveNameIsTheSlavePath() throws Exception {
        Set<String> before = OpenFds.snapshot();
        try (PseudoTerminal pty = PseudoTerminal.open(); Fd slave = pty.openSlave(false)) {
            int s = slave.intValue();
            assertEquals(pty.slavePath(), OpenFds.target(s));
            assertEquals(pty.slavePath(), Terminal.name(slave));
            assertEquals(O_CLOEXEC, OpenFds.flags(s) & O_CLOEXEC, "slave is O_CLOEXEC");
            assertEquals(OpenFlags.READ_WRITE, OpenFds.flags(s) & 3, "slave is O_RDWR");
            assertTrue(Terminal.isTerminal(slave));
            assertEquals(OpenFds.target(pty.master().intValue()), Terminal.name(pty.master()));
        }
        OpenFds.assertNoneOpenedSince(before);
    }

    @Test
    void bytesCrossTheLineDiscipline() throws Exception {
        Set<String> before = OpenFds.snapshot();
        try (PseudoTerminal pty = PseudoTerminal.open(); Fd slave = pty.openSlave(false)) {
            InputStream fromMaster = pty.master().inputStream();
            InputStream fromSlave = slave.inputStream();
            // master -> slave: canonical mode hands the slave the line; ECHO sends it back to the
            // master with ONLCR turning \n into \r\n.
            pty.master().outputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("hello\n", readExactly(fromSlave, 6));
            assertEquals("hello\r\n", readExactly(fromMaster, 7));
            // slave -> master: ONLCR again.
            slave.outputStream().write("abc\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("abc\r\n", readExactly(fromMaster, 5));
        }
        OpenFds.assertNoneOpenedSince(before);
    }

    @Test
    void pipesAndFilesAreNotTerminals() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        try (Pipe pipe = Pipe.open(); Fd f = Fd.open(file.toString(), OpenFlags.READ_ONLY, 0)) {
            assertTrue(OpenFds.target(pipe.readEnd().intValue()).startsWith("pipe:"));
            assertFalse(Terminal.isTerminal(pipe.readEnd()));
            assertFalse(Terminal.isTerminal(pipe.writeEnd()));
            assertFalse(Terminal.isTerminal(f));
            PosixException e = assertThrows(PosixException.class, () -> Terminal.name(pipe.readEnd()));
            assertTrue(e.is(Errno.ENOTTY), e.getMessage());
            assertEquals("ttyname_r(fd " + pipe.readEnd().intValue() + "): Inappropriate ioctl for device [ENOTTY]",
                    e.getMessage());
            e = assertThrows(PosixException.class, () -> Terminal.name(f));
            assertTrue(e.is(Errno.ENOTTY), e.getMessage());
        }
        Fd stale = Fd.borrow(OpenFds.closedNumber());
        assertFalse(Terminal.isTerminal(stale));
        PosixException e = assertThrows(PosixException.class, () -> Terminal.name(stale));
        assertTrue(e.is(Errno.EBADF), e.getMessage());
    }

    @Test
    void controllingTerminalPathIsDevTty() {
        assertEquals("/dev/tty", Terminal.controllingTerminalPath());
        int[] dev = device(Terminal.controllingTerminalPath());
        assertEquals(5, dev[0], "/dev/tty is device 5:0, the caller's controlling terminal");
        assertEquals(0, dev[1], "/dev/tty is device 5:0, the caller's controlling terminal");
    }

    @Test
    void aTerminalThatIsNotOursHasNoForegroundGroupForUs() throws Exception {
        try (PseudoTerminal pty = PseudoTerminal.open(); Fd slave = pty.openSlave(false)) {
            PosixException e = assertThrows(PosixException.class, () -> Terminal.foregroundProcessGroup(slave));
            assertTrue(e.is(Errno.ENOTTY), e.getMessage());
            assertEquals("tcgetpgrp", e.function());
            int ours = Sessions.processGroup();
            e = assertThrows(PosixException.class, () -> Terminal.setForegroundProcessGroup(slave, ours));
            assertTrue(e.is(Errno.ENOTTY), e.getMessage());
            try (Pipe pipe = Pipe.open()) {
                e = assertThrows(PosixException.class, () -> Terminal.foregroundProcessGroup(pipe.readEnd()));
                assertTrue(e.is(Errno.ENOTTY), e.getMessage());
            }
        }
    }

    @Test
    void badProcessGroupsAreRejectedBeforeCallingTheKernel() throws Exception {
        try (PseudoTerminal pty = PseudoTerminal.open()) {
            for (int pgid : new int[] {0, -1, Integer.MIN_VALUE}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Terminal.setForegroundProcessGroup(pty.master(), pgid));
                assertTrue(e.getMessage().startsWith("pgid "), e.getMessage());
            }
        }
    }

    @Test
    void closedFdIsRefusedInJava() throws Exception {
        PseudoTerminal pty = PseudoTerminal.open();
        pty.close();
        assertThrows(IllegalStateException.class, () -> Terminal.isTerminal(pty.master()));
        assertThrows(IllegalStateException.class, () -> Terminal.name(pty.master()));
        assertThrows(IllegalStateException.class, () -> Terminal.foregroundProcessGroup(pty.master()));
    }

    /// tty_nr of /proc/PID/stat for the device at `path`: the kernel's new_encode_dev.
    private static long ttyNr(String path) {
        int[] dev = device(path);
        return (dev[1] & 0xff) | ((long) dev[0] << 8) | ((long) (dev[1] & ~0xff) << 12);
    }

    /// Leads a new session and takes a pseudo-terminal as controlling terminal; args[0] is a
    /// process group of another session.
    public static final class ControllingTerminal {


        public static void main(String[] args) throws Exception {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            int otherGroup = Integer.parseInt(args[0]);
            System.out.println("sid=" + Sessions.newSession());
            Report.value("devtty.none", () -> Fd.open("/dev/tty", OpenFlags.READ_WRITE, 0));
            PseudoTerminal pty = PseudoTerminal.open();
            System.out.println("slave=" + pty.slavePath());
            Fd noCtty = pty.openSlave(false);
            Report.value("fg.none", () -> Terminal.foregroundProcessGroup(noCtty));
            System.out.println("step=nocontrol");
            in.readLine();

            Fd slave = pty.openSlave(true);
            System.out.println("pgid=" + Sessions.processGroup());
            Report.value("fg", () -> Terminal.foregroundProcessGroup(slave));
            Report.value("devtty", () -> {
                try (Fd tty = Fd.open("/dev/tty", OpenFlags.READ_WRITE, 0)) {
                    tty.outputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] got = pty.master().inputStream().readNBytes(6);
                    return Terminal.name(tty) + " " + new String(got, StandardCharsets.US_ASCII)
                            .replace("\r", "\\r").replace("\n", "\\n");
                }
            });
            System.out.println("step=controlling");
            in.readLine();

            Report.done("setfg.own", () -> Terminal.setForegroundProcessGroup(slave, Sessions.processGroup()));
            Report.done("setfg.otherSession", () -> Terminal.setForegroundProcessGroup(slave, otherGroup));
            Report.done("setfg.missing", () -> Terminal.setForegroundProcessGroup(slave, NO_SUCH_PGID));
            Report.value("fg.after", () -> Terminal.foregroundProcessGroup(slave));
            System.out.println("step=set");
            in.readLine();
        }
    }

    @Test
    void aSessionLeaderAcquiresThePseudoTerminalAsControllingTerminal() throws Exception {
        int ourGroup = Integer.parseInt(Proc.stat(ProcessHandle.current().pid())[2]);
        try (ChildJvm child = ChildJvm.start(ControllingTerminal.class, Integer.toString(ourGroup))) {
            long pid = child.pid();
            assertEquals(Long.toString(pid), child.expect("sid="));
            assertEquals("ENXIO", child.expect("devtty.none="), "a new session has no controlling terminal");
            String slave = child.expect("slave=");
            assertEquals("ENOTTY", child.expect("fg.none="));
            child.expect("step=nocontrol");
            String[] stat = Proc.stat(pid);
            assertEquals(Long.toString(pid), stat[3], "session");
            assertEquals("0", stat[4], "tty_nr: opening with O_NOCTTY took no controlling terminal");
            assertEquals("-1", stat[5], "tpgid without a controlling terminal");
            assertEquals("?", Proc.run("ps", "-o", "tty=", "-p", Long.toString(pid)));

            child.send("go");
            int pgid = Integer.parseInt(child.expect("pgid="));
            assertEquals(pid, pgid);
            String fg = child.expect("fg=");
            assertEquals("/dev/tty ping\\r\\n", child.expect("devtty="),
                    "/dev/tty opens, and what is written to it reaches the master of " + slave);
            child.expect("step=controlling");
            stat = Proc.stat(pid);
            assertEquals(Long.toString(ttyNr(slave)), stat[4], "tty_nr is the slave " + slave);
            assertEquals(Long.toString(pid), stat[5], "tpgid: the child's group is in the foreground");
            assertEquals(stat[5], fg, "tcgetpgrp agrees with tpgid");
            assertEquals(slave.substring("/dev/".length()), Proc.run("ps", "-o", "tty=", "-p", Long.toString(pid)));

            child.send("go");
            assertEquals("ok", child.expect("setfg.own="));
            assertEquals("EPERM", child.expect("setfg.otherSession="), "a group of another session");
            assertEquals("ESRCH", child.expect("setfg.missing="), "a group that does not exist");
            assertEquals(Long.toString(pid), child.expect("fg.after="));
            child.expect("step=set");
            assertEquals(Long.toString(pid), Proc.stat(pid)[5], "tpgid unchanged by the refused calls");
            child.send("go");
            child.finish().assertSuccess();
        }
    }
}
