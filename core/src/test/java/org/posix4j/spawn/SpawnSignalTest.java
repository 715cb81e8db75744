package org.posix4j.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.posix4j.signal.Signal;
import org.posix4j.signal.SignalSet;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;

/// Signal dispositions and masks of spawned children, read by the child from its own
/// /proc/self/status (SigBlk, SigIgn, SigCgt as hexadecimal masks).
class SpawnSignalTest {
    /// `cat`, which installs no handler of its own, printing its /proc/self/status.
    private static Spawn status() {
        return Spawn.program("/bin/cat").args("/proc/self/status");
    }

    private static long bits(Signal... signals) {
        long mask = 0;
        for (Signal s : signals) {
            mask |= Outputs.bit(s.number());
        }
        return mask;
    }

    @Test
    void maskIsEmptyByDefaultAndExactWhenSet() throws Exception {
        List<String> lines = Outputs.lines(status());
        assertEquals(0, Outputs.statusMask(lines, "SigBlk"), lines::toString);
        assertEquals(0, Outputs.statusMask(lines, "SigCgt"), "the JVM's handlers are not inherited: " + lines);
        assertEquals(0, Outputs.statusMask(lines, "SigIgn"), "not even glibc's internal signals: " + lines);
        lines = Outputs.lines(status().signalMask(Signal.USR1, Signal.TERM, Signal.WINCH));
        assertEquals(bits(Signal.USR1, Signal.TERM, Signal.WINCH), Outputs.statusMask(lines, "SigBlk"), lines::toString);
    }

    /// HotSpot blocks SIGQUIT on Java threads (only its signal dispatcher takes it), and
    /// posix_spawn would pass the calling thread's mask on; the child must not inherit it.
    @Test
    void callingThreadsMaskIsNotInherited() throws Exception {
        long threadMask = Long.parseUnsignedLong(Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(l -> l.startsWith("SigBlk:")).findFirst().orElseThrow().substring(7).strip(), 16);
        assertNotEquals(0, threadMask & Outputs.bit(Signal.QUIT.number()), "this thread blocks SIGQUIT");
        List<String> lines = Outputs.lines(status());
        assertEquals(0, Outputs.statusMask(lines, "SigBlk"), lines::toString);
    }

    /// Reports this JVM's dispositions, spawns children that ignore and reset signals, reports
    /// what they saw and this JVM's dispositions again.
    public static final class Dispositions {
        public static void main(String[] args) throws Exception {
            System.out.println("jvm.before=" + jvm());
            report("plain", status());
            report("ignore", status().ignoreSignal(Signal.HUP).ignoreSignal(Signal.USR1).ignoreSignal(Signal.PIPE)
                    .ignoreSignal(Signal.TTOU));
            report("default", status().defaultSignal(Signal.USR1));
            report("ignoreThenDefault", status().ignoreSignal(Signal.WINCH).defaultSignal(Signal.WINCH));
            System.out.println("jvm.after=" + jvm());
        }

        static String jvm() {
            long pid = ProcessHandle.current().pid();
            return Proc.status(pid, "SigIgn") + "/" + Proc.status(pid, "SigCgt");
        }

        private static void report(String key, Spawn spawn) throws Exception {
            List<String> lines = Outputs.lines(spawn);
            System.out.println(key + "=" + Long.toHexString(Outputs.statusMask(lines, "SigIgn")));
        }
    }

    /// Like [Dispositions] for real-time signals, which only the number overloads can name.
    public static final class RealTimeDispositions {
        public static void main(String[] args) throws Exception {
            System.out.println("jvm.before=" + Dispositions.jvm());
            report("plain", status());
            report("ignore", status().ignoreSignal(Signal.realTime(3)).ignoreSignal(Signal.numberOf("SIGRTMAX")));
            report("default", status().defaultSignal(Signal.realTime(6)));
            List<String> lines = Outputs.lines(status().signalMask(SignalSet.ofNumbers(Signal.realTime(1), Signal.SIGRTMAX)
                    .with(Signal.TERM.number())));
            System.out.println("blocked=" + Long.toHexString(Outputs.statusMask(lines, "SigBlk")));
            System.out.println("jvm.after=" + Dispositions.jvm());
        }

