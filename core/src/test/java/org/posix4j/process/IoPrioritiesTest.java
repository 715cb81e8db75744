package org.posix4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Requires;

class IoPrioritiesTest {
    private static final int NO_SUCH_PID = 0x3ffffff0;

    private static String ionice(long tid) {
        return Proc.run("ionice", "-p", Long.toString(tid));
    }

    /// What util-linux 2.38's `ionice -p` prints: the 13 bits below the class as one number,
    /// which is `hint * 8 + level` since Linux 6.5 put hints above the level.
    private static String expected(IoPriority p) {
        int data = p.hint() * 8 + p.level();
        return switch (p) {
            case IoPriority.None _ -> "none: prio " + data;
            case IoPriority.RealTime _ -> "realtime: prio " + data;
            case IoPriority.BestEffort _ -> "best-effort: prio " + data;
            case IoPriority.Idle _ -> "idle";
        };
    }

    /// A Python peer sets best-effort 4 with hint 1 (IOPRIO_HINT_DEV_DURATION_LIMIT_1) on itself
    /// through ioprio_set(2), as a tool that knows hints would, then waits for stdin to close.
    private static final String HINTED_PEER = """
            import ctypes, os, sys
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.syscall(251, 1, 0, 2 << 13 | 1 << 3 | 4) != 0:
                print("errno=" + os.strerror(ctypes.get_errno()), flush=True)
                sys.exit(1)
            print("ready", flush=True)
            sys.stdin.read()
            """;

