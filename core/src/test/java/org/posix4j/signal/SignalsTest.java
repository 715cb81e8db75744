package org.posix4j.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.process.Credentials;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Report;
import org.posix4j.testing.Requires;
import org.posix4j.testing.TimeFactor;

/// Sending signals, checked by the receivers: exit statuses from wait, a Python peer that takes
/// signals with sigwaitinfo(2) and prints their siginfo, and /proc.
class SignalsTest {
    private static final int NO_SUCH_PID = 0x3ffffff0;
    private static final int SELF = (int) ProcessHandle.current().pid();

    /// Blocks the signals in argv, prints "ready", then for each "wait" line on stdin takes one
    /// signal with sigwaitinfo and prints its number, si_code, si_pid and si_uid.
    private static final String PEER = String.join("\n",
            "import signal, sys",
            "sigs = [int(s) for s in sys.argv[1:]]",
            "signal.pthread_sigmask(signal.SIG_BLOCK, sigs)",
            "print('ready', flush=True)",
            "for line in sys.stdin:",
            "    i = signal.sigwaitinfo(sigs)",
            "    print(i.si_signo, i.si_code, i.si_pid, i.si_uid, flush=True)");

    /// A Python process that takes signals with sigwaitinfo.
    private record Peer(Process process, BufferedReader out, Writer in) implements AutoCloseable {
        static Peer start(List<String> prefix, int... signals) throws IOException {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of("python3", "-c", PEER));
            for (int s : signals) {
                cmd.add(Integer.toString(s));
            }
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Peer peer = new Peer(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)),
                    p.outputWriter());
            assertEquals("ready", peer.out.readLine());
            return peer;
        }

        int pid() {
            return (int) process.pid();
        }

        /// The next signal as "NUMBER CODE PID UID".
        String take() throws IOException {
            in.write("wait\n");
            in.flush();
            return out.readLine();
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            process.onExit().join();
            process.getInputStream().close();
            process.getOutputStream().close();
        }
    }

    private static void assertErrno(Errno errno, String message, Executable call) {
        PosixException e = assertThrows(PosixException.class, call);
        assertTrue(e.is(errno), e.getMessage());
        if (message != null) {
            assertEquals(message, e.getMessage());
        }
    }

    private static void assertRefused(String start, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void killTerminatesAndSignalZeroOnlyChecks() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        int pid = (int) sleep.pid();
        assertTrue(Signals.exists(pid));
        Signals.kill(pid, 0);
        assertFalse(sleep.waitFor(200, TimeUnit.MILLISECONDS), "signal 0 sends nothing");
        Signals.kill(pid, Signal.TERM);
        assertTrue(sleep.waitFor(TimeFactor.scale(10), TimeUnit.SECONDS));
        assertEquals(128 + 15, sleep.exitValue(), "killed by SIGTERM");
        assertFalse(Signals.exists(NO_SUCH_PID));
        assertTrue(Signals.exists(SELF));
    }

    @Test
    void unknownTargetsAreEsrch() {
        assertErrno(Errno.ESRCH, "kill(" + NO_SUCH_PID + ", 0): No such process [ESRCH]",
                () -> Signals.kill(NO_SUCH_PID, 0));
        assertErrno(Errno.ESRCH, "kill(" + NO_SUCH_PID + ", SIGTERM): No such process [ESRCH]",
                () -> Signals.kill(NO_SUCH_PID, Signal.TERM));
        assertErrno(Errno.ESRCH, "killpg(" + NO_SUCH_PID + ", SIGHUP): No such process [ESRCH]",
                () -> Signals.killProcessGroup(NO_SUCH_PID, Signal.HUP));
        assertErrno(Errno.ESRCH, "sigqueue(" + NO_SUCH_PID + ", SIGRTMIN+1, 5): No such process [ESRCH]",
                () -> Signals.queue(NO_SUCH_PID, Signal.realTime(1), 5));
    }

    @Test
    void invalidArgumentsAreRefusedBeforeTheCall() {
        for (int bad : new int[] {-1, 32, 33, 65}) {
            assertRefused("signal must be 0, 1..31 or 34..64", () -> Signals.kill(SELF, bad));
            assertRefused("signal must be 0, 1..31 or 34..64", () -> Signals.raise(bad));
            assertRefused("signal must be 0, 1..31 or 34..64", () -> Signals.queue(SELF, bad, 0));
            assertRefused("signal must be 0, 1..31 or 34..64", () -> Signals.killProcessGroup(0, bad));
        }
        assertRefused("pgid must not be negative", () -> Signals.killProcessGroup(-5, Signal.TERM));
        assertRefused("pgid 1 would signal every process", () -> Signals.killProcessGroup(1, Signal.TERM));
        assertRefused("pid must be positive", () -> Signals.queue(0, Signal.USR1, 1));
        assertRefused("pid must be positive", () -> Signals.exists(-1));
    }

    @Test
    void aPeerSeesWhoSentWhatWithWhichCode() throws Exception {
        int rt = Signal.SIGRTMIN;
        int rt6 = Signal.realTime(6);
        int uid = Credentials.uid();
        try (Peer peer = Peer.start(List.of(), Signal.USR1.number(), rt, rt6)) {
            Signals.kill(peer.pid(), Signal.USR1);
            assertEquals("10 0 " + SELF + " " + uid, peer.take(), "SI_USER from us");
            Signals.kill(peer.pid(), rt);
            assertEquals(rt + " 0 " + SELF + " " + uid, peer.take());
            for (int i = 0; i < 3; i++) {
                Signals.queue(peer.pid(), rt6, i);
            }
            String status = Files.readString(Path.of("/proc", Integer.toString(peer.pid()), "status"));
            assertTrue(status.contains(String.format("ShdPnd:\t%016x", 1L << (rt6 - 1))), "SIGRTMIN+6 pending: " + status);
            for (int i = 0; i < 3; i++) {
                assertEquals(rt6 + " -1 " + SELF + " " + uid, peer.take(), "SI_QUEUE, each one queued");
            }
        }
    }

    @Test
    void queueIsEagainWhenTheReceiversQueueIsFull() throws Exception {
        int rt = Signal.realTime(2);
        try (Peer peer = Peer.start(List.of("prlimit", "--sigpending=1"), rt)) {
            PosixException full = null;
            int sent = 0;
            for (int i = 0; i < 5 && full == null; i++) {
                try {
                    Signals.queue(peer.pid(), rt, i);
                    sent++;
                } catch (PosixException e) {
                    full = e;
                }
            }
            assertTrue(full != null && full.is(Errno.EAGAIN), "RLIMIT_SIGPENDING 1 must refuse a queue: " + full);
            assertEquals("sigqueue(" + peer.pid() + ", SIGRTMIN+2, " + sent + "): Resource temporarily unavailable"
                    + " [EAGAIN]", full.getMessage());
            assertTrue(sent <= 1, "at most one signal fits: " + sent);
        }
    }

    /// The members of process group `pgid` that are not zombies, from /proc/PID/stat.
    private static List<String> groupMembers(int pgid) throws IOException {
        List<String> members = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String[] stat = Proc.stat(Long.parseLong(name));
                    if (stat[2].equals(Integer.toString(pgid)) && !stat[0].equals("Z")) {
                        members.add(name);
                    }
                } catch (RuntimeException gone) {
                    // the process ended while listing
                }
            }
        }
        return members;
    }

    @Test
    void killProcessGroupReachesEveryMember() throws Exception {
        Process leader = new ProcessBuilder("setsid", "sh", "-c", "sleep 30 & exec sleep 30").start();
        int pgid = (int) leader.pid();
        long deadline = TimeFactor.deadline(Duration.ofSeconds(5));
        while (groupMembers(pgid).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(2, groupMembers(pgid).size(), "the leader and its background sleep");
        Signals.killProcessGroup(pgid, 0);
        Signals.killProcessGroup(pgid, Signal.TERM);
        assertTrue(leader.waitFor(TimeFactor.scale(10), TimeUnit.SECONDS));
        assertEquals(128 + 15, leader.exitValue());
        while (!groupMembers(pgid).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), groupMembers(pgid), "the background member got SIGTERM too");
    }

    /// Registers a shutdown hook, raises the signal named in args[0] on its main thread, then
    /// waits to be ended by it.
    public static final class Raiser {
        public static void main(String[] args) throws Exception {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook=ran")));
            Report.done("zero", () -> Signals.raise(0));
            Report.done("raise", () -> Signals.raise(Signal.byName(args[0])));
            Thread.sleep(30_000);
        }
    }

    @Test
    void raiseTerminatesTheJvmThroughItsOwnHandlersOrNot() throws Exception {
        ChildJvm.Result term = ChildJvm.run(Raiser.class, "TERM");
        assertEquals(128 + 15, term.exitCode(), term.toString());
        assertEquals("ok", term.value("zero="));
        assertTrue(term.stdout().contains("hook=ran"), "SIGTERM runs the JVM's shutdown: " + term);
        ChildJvm.Result kill = ChildJvm.run(Raiser.class, "KILL");
        assertEquals(128 + 9, kill.exitCode(), kill.toString());
        assertFalse(kill.stdout().contains("hook=ran"), "SIGKILL runs nothing: " + kill);
        ChildJvm.Result usr1 = ChildJvm.run(Raiser.class, "USR1");
        assertEquals(128 + 10, usr1.exitCode(), "SIGUSR1's default action ends the JVM: " + usr1);
    }

    /// Drops root, then signals init and a root-owned process group.
    public static final class Unprivileged {
        public static void main(String[] args) throws Exception {
            Credentials.setGid(65534);
            Credentials.setUid(65534);
            Report.done("kill", () -> Signals.kill(1, 0));
            Report.value("exists", () -> Signals.exists(1));
            Report.done("term", () -> Signals.kill(1, Signal.TERM));
            Report.done("queue", () -> Signals.queue(1, Signal.SIGRTMIN, 1));
            Report.done("killpg", () -> Signals.killProcessGroup(Integer.parseInt(args[0]), Signal.TERM));
        }
    }

    @Test
    void anUnprivilegedSenderGetsEperm() throws Exception {
        Requires.root();
        assertEquals("0", Proc.status(1, "Uid").split(" ")[0], "init runs as root");
        Process root = new ProcessBuilder("setsid", "sleep", "30").start();
        try {
            ChildJvm.Result r = ChildJvm.run(Unprivileged.class, Long.toString(root.pid())).assertSuccess();
            assertEquals("EPERM", r.value("kill="));
            assertEquals("kill(1, 0): Operation not permitted [EPERM]", r.value("kill.message="));
            assertEquals("true", r.value("exists="), "EPERM means it exists");
            assertEquals("EPERM", r.value("term="));
            assertEquals("EPERM", r.value("queue="));
            assertEquals("EPERM", r.value("killpg="));
            assertTrue(root.isAlive(), "the root-owned group was not signalled");
        } finally {
            root.destroyForcibly();
            root.waitFor();
        }
    }
}
