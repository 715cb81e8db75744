package org.posix4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Report;
import org.posix4j.testing.Proc;

class SessionsTest {
    private static final int NO_SUCH_PID = 0x3ffffff0;

    @Test
    void groupAndSessionMatchProcStat() throws Exception {
        String[] stat = Proc.stat(ProcessHandle.current().pid());
        assertEquals(Integer.parseInt(stat[2]), Sessions.processGroup());
        assertEquals(Integer.parseInt(stat[3]), Sessions.session());
        assertEquals(Integer.parseInt(stat[2]), Sessions.processGroupOf(0));
        assertEquals(Integer.parseInt(stat[3]), Sessions.sessionOf(0));
        String[] init = Proc.stat(1);
        assertEquals(Integer.parseInt(init[2]), Sessions.processGroupOf(1));
        assertEquals(Integer.parseInt(init[3]), Sessions.sessionOf(1));
    }

    @Test
    void unknownPidIsEsrch() {
        PosixException e = assertThrows(PosixException.class, () -> Sessions.processGroupOf(NO_SUCH_PID));
        assertTrue(e.is(Errno.ESRCH), e.getMessage());
        assertEquals("getpgid(" + NO_SUCH_PID + "): No such process [ESRCH]", e.getMessage());
        e = assertThrows(PosixException.class, () -> Sessions.sessionOf(NO_SUCH_PID));
        assertTrue(e.is(Errno.ESRCH), e.getMessage());
        e = assertThrows(PosixException.class, () -> Sessions.setProcessGroup(NO_SUCH_PID, 0));
        assertTrue(e.is(Errno.ESRCH), e.getMessage());
    }

    @Test
    void negativeIdsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sessions.sessionOf(-1));
        assertTrue(e.getMessage().startsWith("pid "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sessions.setProcessGroup(0, -5));
        assertTrue(e.getMessage().startsWith("pgid "), e.getMessage());
    }

    /// Starts a new session, reports it, waits; then tries what a session leader may not do.
    public static final class NewSession {
        public static void main(String[] args) throws Exception {
            System.out.println("before=" + Sessions.session());
            System.out.println("sid=" + Sessions.newSession());
            System.out.println("ready");
            System.in.read();
            Report.value("setsid", Sessions::newSession);
            Report.value("setpgrp", Sessions::newProcessGroup);
        }


    }

    @Test
    void newSessionMakesTheCallerLeader() throws Exception {
        try (ChildJvm child = ChildJvm.start(NewSession.class)) {
            int before = Integer.parseInt(child.expect("before="));
            int sid = Integer.parseInt(child.expect("sid="));
            child.expect("ready");
            assertEquals(child.pid(), sid);
            assertEquals(Sessions.session(), before, "the child started in our session");
            String[] stat = Proc.stat(child.pid());
            assertEquals(Long.toString(child.pid()), stat[2], "pgrp");
            assertEquals(Long.toString(child.pid()), stat[3], "session");
            assertEquals("0", stat[4], "no controlling terminal");
            assertEquals(child.pid() + " " + child.pid(),
                    Proc.run("ps", "-o", "sid=,pgid=", "-p", Long.toString(child.pid())).replaceAll("\\s+", " "));
            ChildJvm.Result r = child.finish().assertSuccess();
            assertEquals("EPERM", r.value("setsid="), "a group leader cannot start a session");
            assertEquals("EPERM", r.value("setpgrp="), "a session leader cannot change its group");
        }
    }

    /// Makes a process group of its own, then tries to join one in another session.
    public static final class NewGroup {
        public static void main(String[] args) throws Exception {
            System.out.println("pgid=" + Sessions.newProcessGroup());
            try {
                Sessions.setProcessGroup(0, Integer.parseInt(args[0]));
                System.out.println("join=ok");
            } catch (PosixException e) {
                System.out.println("join=" + e.errno().orElseThrow());
            }
            System.out.println("ready");
            System.in.read();
        }
    }

    @Test
    void newProcessGroupAndCrossSessionJoin() throws Exception {
        // A group in another session, made by a child that starts its own: joining it must fail.
        try (ChildJvm leader = ChildJvm.start(NewSession.class);
                ChildJvm child = ChildJvm.start(NewGroup.class, leader.expect("sid="))) {
            assertEquals(child.pid(), Long.parseLong(child.expect("pgid=")));
            assertEquals("EPERM", child.expect("join="));
            child.expect("ready");
            String[] stat = Proc.stat(child.pid());
            assertEquals(Long.toString(child.pid()), stat[2], "pgrp");
            assertEquals(Integer.toString(Sessions.session()), stat[3], "still in our session");
            assertEquals(child.pid(), Sessions.processGroupOf((int) child.pid()));
            assertEquals(Sessions.session(), Sessions.sessionOf((int) child.pid()));
            child.finish().assertSuccess();
            leader.finish().assertSuccess();
        }
    }

    /// Waits; the parent moves it into a group.
    public static final class Waiter {
        public static void main(String[] args) throws Exception {
            System.out.println("ready");
            System.in.read();
        }
    }

    @Test
    void childThatHasExecutedCannotBeMoved() throws Exception {
        try (ChildJvm child = ChildJvm.start(Waiter.class)) {
            child.expect("ready");
            String before = Proc.stat(child.pid())[2];
            PosixException e = assertThrows(PosixException.class,
                    () -> Sessions.setProcessGroup((int) child.pid(), 0));
            assertTrue(e.is(Errno.EACCES), "setpgid(2): the child has performed an execve: " + e.getMessage());
            assertEquals(before, Proc.stat(child.pid())[2]);
            child.finish().assertSuccess();
        }
    }
}