    @Test
    void getDecodesTheHintAPeerSet() throws Exception {
        Requires.that(Path.of("/usr/bin/python3").toFile().canExecute(), "needs /usr/bin/python3 for the peer");
        Process peer = new ProcessBuilder("/usr/bin/python3", "-c", HINTED_PEER).redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(peer.getInputStream()))) {
            String line = out.readLine();
            Requires.that("ready".equals(line), "the kernel refused an I/O priority hint (Linux 6.5+): " + line);
            IoPriority got = IoPriorities.get(IoPriorityTarget.process((int) peer.pid()));
            assertEquals(new IoPriority.BestEffort(4, 1), got);
            assertEquals(4, got.level());
            assertEquals(1, got.hint());
            assertEquals("best-effort: prio 12", ionice(peer.pid()), "ionice shows hint * 8 + level");
            assertEquals(expected(got), ionice(peer.pid()));
        } finally {
            peer.getOutputStream().close();
            peer.waitFor();
        }
    }

    @Test
    void setCarriesAHintForEveryClass() throws Exception {
        Requires.root();
        try (ChildJvm child = ChildJvm.start(Waiter.class)) {
            child.expect("ready");
            IoPriorityTarget target = IoPriorityTarget.process((int) child.pid());
            for (IoPriority p : new IoPriority[] {IoPriority.bestEffort(2).withHint(3), IoPriority.realTime(7).withHint(1),
                    IoPriority.IDLE.withHint(5), IoPriority.NONE.withHint(2), IoPriority.bestEffort(0).withHint(1023)}) {
                try {
                    IoPriorities.set(target, p);
                } catch (PosixException e) {
                    Requires.that(!e.is(Errno.EINVAL), "the kernel refused an I/O priority hint (Linux 6.5+): " + e.getMessage());
                    throw e;
                }
                assertEquals(expected(p), ionice(child.pid()), p.toString());
                assertEquals(p, IoPriorities.get(target));
            }
            child.finish().assertSuccess();
        }
        assertThrows(IllegalArgumentException.class, () -> IoPriority.bestEffort(1).withHint(1024));
        assertThrows(IllegalArgumentException.class, () -> new IoPriority.Idle(-1));
    }

    @Test
    void getMatchesIonice() throws Exception {
        try (ChildJvm child = ChildJvm.start(Waiter.class)) {
            child.expect("ready");
            assertEquals(ionice(child.pid()), expected(IoPriorities.get(IoPriorityTarget.process((int) child.pid()))));
            child.finish().assertSuccess();
        }
    }

    /// Sets its calling thread's priority (who 0), prints that thread's id, waits, then tries
    /// real-time after giving up root.
    public static final class SetOwn {
        public static void main(String[] args) throws Exception {
            IoPriorities.set(IoPriorityTarget.process(0), IoPriority.bestEffort(3));
            System.out.println("tid=" + Path.of("/proc/thread-self").toRealPath().getFileName());
            System.out.println("got=" + IoPriorities.get(IoPriorityTarget.process(0)));
            System.out.println("ready");
            System.in.read();
            Credentials.setUid(65534);
            try {
                IoPriorities.set(IoPriorityTarget.process(0), IoPriority.realTime(0));
                System.out.println("rt=ok");
            } catch (PosixException e) {
                System.out.println("rt=" + e.errno().orElseThrow());
            }
            try {
                IoPriorities.set(IoPriorityTarget.process(1), IoPriority.IDLE);
                System.out.println("other=ok");
            } catch (PosixException e) {
                System.out.println("other=" + e.errno().orElseThrow());
            }
        }
    }

    @Test
    void setOnTheCallingThreadAndPrivilegeFailures() throws Exception {
        Requires.root();
        try (ChildJvm child = ChildJvm.start(SetOwn.class)) {
            long tid = Long.parseLong(child.expect("tid="));
            assertEquals("BestEffort[level=3, hint=0]", child.expect("got="));
            child.expect("ready");
            assertEquals("best-effort: prio 3", ionice(tid));
            ChildJvm.Result r = child.finish().assertSuccess();
            assertEquals("EPERM", r.value("rt="), "real-time needs CAP_SYS_ADMIN or CAP_SYS_NICE");
            assertEquals("EPERM", r.value("other="), "another user's process");
        }
    }

    @Test
    void setAnotherProcessEveryClass() throws Exception {
        Requires.root();
        try (ChildJvm child = ChildJvm.start(Waiter.class)) {
            child.expect("ready");
            IoPriorityTarget target = IoPriorityTarget.process((int) child.pid());
            for (IoPriority p : new IoPriority[] {IoPriority.realTime(4), IoPriority.bestEffort(7), IoPriority.IDLE,
                    IoPriority.realTime(0), IoPriority.bestEffort(0)}) {
                IoPriorities.set(target, p);
                assertEquals(expected(p), ionice(child.pid()));
                assertEquals(p, IoPriorities.get(target));
            }
            child.finish().assertSuccess();
        }
    }

    /// Moves into a process group of its own and waits.
    public static final class OwnGroup {
        public static void main(String[] args) throws Exception {
            System.out.println("pgid=" + Sessions.newProcessGroup());
            System.out.println("ready");
            System.in.read();
        }
    }

    @Test
    void processGroupTargetReachesEveryThread() throws Exception {
        try (ChildJvm child = ChildJvm.start(OwnGroup.class)) {
            int pgid = Integer.parseInt(child.expect("pgid="));
            child.expect("ready");
            IoPriorities.set(IoPriorityTarget.processGroup(pgid), IoPriority.bestEffort(6));
            try (var tasks = Files.list(Path.of("/proc", Long.toString(child.pid()), "task"))) {
                for (Path task : tasks.toList()) {
                    assertEquals("best-effort: prio 6", ionice(Long.parseLong(task.getFileName().toString())), task.toString());
                }
            }
            assertEquals(IoPriority.bestEffort(6), IoPriorities.get(IoPriorityTarget.processGroup(pgid)));
            child.finish().assertSuccess();
        }
    }

    /// Becomes user 4242 and waits.
    public static final class AsUser {
        public static void main(String[] args) throws Exception {
            Credentials.setUid(4242);
            System.out.println("ready");
            System.in.read();
        }
    }

    @Test
    void userTargetReachesTheUsersProcesses() throws Exception {
        Requires.root();
        try (ChildJvm child = ChildJvm.start(AsUser.class)) {
            child.expect("ready");
            IoPriorities.set(IoPriorityTarget.user(4242), IoPriority.IDLE);
            assertEquals("idle", ionice(child.pid()));
            assertEquals(IoPriority.IDLE, IoPriorities.get(IoPriorityTarget.user(4242)));
            child.finish().assertSuccess();
        }
        PosixException e = assertThrows(PosixException.class, () -> IoPriorities.get(IoPriorityTarget.user(4242)));
        assertTrue(e.is(Errno.ESRCH), "no process of user 4242 is left: " + e.getMessage());
    }

    @Test
    void unknownProcessIsEsrchAndBadLevelsAreRejected() {
        PosixException e = assertThrows(PosixException.class,
                () -> IoPriorities.get(IoPriorityTarget.process(NO_SUCH_PID)));
        assertTrue(e.is(Errno.ESRCH), e.getMessage());
        assertEquals("ioprio_get(process " + NO_SUCH_PID + "): No such process [ESRCH]", e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> IoPriority.bestEffort(8));
        assertTrue(bad.getMessage().startsWith("level "), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IoPriority.realTime(-1));
        assertThrows(IllegalArgumentException.class, () -> IoPriorityTarget.process(-2));
        assertTrue(IoPriorities.available());
    }

    /// Waits until stdin closes.
    public static final class Waiter {
        public static void main(String[] args) throws Exception {
            System.out.println("ready");
            System.in.read();
        }
    }
}