        private static void report(String key, Spawn spawn) throws Exception {
            List<String> lines = Outputs.lines(spawn);
            System.out.println(key + "=" + Long.toHexString(Outputs.statusMask(lines, "SigIgn")));
        }
    }

    /// The seed's signal actions take any signal number; so do these, real-time signals included.
    @Test
    void realTimeSignals() throws Exception {
        int rt6 = Signal.realTime(6);
        // The test JVM starts with SIGRTMIN+6 ignored (dash's trap takes the number).
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "trap '' " + rt6 + "; exec \"$@\"", "sh"));
        command.addAll(ChildJvm.command(List.of(), RealTimeDispositions.class));
        ChildJvm.Result r;
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(command))) {
            r = child.finish().assertSuccess();
        }
        long rt6Bit = Outputs.bit(rt6);
        assertEquals(rt6Bit, Long.parseLong(r.value("plain="), 16), "an ignored signal stays ignored: " + r);
        assertEquals(rt6Bit | Outputs.bit(Signal.realTime(3)) | Outputs.bit(Signal.SIGRTMAX),
                Long.parseUnsignedLong(r.value("ignore="), 16), r::toString);
        assertEquals(0, Long.parseLong(r.value("default="), 16), "SETSIGDEF resets it: " + r);
        assertEquals(Outputs.bit(Signal.realTime(1)) | Outputs.bit(Signal.SIGRTMAX) | Outputs.bit(Signal.TERM.number()),
                Long.parseUnsignedLong(r.value("blocked="), 16), r::toString);
        assertEquals(r.value("jvm.before="), r.value("jvm.after="), "this JVM's dispositions are restored exactly");
    }

    @Test
    void realTimeSignalsTheJdkUsesOrGlibcKeepsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Spawn.program("x").ignoreSignal(Signal.SIGRTMAX - 2));
        assertTrue(e.getMessage().startsWith("signal SIGRTMAX-2 cannot be ignored"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Spawn.program("x").defaultSignal(32));
        assertTrue(e.getMessage().startsWith("signal number must be within"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Spawn.program("x").ignoreSignal(65));
        assertTrue(e.getMessage().startsWith("signal number must be within"), e.getMessage());
    }

    @Test
    void ignoreAndDefault() throws Exception {
        // The test JVM is started with SIGUSR1 ignored (sh's trap '' sets SIG_IGN, exec keeps it).
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "trap '' USR1; exec \"$@\"", "sh"));
        command.addAll(ChildJvm.command(List.of(), Dispositions.class));
        ChildJvm.Result r;
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(command))) {
            r = child.finish().assertSuccess();
        }
        long usr1 = Outputs.bit(Signal.USR1.number());
        assertEquals(usr1, Long.parseLong(r.value("plain="), 16), "an ignored signal stays ignored: " + r);
        assertEquals(bits(Signal.HUP, Signal.USR1, Signal.PIPE, Signal.TTOU), Long.parseLong(r.value("ignore="), 16), r::toString);
        assertEquals(0, Long.parseLong(r.value("default="), 16), "SETSIGDEF resets it: " + r);
        assertEquals(usr1, Long.parseLong(r.value("ignoreThenDefault="), 16), "the later call wins: " + r);
        assertEquals(r.value("jvm.before="), r.value("jvm.after="), "this JVM's dispositions are restored exactly");
        assertNotEquals("0", r.value("jvm.before=").split("/")[1], "the JVM has handlers of its own");
        assertEquals(usr1, Long.parseUnsignedLong(r.value("jvm.before=").split("/")[0], 16) & usr1,
                "the JVM itself ignores SIGUSR1: " + r);
    }
}
