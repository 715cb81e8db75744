package org.posix4j.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFds;
import org.posix4j.io.Pipe;
import org.posix4j.process.Resource;
import org.posix4j.process.ResourceLimits;
import org.posix4j.process.Rlimit;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.NoFdLeaks;
import org.posix4j.testing.Proc;
import org.posix4j.testing.TimeFactor;

@ExtendWith(NoFdLeaks.class)
class PollArrayTest {
    private static final Duration NO_WAIT = Duration.ZERO;
    private static final RequestedEvents READ = RequestedEvents.of(true, false, false);
    private static final RequestedEvents WRITE = RequestedEvents.of(false, true, false);


    static void write(Fd fd, int bytes) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(bytes, fd.write(arena.allocate(bytes)));
        }
    }

    /// What a non-blocking read of `fd` gets: the byte count, 0 at end of file, or -1 for EAGAIN.
    static long tryRead(Fd fd) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            return fd.read(arena.allocate(4096));
        } catch (PosixException e) {
            assertTrue(e.is(Errno.EAGAIN), e.getMessage());
            return -1;
        }
    }

    @Test
    void eventConstantsAreTheKernelsPollBits() {
        // Python's select module takes them from <poll.h> at build time: an independent source.
        String python = Proc.run("python3", "-c",
                "import select as s; print(s.POLLIN, s.POLLOUT, s.POLLPRI, s.POLLERR, s.POLLHUP, s.POLLNVAL)");
        assertEquals(python, PollEvents.READ + " " + PollEvents.WRITE + " " + PollEvents.PRIORITY + " "
                + PollEvents.ERROR + " " + PollEvents.HANGUP + " " + PollEvents.INVALID);
        assertTrue(PollArray.havePoll());
    }

    @Test
    void createGivesCellsForStdinWithNoEvents() throws Exception {
        try (PollArray a = PollArray.create(3); PollArray empty = PollArray.create(0)) {
            assertEquals(3, a.length());
            for (int k = 0; k < 3; k++) {
                assertEquals(new PollCell(0, RequestedEvents.NONE, ReturnedEvents.NONE), a.get(k));
            }
            assertEquals(0, empty.length());
            assertEquals(0, empty.poll(0, NO_WAIT));
        }
    }

    @Test
    void cellsRoundTripEveryField() {
        try (PollArray a = PollArray.create(2)) {
            // 0x2000 is POLLRDHUP: bits without a constant pass through unchanged.
            PollCell cell = new PollCell(7, RequestedEvents.ofBits(PollEvents.READ | PollEvents.PRIORITY | 0x2000),
                    ReturnedEvents.ofBits(PollEvents.HANGUP | PollEvents.ERROR));
            a.set(1, cell);
            assertEquals(cell, a.get(1));
            assertEquals(7, a.fd(1));
            assertEquals(0x2003, a.requestedBits(1));
            assertEquals(0x18, a.returnedBits(1));
            RequestedEvents r = a.get(1).requested();
            assertTrue(r.read());
            assertFalse(r.write());
            assertTrue(r.priority());
            ReturnedEvents e = a.get(1).returned();
            assertTrue(e.any() && e.hangup() && e.error());
            assertFalse(e.readable() || e.writable() || e.priority() || e.invalid());
            assertEquals(new PollCell(0, RequestedEvents.NONE), a.get(0));
            assertEquals(0xFFFF, RequestedEvents.ofBits(0xFFFF).bits());
        }
    }

    @Test
    void blitCopiesCellsBetweenAndWithinArrays() {
        try (PollArray a = PollArray.create(4); PollArray b = PollArray.create(4)) {
            for (int k = 0; k < 4; k++) {
                a.set(k, new PollCell(10 + k, READ, ReturnedEvents.ofBits(k)));
            }
            PollArray.blit(a, 1, b, 2, 2);
            assertEquals(List.of(new PollCell(0, RequestedEvents.NONE), new PollCell(0, RequestedEvents.NONE),
                    a.get(1), a.get(2)), List.of(b.get(0), b.get(1), b.get(2), b.get(3)));
            // Overlapping, forwards: cells 0..2 move to 1..3 without smearing cell 0.
            PollArray.blit(a, 0, a, 1, 3);
            assertEquals(List.of(10, 10, 11, 12), List.of(a.fd(0), a.fd(1), a.fd(2), a.fd(3)));
            PollArray.blit(a, 0, b, 0, 0);
            assertEquals(0, b.fd(0));
        }
    }

    @Test
    void pipeIsWritableAtOnceAndReadableOnlyAfterAWrite() throws Exception {
        try (Pipe pipe = Pipe.openNonBlocking(); PollArray a = PollArray.create(2)) {
            a.set(0, new PollCell(pipe.readEnd().intValue(), READ));
            a.set(1, new PollCell(pipe.writeEnd().intValue(), WRITE));
            assertEquals(1, a.poll(2, NO_WAIT));
            assertEquals(ReturnedEvents.NONE, a.get(0).returned());
            assertEquals(-1, tryRead(pipe.readEnd()), "poll said not readable, and a read would block");
            assertTrue(a.get(1).returned().writable());

            write(pipe.writeEnd(), 3);
            assertEquals(2, a.poll(2, NO_WAIT));
            assertEquals(PollEvents.READ, a.returnedBits(0));
            assertEquals(PollEvents.WRITE, a.returnedBits(1));
            assertEquals(3, tryRead(pipe.readEnd()), "poll said readable, and the bytes are there");

            // Poll only the first cell: the second keeps what the last poll left there.
            assertEquals(0, a.poll(1, 0.0));
            assertEquals(0, a.returnedBits(0));
            assertEquals(PollEvents.WRITE, a.returnedBits(1));
        }
    }

    @Test
    void closedWriteEndIsHangupAndClosedReadEndIsError() throws Exception {
        try (PollArray a = PollArray.create(1)) {
            Pipe one = Pipe.openNonBlocking();
            a.set(0, new PollCell(one.readEnd().intValue(), READ));
            one.writeEnd().close();
            assertEquals(1, a.poll(1, NO_WAIT));
            assertEquals(ReturnedEvents.ofBits(PollEvents.HANGUP), a.get(0).returned());
            assertEquals(0, tryRead(one.readEnd()), "end of file, as the hang-up said");
            one.close();

            Pipe two = Pipe.openNonBlocking();
            a.set(0, new PollCell(two.writeEnd().intValue(), WRITE));
            two.readEnd().close();
            assertEquals(1, a.poll(1, NO_WAIT));
            assertTrue(a.get(0).returned().error(), a.get(0).toString());
            two.close();
        }
    }

    @Test
    void closedDescriptorNumberIsInvalid() throws Exception {
        int closed = OpenFds.closedNumber();
        try (PollArray a = PollArray.create(1)) {
            a.set(0, new PollCell(closed, READ));
            assertEquals(1, a.poll(1, NO_WAIT));
            assertTrue(a.get(0).returned().invalid());
            assertEquals(PollEvents.INVALID, a.returnedBits(0));
            assertTrue(PollArray.pollSingle(closed, true, false, false, NO_WAIT), "POLLNVAL: a read would not block");
            long t0 = System.nanoTime();
            assertFalse(PollArray.pollSingle(closed, false, false, false, Duration.ofSeconds(30)),
                    "the seed: true only if one of the requested events is indicated, and none was requested");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20), "poll(2) returned at once with POLLNVAL");
        }
    }

    @Test
    void timeoutExpiresWithoutEventsAndNegativeWaitsForever() throws Exception {
        try (Pipe pipe = Pipe.openNonBlocking(); PollArray a = PollArray.create(1)) {
            a.set(0, new PollCell(pipe.readEnd().intValue(), READ));
            long t0 = System.nanoTime();
            assertEquals(0, a.poll(1, Duration.ofMillis(100)));
            long elapsed = System.nanoTime() - t0;
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(100) && elapsed < TimeFactor.seconds(10).toNanos(),
                    "waited " + elapsed + " ns");

            t0 = System.nanoTime();
            assertEquals(0, a.poll(1, 0.05));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50));

            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100);
                    write(pipe.writeEnd(), 1);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(1, a.poll(1, -1.0), "negative seconds: wait until the writer wrote");
            assertTrue(a.get(0).returned().readable());
            writer.join();
            tryRead(pipe.readEnd());

            Thread second = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100);
                    write(pipe.writeEnd(), 1);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(1, a.restartingPoll(1, Duration.ofSeconds(-1)), "negative duration: forever");
            second.join();
        }
    }

    @Test
    void pollSingleReportsTheRequestedEvents() throws Exception {
        try (Pipe pipe = Pipe.openNonBlocking()) {
            int r = pipe.readEnd().intValue();
            int w = pipe.writeEnd().intValue();
            assertFalse(PollArray.pollSingle(r, true, false, true, NO_WAIT));
            assertTrue(PollArray.pollSingle(w, false, true, false, 0.0));
            assertFalse(PollArray.pollSingle(w, false, false, false, Duration.ofMillis(20)), "nothing requested");
            write(pipe.writeEnd(), 1);
            assertTrue(PollArray.pollSingle(r, true, false, false, TimeFactor.seconds(5)));
            assertFalse(PollArray.pollSingle(r, false, false, true, NO_WAIT), "a pipe has no urgent data");
        }
    }

    @Test
    void eventFdAndTimerFdArePollable() throws Exception {
        try (EventFd event = EventFd.open(0, EventFd.NON_BLOCKING);
             TimerFd timer = TimerFd.open(TimerFd.Clock.MONOTONIC, TimerFd.NON_BLOCKING);
             PollArray a = PollArray.create(2)) {
            a.set(0, new PollCell(event.intValue(), READ));
            a.set(1, new PollCell(timer.intValue(), READ));
            assertEquals(0, a.poll(2, NO_WAIT));
            event.signal(2);
            assertEquals(1, a.poll(2, NO_WAIT));
            assertTrue(a.get(0).returned().readable());
            assertEquals(2, event.read());
            timer.arm(Duration.ofMillis(30));
            assertEquals(1, a.poll(2, TimeFactor.seconds(10)));
            assertEquals(List.of(0, PollEvents.READ), List.of(a.returnedBits(0), a.returnedBits(1)));
            assertEquals(1, timer.read());
        }
    }

    @Test
    void pidfdBecomesReadableWhenTheChildExits() throws Exception {
        Process child = new ProcessBuilder("sleep", "0.3").start();
        try (Fd pidfd = Kernel.pidfdOpen(child.pid()); PollArray a = PollArray.create(1)) {
            assertTrue(OpenFds.target(pidfd.intValue()).contains("pidfd"), OpenFds.target(pidfd.intValue()));
            a.set(0, new PollCell(pidfd.intValue(), READ));
            assertEquals(0, a.poll(1, NO_WAIT));
            String state = Proc.stat(child.pid())[0];
            assertTrue("RSD".contains(state), "the child is still alive: " + state);
            assertEquals(1, a.poll(1, TimeFactor.seconds(10)));
            assertTrue(a.get(0).returned().readable());
            assertTrue(child.waitFor(TimeFactor.scale(5), TimeUnit.SECONDS), "readable means the child ended");
            assertEquals(0, child.exitValue());
        } finally {
            child.destroyForcibly().waitFor();
            child.getInputStream().close();
            child.getOutputStream().close();
            child.getErrorStream().close();
        }
    }

    @Test
    void negativeDescriptorsAreSkipped() throws Exception {
        try (Pipe pipe = Pipe.openNonBlocking(); PollArray a = PollArray.create(3)) {
            int r = pipe.readEnd().intValue();
            int w = pipe.writeEnd().intValue();
            write(pipe.writeEnd(), 1);
            a.set(0, new PollCell(r, READ));
            // Events left over from an earlier poll: the kernel clears them for a skipped entry.
            a.set(1, new PollCell(-1, READ, ReturnedEvents.ofBits(PollEvents.READ | PollEvents.INVALID)));
            a.set(2, new PollCell(~w, WRITE, ReturnedEvents.ofBits(PollEvents.WRITE)));
            assertEquals(new PollCell(~w, WRITE, ReturnedEvents.ofBits(PollEvents.WRITE)), a.get(2));
            assertEquals(1, a.poll(3, NO_WAIT), "the write end is writable, but disabled by ~w");
            assertEquals(List.of(PollEvents.READ, 0, 0), List.of(a.returnedBits(0), a.returnedBits(1), a.returnedBits(2)));
            assertEquals(-1, a.fd(1));

            a.set(0, new PollCell(~r, READ));
            long t0 = System.nanoTime();
            assertEquals(0, a.poll(3, Duration.ofMillis(50)), "every cell disabled: poll only waits");
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50));
            a.set(2, new PollCell(w, WRITE));
            assertEquals(1, a.restartingPoll(3, NO_WAIT), "enabled again by its real number");
            assertTrue(a.get(2).returned().writable());
        }
    }

    @Test
    void arraysAreBoundedByWhatPollAccepts() {
        long soft = Kernel.nofileSoftLimit();
        long t0 = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PollArray.create(Integer.MAX_VALUE));
        assertTrue(System.nanoTime() - t0 < TimeFactor.seconds(5).toNanos(), "refused before allocating anything");
        assertEquals("size " + Integer.MAX_VALUE + " is above the soft RLIMIT_NOFILE (" + soft
                + "), the most descriptors poll(2) accepts: raise the limit first", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PollArray.create(Math.toIntExact(soft + 1)));
        try (PollArray a = PollArray.create(Math.toIntExact(soft))) {
            assertEquals(soft, a.length());
        }
    }

    /// Creates an array of as many (disabled) cells as the soft RLIMIT_NOFILE allows, polls it
    /// whole, then lowers the limit by one and polls it whole again.
    public static final class LowersNofile {
        public static void main(String[] args) throws Exception {
            Rlimit before = ResourceLimits.get(Resource.NOFILE);
            int n = Math.toIntExact(before.soft().value());
            try (PollArray a = PollArray.create(n)) {
                System.out.println("n=" + n);
                // Every cell skipped, so that poll answers only for the count (stdin may hang up).
                for (int k = 0; k < n; k++) {
                    a.set(k, new PollCell(-1, READ));
                }
                System.out.println("whole=" + a.poll(n, NO_WAIT));
                ResourceLimits.set(Resource.NOFILE, Rlimit.of(n - 1, before.hard().value()));
                System.out.println("limit=" + Files.readAllLines(Path.of("/proc/self/limits")).stream()
                        .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow().split("\\s+")[3]);
                try {
                    System.out.println("lowered=" + a.poll(n, NO_WAIT));
                } catch (PosixException e) {
                    System.out.println("lowered=" + e.errno().orElseThrow() + " " + e.function());
                }
                System.out.println("below=" + a.poll(n - 1, NO_WAIT));
            }
        }
    }

    @Test
    void pollOfMoreCellsThanALoweredRlimitNofileIsEinval() throws Exception {
        ChildJvm.Result r = ChildJvm.run(LowersNofile.class).assertSuccess();
        assertEquals("0", r.value("whole="), "every cell skipped");
        assertEquals(Long.parseLong(r.value("n=")) - 1, Long.parseLong(r.value("limit=")), "the kernel's limit, lowered");
        assertEquals("EINVAL poll", r.value("lowered="));
        assertEquals("0", r.value("below="));
    }

    @Test
    void invalidArgumentsAreRejectedInJava() {
        assertThrows(IllegalArgumentException.class, () -> PollArray.create(-1));
        assertThrows(IllegalArgumentException.class, () -> RequestedEvents.ofBits(0x10000));
        assertThrows(IllegalArgumentException.class, () -> ReturnedEvents.ofBits(-1));
        assertThrows(NullPointerException.class, () -> new PollCell(0, null));
        assertThrows(IllegalArgumentException.class, () -> PollArray.pollSingle(-1, true, false, false, NO_WAIT));
        try (PollArray a = PollArray.create(2); PollArray b = PollArray.create(1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.get(2));
            assertTrue(e.getMessage().startsWith("k must be in 0..1"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> a.set(-1, new PollCell(0, READ)));
            assertThrows(IllegalArgumentException.class, () -> a.fd(2));
            assertThrows(IllegalArgumentException.class, () -> a.returnedBits(-1));
            e = assertThrows(IllegalArgumentException.class, () -> a.poll(3, NO_WAIT));
            assertTrue(e.getMessage().startsWith("n must be"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> a.restartingPoll(-1, NO_WAIT));
            e = assertThrows(IllegalArgumentException.class, () -> a.poll(1, Double.NaN));
            assertTrue(e.getMessage().startsWith("timeout"), e.getMessage());
            assertThrows(NullPointerException.class, () -> a.poll(1, (Duration) null));
            assertThrows(IllegalArgumentException.class, () -> PollArray.blit(a, 0, b, 0, 2));
            assertThrows(IllegalArgumentException.class, () -> PollArray.blit(a, 1, a, 0, 2));
            assertThrows(IllegalArgumentException.class, () -> PollArray.blit(a, 0, a, 0, -1));
            assertThrows(IllegalArgumentException.class, () -> PollArray.blit(a, -1, b, 0, 1));
        }
    }

    @Test
    void closedArrayCannotBeUsed() throws Exception {
        PollArray a = PollArray.create(1);
        a.close();
        a.close();
        assertThrows(IllegalStateException.class, () -> a.get(0));
        assertThrows(IllegalStateException.class, () -> a.poll(1, NO_WAIT));
        assertTrue(a.toString().contains("closed"));
    }
}
