package org.posix4j.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.posix4j.process.Credentials;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;
import org.posix4j.testing.TimeFactor;

/// Signal channels in child JVMs (dispositions are process-wide), checked against what the kernel
/// reports in /proc/PID/status and /proc/PID/task/TID/status, with signals sent by the real
/// `kill` program and by posix4j.
class SignalChannelTest {
    private static final String SELF = Long.toString(ProcessHandle.current().pid());
    private static final int UID = Credentials.uid();

    /// Blocks the signals numbered in argv[1] and ignores those in argv[2], then executes the
    /// rest of argv: the way a parent can hand a JVM signals blocked in every thread.
    private static final String WRAPPER = String.join("\n",
            "import os, signal, sys",
            "for s in filter(None, sys.argv[2].split(',')): signal.signal(int(s), signal.SIG_IGN)",
            "signal.pthread_sigmask(signal.SIG_BLOCK, [int(s) for s in filter(None, sys.argv[1].split(','))])",
            "os.execv(sys.argv[3], sys.argv[3:])");

    private static ChildJvm start(String block, String ignore, List<String> jvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", WRAPPER, block, ignore));
        cmd.addAll(ChildJvm.command(jvmOptions, SignalChild.class));
        return ChildJvm.start(new ProcessBuilder(cmd));
    }

    private static String ask(ChildJvm child, String command) throws IOException {
        String key = command.split(" ")[0];
        child.send(command);
        return child.expect(key + "=");
    }

    private static long mask(long pid, String key) {
        return Long.parseUnsignedLong(Proc.status(pid, key), 16);
    }

