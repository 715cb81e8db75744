package org.posix4j.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.signal.Signal;
import org.posix4j.testing.TimeFactor;

/// The seed's watch list semantics (kill_flag, override, nogroup), observed through the signal
/// that ended each real child.
class SubprocessesTest {
    private static final int TERM = Signal.TERM.number();
    private static final int KILL = Signal.KILL.number();

    /// A watched `sleep`.
    private record Sleeper(Child child, Watched watched) {}

    /// Starts, by name: `a` pgid 0 with kill_flag, `b` pgid 0 without, `c` its own group with
    /// kill_flag, `d` its own group without, `e` leading a group without kill_flag and `f` in
    /// e's group with kill_flag. Runs `action`, then kills every one of them with SIGKILL and
    /// answers, per name, the signal that ended it: SIGTERM where `action` reached it.
    private static Map<String, Integer> scenario(Consumer<Map<String, Sleeper>> action) throws Exception {
        Map<String, Sleeper> s = new LinkedHashMap<>();
        s.put("a", sleeper(ProcessGroup.KEEP, true));
        s.put("b", sleeper(ProcessGroup.KEEP, false));
        s.put("c", sleeper(ProcessGroup.NEW_BACKGROUND, true));
        s.put("d", sleeper(ProcessGroup.NEW_BACKGROUND, false));
        s.put("e", sleeper(ProcessGroup.NEW_BACKGROUND, false));
        s.put("f", sleeper(ProcessGroup.join(s.get("e").child().pid()), true));
        assertEquals(0, s.get("a").watched().processGroup());
        assertEquals(s.get("e").child().pid(), s.get("f").watched().processGroup());
        action.accept(s);
        Map<String, Integer> ended = new LinkedHashMap<>();
        for (Map.Entry<String, Sleeper> e : s.entrySet()) {
            Child c = e.getValue().child();
            try {
                c.signal(Signal.KILL);
            } catch (PosixException alreadyEnding) {
                // ESRCH: it got SIGTERM and is gone
            }
            ended.put(e.getKey(), ((ExitStatus.Signaled) c.waitFor()).signal());
            c.close();
        }
        return ended;
    }

    private static Sleeper sleeper(ProcessGroup group, boolean killFlag) throws PosixException {
        Child c = Spawn.program("/bin/sleep").args("30").processGroup(group).start();
        return new Sleeper(c, Subprocesses.watch(c, killFlag));
    }

