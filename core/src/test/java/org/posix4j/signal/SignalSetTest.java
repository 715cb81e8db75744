package org.posix4j.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.posix4j.internal.SignalH;
import org.posix4j.testing.Proc;

class SignalSetTest {

    @Test
    void namesRoundTripWithTheShellsKillList() {
        List<String> lines = Proc.lines("bash", "-c",
                "for i in $(seq 1 31) $(seq 34 64); do echo \"$i $(kill -l $i)\"; done");
        assertEquals(62, lines.size());
        for (String line : lines) {
            String[] f = line.split(" ");
            int n = Integer.parseInt(f[0]);
            assertEquals("SIG" + f[1], Signal.nameOf(n), line);
            assertEquals(n, Signal.numberOf(f[1]), line);
            assertEquals(n, Signal.numberOf("SIG" + f[1]), line);
            assertEquals(n, Signal.numberOf(f[1].toLowerCase(Locale.ROOT)), line);
            assertEquals(List.of("SIG" + f[1]), SignalSet.ofNumbers(n).names(), line);
        }
        for (Signal s : Signal.values()) {
            assertEquals(s, Signal.byName(s.cName()));
            assertEquals(s.cName(), Signal.nameOf(s.number()));
        }
    }

    @Test
    void realTimeNamesAndTheirLimits() {
        assertEquals(Signal.SIGRTMIN, Signal.numberOf("SIGRTMIN"));
        assertEquals(Signal.SIGRTMAX, Signal.numberOf("rtmax"));
        assertEquals(Signal.realTime(3), Signal.numberOf("SIGRTMIN+3"));
        assertEquals(62, Signal.numberOf("RTMAX-2"));
        assertEquals(Signal.SIGRTMIN, Signal.numberOf("SIGRTMAX-30"));
        assertEquals(Signal.SIGRTMAX, Signal.numberOf("SIGRTMIN+30"));
        for (String bad : List.of("SIGRTMIN+31", "SIGRTMAX-31", "SIGRTMIN-1", "SIGRTMAX+1", "RTMIN+", "RTMIN+x",
                "RTMIN3", "SIGFOO", "", "SIG")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signal.numberOf(bad), bad);
            assertTrue(e.getMessage().startsWith("name: "), e.getMessage());
        }
        for (int bad : new int[] {0, 32, 33, 65, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signal.nameOf(bad));
            assertTrue(e.getMessage().startsWith("number must be a signal"), e.getMessage());
        }
    }

    @Test
    void kernelMaskIsTheSigsetGlibcBuilds() {
        int[] numbers = {1, 9, 10, 17, 31, 34, 37, 62, 64};
        SignalSet set = SignalSet.ofNumbers(numbers);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sigset = arena.allocate(SignalH.SIGSET);
            sigset.fill((byte) 0x5a);
            SignalH.fill(sigset, set.kernelMask());
            // glibc's sigset functions and the kernel (sigsetsize 8) use only the first 64 bits.
            assertArrayEquals(Arrays.copyOf(RawLibc.glibcSigset(numbers), 8),
                    sigset.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE));
            assertTrue(sigset.asSlice(8).elements(ValueLayout.JAVA_BYTE).allMatch(b -> b.get(ValueLayout.JAVA_BYTE, 0) == 0),
                    "the unused words are zero");
        }
    }

    @Test
    void procMasksReadBack() {
        long caught = Long.parseUnsignedLong(Proc.status(ProcessHandle.current().pid(), "SigCgt"), 16);
        SignalSet jvm = SignalSet.fromKernelMask(caught & ~((1L << 31) | (1L << 32)));
        assertTrue(jvm.containsAll(SignalSet.of(Signal.HUP, Signal.INT, Signal.TERM, Signal.SEGV)),
                "the JVM catches its shutdown and fault signals: " + jvm);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SignalSet.fromKernelMask(1L << 32));
        assertTrue(e.getMessage().startsWith("kernelMask contains signal 32 or 33"), e.getMessage());
    }

    @Test
    void buildingAndCombining() {
        SignalSet a = SignalSet.of("SIGHUP", "int", "SIGRTMIN+3");
        assertEquals(SignalSet.of(Signal.HUP, Signal.INT).with(37), a);
        assertEquals(a.hashCode(), SignalSet.ofNumbers(37, 2, 1).hashCode());
        assertEquals(0b11L | (1L << 36), a.kernelMask());
        assertEquals("[SIGHUP, SIGINT, SIGRTMIN+3]", a.toString());
        assertArrayEquals(new int[] {1, 2, 37}, a.numbers());
        assertEquals(3, a.size());
        assertTrue(a.contains(Signal.HUP) && a.contains(37));
        assertFalse(a.contains(0) || a.contains(65) || a.contains(Signal.TERM));
        SignalSet b = SignalSet.of(Signal.INT, Signal.TERM);
        assertEquals("[SIGHUP, SIGINT, SIGTERM, SIGRTMIN+3]", a.union(b).toString());
        assertEquals("[SIGINT]", a.intersection(b).toString());
        assertEquals("[SIGHUP, SIGRTMIN+3]", a.minus(b).toString());
        assertEquals("[SIGINT, SIGRTMIN+3]", a.without(Signal.HUP).toString());
        assertTrue(a.containsAll(SignalSet.of(Signal.HUP)));
        assertFalse(a.containsAll(b));
        assertTrue(SignalSet.empty().isEmpty());
        assertEquals(SignalSet.empty(), SignalSet.fromKernelMask(0));
        assertEquals(a, SignalSet.fromKernelMask(a.kernelMask()));
        for (int bad : new int[] {0, 32, 33, 65}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignalSet.ofNumbers(bad));
            assertTrue(e.getMessage().startsWith("signal number must be within 1..31 or 34..64"), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> SignalSet.of((Signal) null));
    }

    @Test
    void events() {
        SignalEvent queued = new SignalEvent(37, OptionalInt.of(SignalEvent.CODE_QUEUE), OptionalInt.of(42),
                OptionalInt.of(0), OptionalInt.of(7));
        assertEquals("SIGRTMIN+3", queued.name());
        assertTrue(queued.signal().isEmpty());
        SignalEvent hup = SignalEvent.of(1);
        assertTrue(hup.is(Signal.HUP));
        assertEquals(Signal.HUP, hup.signal().orElseThrow());
        assertTrue(hup.senderPid().isEmpty() && hup.code().isEmpty() && hup.value().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> SignalEvent.of(32));
    }
}