    /// The `key` mask of every thread of `pid`.
    private static List<Long> taskMasks(long pid, String key) throws IOException {
        List<Long> masks = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith(key + ":")) {
                            masks.add(Long.parseUnsignedLong(line.substring(key.length() + 1).strip(), 16));
                        }
                    }
                } catch (NoSuchFileException ended) {
                    // a thread that ended while listing
                }
            }
        }
        return masks;
    }

    /// What the descriptors of `pid` refer to, from /proc/PID/fd.
    private static List<String> descriptors(long pid) throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (NoSuchFileException closed) {
                    // closed while listing
                }
            }
        }
        return targets;
    }

    /// Sends `signal` with the real kill(1) and answers that process's pid, the sender.
    private static long peerKill(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes());
        assertEquals(0, kill.waitFor(), "kill -s " + signal + ": " + out);
        return kill.pid();
    }

    private static int pid(ChildJvm child) throws IOException {
        return Integer.parseInt(child.expect("pid="));
    }

    private static void assertPolls(ChildJvm child, String name) throws IOException {
        assertEquals(Integer.toString(RawLibc.POLLIN), ask(child, "poll " + TimeFactor.millis(5000)), "fd readable after " + name);
        assertTrue(ask(child, "try").startsWith(name + " code=- pid=- uid=- value=-"), name);
        assertEquals("0", ask(child, "poll 0"), "fd not readable once " + name + " was read");
    }

    @Test
    void jvmHandlerDeliversSignalsAndCloseRestoresTheJvmsHandlers() throws Exception {
        try (ChildJvm child = ChildJvm.start(SignalChild.class)) {
            int pid = pid(child);
            long caughtBefore = mask(pid, "SigCgt");
            long blockedBefore = mask(pid, "SigBlk");
            SignalSet defaults = SignalSet.of(Signal.USR1, Signal.CHLD, Signal.WINCH, Signal.ALRM, Signal.CONT,
                    Signal.TSTP);
            SignalSet jvms = SignalSet.of(Signal.HUP, Signal.INT, Signal.TERM, Signal.PIPE);
            SignalSet all = defaults.union(jvms);
            assertEquals(0, caughtBefore & defaults.kernelMask(), "default dispositions before: " + caughtBefore);
            assertEquals(jvms.kernelMask(), caughtBefore & jvms.kernelMask(), "the JVM catches HUP INT TERM PIPE");

            assertEquals("signalfd:[] jvm:" + all, ask(child, "open " + String.join(" ", all.names())));
            assertEquals(all.kernelMask(), mask(pid, "SigCgt") & all.kernelMask(), "every signal caught");
            assertEquals(blockedBefore, mask(pid, "SigBlk"), "the channel blocks nothing");

            String timed = ask(child, "timed 300");
            assertTrue(timed.startsWith("empty elapsed="), timed);
            assertTrue(Long.parseLong(timed.substring("empty elapsed=".length())) >= 290, timed);
            assertEquals("0", ask(child, "poll 0"), "nothing pending");

            assertEquals("waiting", ask(child, "readbg"));
            peerKill("HUP", pid);
            assertEquals("SIGHUP code=- pid=- uid=- value=-", child.expect("reader="), "blocking read");

            boolean peer = false;
            for (int n : all.without(Signal.HUP).numbers()) {
                String name = Signal.nameOf(n);
                if (peer) {
                    peerKill(name.substring(3), pid);
                } else {
                    Signals.kill(pid, n);
                }
                peer = !peer;
                assertPolls(child, name);
            }
            assertNotEquals("T", Proc.stat(pid)[0], "SIGTSTP was an event, not a stop");
            assertTrue(Signals.exists(pid), "SIGINT and SIGTERM were events, not the end");

            assertEquals("ok", ask(child, "close"));
            assertEquals(caughtBefore & all.kernelMask(), mask(pid, "SigCgt") & all.kernelMask(),
                    "every disposition is back");
            assertEquals("java.nio.channels.ClosedChannelException", ask(child, "try"));
            peerKill("TERM", pid);
            assertEquals("ran", child.expect("hook="), "the JVM's shutdown handles SIGTERM again");
            assertEquals(143, child.finish().exitCode(), "128 + SIGTERM");
        }
    }

    @Test
    void signalfdDeliversSenderAndValueForSignalsBlockedInEveryThread() throws Exception {
        SignalSet blocked = SignalSet.of("SIGUSR1", "SIGCHLD", "SIGRTMIN+3");
        try (ChildJvm child = start("10,17,37", "", List.of())) {
            int pid = pid(child);
            for (long m : taskMasks(pid, "SigBlk")) {
                assertEquals(blocked.kernelMask(), m & blocked.kernelMask(), "every thread blocks them: " + m);
            }
            String fds = ask(child, "fds");

            assertEquals("signalfd:" + blocked + " jvm:[SIGHUP]", ask(child, "open SIGUSR1 SIGCHLD SIGRTMIN+3 SIGHUP"));
            assertEquals("[posix4j-signalfd " + blocked + "]", ask(child, "threads"));
            assertEquals(1, descriptors(pid).stream().filter("anon_inode:[signalfd]"::equals).count(), "one signalfd");
            assertEquals(0, mask(pid, "SigCgt") & blocked.kernelMask(), "no handler installed for them");
            assertEquals("0", ask(child, "poll 0"));

            long sender = peerKill("USR1", pid);
            assertEquals(Integer.toString(RawLibc.POLLIN), ask(child, "poll " + TimeFactor.millis(5000)));
            assertEquals("SIGUSR1 code=0 pid=" + sender + " uid=" + UID + " value=-", ask(child, "try"));
            assertEquals("0", ask(child, "poll 0"));

            Signals.kill(pid, Signal.USR1);
            assertEquals("SIGUSR1 code=0 pid=" + SELF + " uid=" + UID + " value=-", ask(child, "read"));

            for (int v = 1; v <= 3; v++) {
                Signals.queue(pid, Signal.realTime(3), v * 1000);
            }
            for (int v = 1; v <= 3; v++) {
                assertEquals("SIGRTMIN+3 code=-1 pid=" + SELF + " uid=" + UID + " value=" + v * 1000,
                        ask(child, "read"), "real-time signals queue in order");
            }
            Signals.queue(pid, Signal.USR1, -77);
            assertEquals("SIGUSR1 code=-1 pid=" + SELF + " uid=" + UID + " value=-77", ask(child, "read"));

            Signals.kill(pid, Signal.HUP);
            assertEquals("SIGHUP code=- pid=- uid=- value=-", ask(child, "read"), "HUP comes through the JVM");

            String spawned = ask(child, "spawn");
            assertEquals("SIGCHLD code=1 pid=" + spawned + " uid=" + UID + " value=-", ask(child, "read"),
                    "CLD_EXITED from the child that ended");

            assertEquals("ok", ask(child, "raise SIGUSR1"));
            assertTrue(ask(child, "timed 300").startsWith("empty"), "raise is thread-directed: not for the channel");
            assertTrue(taskMasks(pid, "SigPnd").stream().anyMatch(m -> (m & (1L << 9)) != 0),
                    "SIGUSR1 pending on the raising thread");

            assertEquals("ok", ask(child, "close"));
            assertEquals("[]", ask(child, "threads"), "the signalfd reader ended");
            assertEquals(fds, ask(child, "fds"), "no descriptor leaked");
            assertTrue(descriptors(pid).stream().noneMatch("anon_inode:[signalfd]"::equals), "the signalfd is closed");
            peerKill("USR1", pid);
            long deadline = TimeFactor.deadline(Duration.ofSeconds(5));
            while ((mask(pid, "ShdPnd") & (1L << 9)) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1L << 9, mask(pid, "ShdPnd") & (1L << 9), "after close SIGUSR1 stays blocked and pending");
            assertEquals(0, mask(pid, "SigCgt") & blocked.kernelMask());
            child.send("exit");
            assertEquals(0, child.finish().exitCode());
        }
    }

    @Test
    void reservedSignalsAreRefusedWithTheReason() throws Exception {
        try (ChildJvm child = ChildJvm.start(SignalChild.class)) {
            int pid = pid(child);
            String iae = "java.lang.IllegalArgumentException: signals: ";
            assertEquals(iae + "SIGKILL cannot be caught, blocked or ignored", ask(child, "open SIGKILL"));
            assertEquals(iae + "SIGSTOP cannot be caught, blocked or ignored", ask(child, "open SIGSTOP"));
            for (String s : List.of("SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL")) {
                assertTrue(ask(child, "open " + s).startsWith(iae + s + " is reserved by the JVM, which handles it"), s);
            }
            assertTrue(ask(child, "open SIGQUIT").startsWith(iae + "SIGQUIT is reserved by the JVM, which prints a thread"));
            assertTrue(ask(child, "open SIGUSR2").startsWith(iae + "SIGUSR2 is reserved by the JVM, which suspends"));
            assertTrue(ask(child, "open SIGRTMAX-2").startsWith(iae + "SIGRTMAX-2 (SIGRTMAX-2) is reserved by the JDK"));
            assertTrue(ask(child, "open SIGUSR1 SIGRTMIN+1").startsWith(iae + "SIGRTMIN+1 can be received only when"
                    + " every thread blocks it"));
            assertTrue(ask(child, "open SIGUSR1 SIGSEGV").startsWith(iae + "SIGSEGV"));
            assertEquals(0, mask(pid, "SigCgt") & (1L << 9), "a refused open changes no disposition");
            assertEquals(iae.replace("signals: ", "") + "signals is empty", ask(child, "open"));
            assertEquals("java.lang.IllegalArgumentException: name: no signal is called SIGFOO", ask(child, "open SIGFOO"));

            assertTrue(ask(child, "open SIGUSR1").startsWith("signalfd:[] jvm:[SIGUSR1]"));
            assertEquals("java.lang.IllegalStateException: signals: [SIGUSR1] already delivered to an open SignalChannel",
                    ask(child, "open SIGUSR1 SIGWINCH"));
            assertEquals(0, mask(pid, "SigCgt") & (1L << 27), "SIGWINCH untouched by the refused open");
            assertEquals("ok", ask(child, "close"));
            assertTrue(ask(child, "open SIGUSR1").startsWith("signalfd:[] jvm:[SIGUSR1]"), "free again after close");
            assertEquals("ok", ask(child, "close"));
            assertEquals("ok", ask(child, "close"), "close twice is harmless");
            child.send("exit");
            child.finish().assertSuccess();
        }
    }

    @Test
    void ignoredHangupIsRefusedWithTheReason() throws Exception {
        try (ChildJvm child = start("", "1", List.of())) {
            int pid = pid(child);
            assertEquals(1L, mask(pid, "SigIgn") & 1L, "SIGHUP ignored, as under nohup");
            assertEquals("java.lang.IllegalStateException: signals: SIGHUP is ignored in this process (SIG_IGN, as under"
                    + " nohup), and the JVM installs no handler for an ignored shutdown signal",
                    ask(child, "open SIGHUP SIGUSR1"));
            assertEquals(0, mask(pid, "SigCgt") & (1L << 9), "SIGUSR1 untouched");
            assertTrue(ask(child, "open SIGUSR1").startsWith("signalfd:[] jvm:[SIGUSR1]"));
            child.send("exit");
            child.finish().assertSuccess();
        }
    }

    @Test
    void withXrsTheJvmRefusesInterruptUnlessItIsBlockedEverywhere() throws Exception {
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(ChildJvm.command(List.of("-Xrs"), SignalChild.class)))) {
            pid(child);
            String refused = ask(child, "open SIGINT");
            assertTrue(refused.startsWith("java.lang.IllegalArgumentException: signals: the JVM refused SIGINT (Signal"
                    + " already used by VM or OS: SIGINT); it refuses SIGHUP, SIGINT and SIGTERM when started with -Xrs"),
                    refused);
            child.send("exit");
            child.finish().assertSuccess();
        }
        try (ChildJvm child = start("2", "", List.of("-Xrs"))) {
            int pid = pid(child);
            assertEquals("signalfd:[SIGINT] jvm:[]", ask(child, "open SIGINT"));
            long sender = peerKill("INT", pid);
            assertEquals("SIGINT code=0 pid=" + sender + " uid=" + UID + " value=-", ask(child, "read"));
            assertEquals("ok", ask(child, "close"));
            child.send("exit");
            assertEquals(0, child.finish().exitCode());
        }
    }

    /// The README's route to a sender pid for SIGTERM: HotSpot unblocks SIGHUP, SIGINT and
    /// SIGTERM in every thread it starts, so a JVM started with SIGTERM blocked gets it through
    /// its own handler, without the sender; with -Xrs as well, SIGTERM stays blocked everywhere
    /// and comes through the signalfd, sender included.
    @Test
    void termCarriesItsSenderOnlyUnderXrsWithTermBlockedAtStart() throws Exception {
        String term = Integer.toString(Signal.TERM.number());
        try (ChildJvm child = start(term, "", List.of())) {
            int pid = pid(child);
            assertTrue(taskMasks(pid, "SigBlk").stream().anyMatch(m -> (m & (1L << 14)) == 0),
                    "HotSpot unblocked SIGTERM in its threads");
            assertEquals("signalfd:[] jvm:[SIGTERM]", ask(child, "open SIGTERM"));
            peerKill("TERM", pid);
            assertEquals("SIGTERM code=- pid=- uid=- value=-", ask(child, "read"), "no sender through the JVM");
            assertEquals("ok", ask(child, "close"));
            child.send("exit");
            assertEquals(0, child.finish().exitCode());
        }
        try (ChildJvm child = start(term, "", List.of("-Xrs"))) {
            int pid = pid(child);
            for (long m : taskMasks(pid, "SigBlk")) {
                assertEquals(1L << 14, m & (1L << 14), "under -Xrs every thread keeps SIGTERM blocked: " + m);
            }
            assertEquals("signalfd:[SIGTERM] jvm:[]", ask(child, "open SIGTERM"));
            long sender = peerKill("TERM", pid);
            assertEquals("SIGTERM code=0 pid=" + sender + " uid=" + UID + " value=-", ask(child, "read"));
            assertEquals("ok", ask(child, "close"));
            child.send("exit");
            assertEquals(0, child.finish().exitCode());
        }
    }

    @Test
    void raiseReachesAChannelThroughTheJvmHandler() throws Exception {
        try (ChildJvm child = ChildJvm.start(SignalChild.class)) {
            pid(child);
            assertTrue(ask(child, "open SIGUSR1 SIGRTMIN").startsWith("java.lang.IllegalArgumentException"));
            ask(child, "open SIGUSR1");
            assertEquals("ok", ask(child, "raise SIGUSR1"));
            assertEquals("SIGUSR1 code=- pid=- uid=- value=-", ask(child, "read"));
            String negative = ask(child, "timed -1");
            assertTrue(negative.startsWith("java.lang.IllegalArgumentException: timeout must not be negative"), negative);
            assertEquals("waiting", ask(child, "readbg"));
            child.send("close");
            assertEquals("java.nio.channels.ClosedChannelException", child.expect("reader="), "close wakes readers");
            assertEquals("ok", child.expect("close="));
            child.send("exit");
            child.finish().assertSuccess();
        }
    }
}