    private static Map<String, Integer> expect(String termed) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String n : List.of("a", "b", "c", "d", "e", "f")) {
            m.put(n, termed.contains(n) ? TERM : KILL);
        }
        return m;
    }

    @Test
    void killAllMatrix() throws Exception {
        assertEquals(expect("acf"), scenario(s -> killAll(false, false)), "kill_flag selects");
        assertEquals(expect("abcdef"), scenario(s -> killAll(true, false)), "override selects all");
        assertEquals(expect("a"), scenario(s -> killAll(false, true)), "nogroup excludes pgid > 0");
        assertEquals(expect("ab"), scenario(s -> killAll(true, true)));
    }

    @Test
    void killGroupAllMatrix() throws Exception {
        assertEquals(expect("cef"), scenario(s -> killGroupAll(false)), "a group with one kill_flag member");
        assertEquals(expect("cdef"), scenario(s -> killGroupAll(true)), "every group, never pgid 0");
    }

    @Test
    void killOneAndItsGroup() throws Exception {
        assertEquals(expect("b"), scenario(s -> s.get("b").watched().kill(Signal.TERM)), "kill_flag does not matter");
        assertEquals(expect("ef"), scenario(s -> s.get("e").watched().killGroup(Signal.TERM)));
        assertEquals(expect(""), scenario(s -> s.get("a").watched().killGroup(Signal.TERM)), "pgid 0: no group");
        assertEquals(expect("d"), scenario(s -> {
            s.get("d").watched().kill(Signal.TERM);
            s.get("d").watched().kill(Signal.TERM);
        }), "a second kill of an ending process is silent");
    }

    @Test
    void ignoredAndForgottenLeaveTheList() throws Exception {
        assertEquals(expect("c"), scenario(s -> {
            s.get("a").watched().ignore();
            s.get("f").watched().forget();
            killAll(false, false);
        }));
    }

    private static void killAll(boolean override, boolean noGroup) {
        try {
            Subprocesses.killAll(Signal.TERM, override, noGroup);
        } catch (PosixException e) {
            throw new AssertionError(e);
        }
    }

    private static void killGroupAll(boolean override) {
        try {
            Subprocesses.killGroupAll(Signal.TERM, override);
        } catch (PosixException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void descriptorReachesEndOfFileAtExit() throws Exception {
        try (Child c = Spawn.program("/bin/sh").args("-c", "sleep 0.2; exit 5").start()) {
            Watched w = Subprocesses.watch(c, false);
            assertTrue(w.status().isEmpty());
            long t0 = System.nanoTime();
            assertEquals(-1, w.fd().inputStream().read(), "EOF when the process ends");
            assertTrue(System.nanoTime() - t0 > 50_000_000L, "not before");
            assertEquals(Optional.of(new ExitStatus.Exited(5)), w.status());
            assertTrue(w.hasEnded());
            assertEquals(Optional.of(new ExitStatus.Exited(5)), w.onExit().get(TimeFactor.scale(5), TimeUnit.SECONDS));
            w.forget();
        }
    }

    @Test
    void ignoreGivesEndOfFileAtOnceAndStillReaps() throws Exception {
        try (Child c = Spawn.program("/bin/sleep").args("30").start()) {
            Watched w = Subprocesses.watch(c.pid(), 0, true);
            w.ignore();
            assertEquals(-1, w.fd().inputStream().read(), "EOF at once");
            IllegalStateException e = assertThrows(IllegalStateException.class, w::status);
            assertTrue(e.getMessage().contains("ignore()"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> w.kill(Signal.KILL));
            assertThrows(IllegalStateException.class, w::forget);
            c.signal(Signal.KILL);
            assertEquals(KILL, ((ExitStatus.Signaled) c.waitFor()).signal());
            assertEquals(List.of(), Zombies.among(List.of(c.pid())), "reaped");
        }
    }

    @Test
    void watchingAProcessThatIsNotOurChild() throws Exception {
        // An orphan: sh starts sleep in the background and exits, so sleep's parent is not us; it
        // runs until the test ends it, however slow the machine.
        String orphan;
        try (Child sh = Spawn.program("/bin/sh").args("-c", "sleep 30 >/dev/null & echo $!").stdout(Redirect.PIPE)
                .start()) {
            orphan = new String(sh.stdoutPipe().orElseThrow().inputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            sh.waitFor();
        }
        Watched w = Subprocesses.watch(Integer.parseInt(orphan), 0, false);
        assertTrue(w.status().isEmpty());
        assertEquals(Watched.Outcome.RUNNING, w.outcome());
        w.kill(Signal.TERM);
        assertEquals(Optional.empty(), w.onExit().get(TimeFactor.scale(10), TimeUnit.SECONDS), "ended, status known only to its parent");
        assertTrue(w.hasEnded());
        assertEquals(Watched.Outcome.NOT_A_CHILD, w.outcome());
        assertEquals(-1, w.fd().inputStream().read());
        w.kill(Signal.KILL);
        w.forget();
    }

    /// The JDK's reaper thread waits for its child the moment it ends, so posix4j almost never
    /// reads a `ProcessBuilder` child's status; `outcome()` says so instead of leaving an
    /// unexplained empty status, and the exit code is the JDK's. Ten runs: each must either have
    /// the status or say who took it.
    @Test
    void watchingAProcessBuilderChildLeavesItsReapingToTheJdk() throws Exception {
        int reapedByTheJdk = 0;
        for (int run = 0; run < 10; run++) {
            Process p = new ProcessBuilder("/bin/sh", "-c", "read line; exit 7").start();
            Watched w = Subprocesses.watch((int) p.pid(), 0, false);
            assertEquals(Watched.Outcome.RUNNING, w.outcome());
            p.getOutputStream().close();
            Optional<ExitStatus> seen = w.onExit().get(TimeFactor.scale(10), TimeUnit.SECONDS);
            assertEquals(-1, w.fd().inputStream().read(), "the descriptor reports the end either way");
            assertEquals(7, p.waitFor(), "the JDK still reaps it and gets its status");
            assertEquals(seen, w.status());
            switch (w.outcome()) {
                case STATUS -> assertEquals(Optional.of(new ExitStatus.Exited(7)), seen);
                case REAPED_BY_ANOTHER -> {
                    assertEquals(Optional.empty(), seen);
                    reapedByTheJdk++;
                }
                default -> throw new AssertionError("a ProcessBuilder child is a child of this JVM: " + w.outcome());
            }
            w.fd().close();
            w.forget();
        }
        assertTrue(reapedByTheJdk > 0, "the JDK reaped none of ten children first: the documented usual case is wrong");
    }

    @Test
    void aChildPosix4jStartedHasItsStatus() throws Exception {
        try (Child c = Spawn.program("/bin/sh").args("-c", "exit 4").start()) {
            Watched w = Subprocesses.watch(c, false);
            assertEquals(Optional.of(new ExitStatus.Exited(4)), w.onExit().get(TimeFactor.scale(10), TimeUnit.SECONDS));
            assertEquals(Watched.Outcome.STATUS, w.outcome());
            w.fd().close();
            w.forget();
        }
    }

    @Test
    void watchFailures() {
        PosixException e = assertThrows(PosixException.class, () -> Subprocesses.watch(0x3ffffff0, 0, false));
        assertTrue(e.is(Errno.ESRCH), e.getMessage());
        assertEquals("pidfd_open", e.function());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> Subprocesses.watch(0, 0, false));
        assertTrue(a.getMessage().startsWith("pid "), a.getMessage());
        a = assertThrows(IllegalArgumentException.class, () -> Subprocesses.watch(1, -1, false));
        assertTrue(a.getMessage().startsWith("pgid "), a.getMessage());
    }
}
