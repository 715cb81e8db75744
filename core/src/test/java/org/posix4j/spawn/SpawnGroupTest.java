package org.posix4j.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.process.Sessions;
import org.posix4j.signal.Signal;
import org.posix4j.terminal.PseudoTerminal;
import org.posix4j.terminal.Terminal;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;
import org.posix4j.testing.TimeFactor;

/// Process groups, sessions and the terminal's foreground group of spawned children, read from
/// /proc/PID/stat (index 2 pgrp, 3 session, 4 tty_nr, 5 tpgid).
class SpawnGroupTest {
    private static Spawn sleep() {
        return Spawn.program("/bin/sleep").args("30");
    }

    private static void end(Child c) throws Exception {
        c.signal(Signal.KILL);
        c.waitFor();
        c.close();
    }

    @Test
    void keepStaysInOurGroup() throws Exception {
        Child c = sleep().start();
        String[] stat = Proc.stat(c.pid());
        assertEquals(Integer.toString(Sessions.processGroup()), stat[2]);
        assertEquals(Integer.toString(Sessions.session()), stat[3]);
        assertEquals(Sessions.processGroup(), c.processGroup());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.signalGroup(Signal.TERM));
        assertTrue(e.getMessage().contains("would signal this JVM"), e.getMessage());
        end(c);
    }

    @Test
    void newBackgroundGroupAndJoiningIt() throws Exception {
        Child leader = sleep().processGroup(ProcessGroup.NEW_BACKGROUND).start();
        Child member = sleep().processGroup(ProcessGroup.join(leader.pid())).start();
        assertEquals(Integer.toString(leader.pid()), Proc.stat(leader.pid())[2]);
        assertEquals(Integer.toString(leader.pid()), Proc.stat(member.pid())[2]);
        assertEquals(Integer.toString(Sessions.session()), Proc.stat(member.pid())[3]);
        assertEquals(leader.pid(), member.processGroup());
        assertEquals(leader.pid() + " " + leader.pid(),
                Proc.run("ps", "-o", "pgid=", "-p", leader.pid() + "," + member.pid()).replaceAll("\\s+", " "));

        // killpg reaches both members of the group.
        leader.signalGroup(Signal.TERM);
        assertEquals(new ExitStatus.Signaled(Signal.TERM.number(), false), leader.waitFor());
        assertEquals(new ExitStatus.Signaled(Signal.TERM.number(), false), member.waitFor());
        PosixException e = assertThrows(PosixException.class, () -> leader.signalGroup(Signal.TERM));
        assertTrue(e.is(Errno.ESRCH), "both members reaped, the group is gone: " + e.getMessage());
        leader.close();
        member.close();
    }

    @Test
    void joiningAMissingGroupIsEperm() {
        // setpgid(2) in the child: no process group with that id in our session.
        PosixException e = assertThrows(PosixException.class,
                () -> sleep().processGroup(ProcessGroup.join(0x3ffffff0)).start());
        assertTrue(e.is(Errno.EPERM), e.getMessage());
        assertEquals("posix_spawn", e.function());
    }

    @Test
    void newSession() throws Exception {
        for (Spawn s : new Spawn[] {sleep().newSession(), sleep().newSession().processGroup(ProcessGroup.NEW_BACKGROUND)}) {
            Child c = s.start();
            String[] stat = Proc.stat(c.pid());
            assertEquals(Integer.toString(c.pid()), stat[2], "pgrp");
            assertEquals(Integer.toString(c.pid()), stat[3], "session");
            assertEquals("0", stat[4], "no controlling terminal");
            assertEquals(c.pid(), c.processGroup());
            assertEquals(c.pid() + " " + c.pid(),
                    Proc.run("ps", "-o", "sid=,pgid=", "-p", Integer.toString(c.pid())).strip().replaceAll("\\s+", " "));
            end(c);
        }
    }

    @Test
    void signalGroupReachesGrandchildren() throws Exception {
        Child c = Spawn.program("/bin/sh").args("-c", "sleep 30 & exec sleep 30")
                .processGroup(ProcessGroup.NEW_BACKGROUND).start();
        Path children = Path.of("/proc", Integer.toString(c.pid()), "task", Integer.toString(c.pid()), "children");
        String grandchild = "";
        for (long end = TimeFactor.deadline(Duration.ofSeconds(5)); grandchild.isEmpty() && System.nanoTime() < end; ) {
            grandchild = Files.readString(children).strip();
            Thread.sleep(5);
        }
        assertEquals(Integer.toString(c.pid()), Proc.stat(Long.parseLong(grandchild))[2], "same group");
        c.signalGroup(Signal.TERM);
        assertEquals(new ExitStatus.Signaled(Signal.TERM.number(), false), c.waitFor());
        // Orphaned, it is reaped by init, or stays a zombie under a container's init that does
        // not reap; either way it ended. Without the signal it would sleep on.
        Path stat = Path.of("/proc", grandchild, "stat");
        String state = "";
        for (long end = TimeFactor.deadline(Duration.ofSeconds(5)); System.nanoTime() < end; Thread.sleep(5)) {
            state = Files.exists(stat) ? Proc.stat(Long.parseLong(grandchild))[0] : "gone";
            if (state.equals("gone") || state.equals("Z")) {
                break;
            }
        }
        assertTrue(state.equals("gone") || state.equals("Z"), "the grandchild got SIGTERM too: " + state);
        c.close();
    }

    /// Leads a new session whose controlling terminal is a pseudo-terminal, starts `sleep` in a
    /// new foreground group on it and reports what the kernel says.
    public static final class Foreground {
        public static void main(String[] args) throws Exception {
            Sessions.newSession();
            try (PseudoTerminal pty = PseudoTerminal.open(); Fd tty = pty.openSlave(true)) {
                System.out.println("before=" + Terminal.foregroundProcessGroup(tty));
                Child c = sleep().processGroup(ProcessGroup.newForeground(tty)).start();
                String[] stat = Proc.stat(c.pid());
                System.out.println("pid=" + c.pid());
                System.out.println("state=" + stat[0]);
                System.out.println("pgrp=" + stat[2]);
                System.out.println("session=" + stat[3]);
                System.out.println("tpgid=" + stat[5]);
                System.out.println("tcgetpgrp=" + Terminal.foregroundProcessGroup(tty));
                System.out.println("jvmpgrp=" + Sessions.processGroup());
                c.signal(Signal.KILL);
                System.out.println("status=" + c.waitFor());
                c.close();
            }
        }
    }

    @Test
    void newForegroundGroupTakesTheTerminal() throws Exception {
        ChildJvm.Result r = ChildJvm.run(Foreground.class).assertSuccess();
        String pid = r.value("pid=");
        assertEquals(r.value("jvmpgrp="), r.value("before="), "the session leader was in the foreground");
        assertEquals(pid, r.value("pgrp="));
        assertEquals(pid, r.value("tpgid="), "the child's group is the terminal's foreground group");
        assertEquals(pid, r.value("tcgetpgrp="));
        assertNotEquals(pid, r.value("session="));
        assertTrue(r.value("state=").matches("[RS]"), "not stopped by SIGTTOU: " + r.value("state="));
        assertEquals("Signaled[signal=9, coreDumped=false]", r.value("status="));
    }

    @Test
    void newForegroundOnANonTerminalIsEnotty() throws Exception {
        try (Fd notATerminal = Fd.open("/dev/null", 0, 0)) {
            PosixException e = assertThrows(PosixException.class,
                    () -> sleep().processGroup(ProcessGroup.newForeground(notATerminal)).start());
            assertTrue(e.is(Errno.ENOTTY), e.getMessage());
        }
    }
}
