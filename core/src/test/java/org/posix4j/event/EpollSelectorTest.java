package org.posix4j.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFds;
import org.posix4j.io.OpenFlags;
import org.posix4j.io.Pipe;
import org.posix4j.testing.NoFdLeaks;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Requires;
import org.posix4j.testing.TimeFactor;

@ExtendWith(NoFdLeaks.class)
class EpollSelectorTest {
    private static final int EPOLLERR_HUP = 0x18;
    private static final int O_CLOEXEC = 02000000;

    @TempDir
    Path dir;


    /// The tokens of the ready set, sorted.
    private static Set<Long> tokens(EpollSelector selector) {
        Set<Long> tokens = new TreeSet<>();
        for (int i = 0; i < selector.readyCount(); i++) {
            tokens.add(selector.readyToken(i));
        }
        return tokens;
    }

    @Test
    void eventConstantsAreTheKernelsEpollBits() {
        String python = Proc.run("python3", "-c", "import select as s; print(s.EPOLLIN, s.EPOLLOUT, s.EPOLLPRI,"
                + " s.EPOLLRDHUP, s.EPOLLERR, s.EPOLLHUP, s.EPOLLET & 0xffffffff, s.EPOLLONESHOT)");
        assertEquals(python, EpollEvents.READABLE + " " + EpollEvents.WRITABLE + " " + EpollEvents.PRIORITY + " "
                + EpollEvents.READ_HANGUP + " " + EpollEvents.ERROR + " " + EpollEvents.HANGUP + " "
                + Integer.toUnsignedString(Trigger.EDGE.bits) + " " + Trigger.ONESHOT.bits);
    }

    @Test
    void openCreatesACloseOnExecEpollDescriptorThatCloseReleases() throws Exception {
        EpollSelector selector = EpollSelector.open(8);
        int n = selector.intValue();
        assertEquals("anon_inode:[eventpoll]", OpenFds.target(n));
        assertEquals(O_CLOEXEC, OpenFds.flags(n) & O_CLOEXEC);
        assertEquals(8, selector.capacity());
        assertEquals(n, selector.fd().intValue());
        assertFalse(selector.fd().isOwned());
        selector.close();
        assertFalse(OpenFds.isOpen(n));
        selector.close();
        assertThrows(IllegalStateException.class, selector::selectNow);
        assertThrows(IllegalStateException.class, () -> selector.add(0, EpollEvents.READABLE, Trigger.LEVEL, 0));
    }

    @Test
    void registrationsAreWhatTheKernelHolds() throws Exception {
        try (EpollSelector selector = EpollSelector.open(); Pipe a = Pipe.openNonBlocking(); Pipe b = Pipe.openNonBlocking()) {
            int ra = a.readEnd().intValue();
            int wb = b.writeEnd().intValue();
            selector.add(ra, EpollEvents.READABLE | EpollEvents.READ_HANGUP, Trigger.EDGE, 0x1234_5678_9abc_def0L);
            selector.add(wb, EpollEvents.WRITABLE, Trigger.ONESHOT, -2);
            // The kernel adds EPOLLERR and EPOLLHUP to every registration.
            assertEquals(Map.of(
                    ra, new Kernel.Watch(0x2001 | EPOLLERR_HUP | 0x8000_0000, 0x1234_5678_9abc_def0L),
                    wb, new Kernel.Watch(0x4 | EPOLLERR_HUP | 0x4000_0000, -2L)),
                    Kernel.epollWatches(selector.intValue()));

            selector.modify(ra, EpollEvents.PRIORITY, Trigger.LEVEL, 7);
            assertEquals(new Kernel.Watch(0x2 | EPOLLERR_HUP, 7), Kernel.epollWatches(selector.intValue()).get(ra));
            selector.remove(wb);
            assertEquals(Set.of(ra), Kernel.epollWatches(selector.intValue()).keySet());
        }
    }

    @Test
    void selectReportsReadyDescriptorsWithTheirTokens() throws Exception {
        try (EpollSelector selector = EpollSelector.open(); Pipe a = Pipe.openNonBlocking(); Pipe b = Pipe.openNonBlocking()) {
            selector.add(a.readEnd().intValue(), EpollEvents.READABLE, Trigger.LEVEL, 100);
            selector.add(b.readEnd().intValue(), EpollEvents.READABLE, Trigger.LEVEL, 200);
            selector.add(b.writeEnd().intValue(), EpollEvents.WRITABLE, Trigger.LEVEL, 201);
            assertEquals(1, selector.selectNow());
            assertEquals(201, selector.readyToken(0));
            assertTrue(selector.isWritable(0));
            assertFalse(selector.isReadable(0));

            PollArrayTest.write(a.writeEnd(), 1);
            assertEquals(2, selector.select(TimeFactor.seconds(5)));
            assertEquals(Set.of(100L, 201L), tokens(selector));
            for (int i = 0; i < 2; i++) {
                assertEquals(selector.readyToken(i) == 100 ? EpollEvents.READABLE : EpollEvents.WRITABLE,
                        selector.readyEvents(i));
            }

            b.writeEnd().close();
            a.readEnd().close();
            // Closing a's read end dropped its registration; b's read end hung up.
            assertEquals(1, selector.selectNow());
            assertEquals(200, selector.readyToken(0));
            assertTrue(selector.isHangup(0));
            assertFalse(selector.isError(0));
            assertEquals(Set.of(b.readEnd().intValue()), Kernel.epollWatches(selector.intValue()).keySet());
        }
    }

    @Test
    void levelReportsUntilDrainedEdgeOnlyNewDataOneshotUntilRearmed() throws Exception {
        try (EpollSelector selector = EpollSelector.open();
             Pipe level = Pipe.openNonBlocking(); Pipe edge = Pipe.openNonBlocking(); Pipe once = Pipe.openNonBlocking()) {
            selector.add(level.readEnd().intValue(), EpollEvents.READABLE, Trigger.LEVEL, 1);
            selector.add(edge.readEnd().intValue(), EpollEvents.READABLE, Trigger.EDGE, 2);
            selector.add(once.readEnd().intValue(), EpollEvents.READABLE, Trigger.ONESHOT, 3);
            for (Pipe p : List.of(level, edge, once)) {
                PollArrayTest.write(p.writeEnd(), 1);
            }
            assertEquals(3, selector.selectNow());
            assertEquals(Set.of(1L, 2L, 3L), tokens(selector));
            // Nothing read: level reports again, edge and one-shot do not.
            assertEquals(1, selector.selectNow());
            assertEquals(1, selector.readyToken(0));
            // The fired one-shot registration is disabled in the kernel: only its flag bits remain.
            assertEquals(0x4000_0000, Kernel.epollWatches(selector.intValue()).get(once.readEnd().intValue()).events());

            // New data: edge fires again, one-shot stays quiet until re-armed.
            PollArrayTest.write(edge.writeEnd(), 1);
            PollArrayTest.write(once.writeEnd(), 1);
            assertEquals(2, selector.selectNow());
            assertEquals(Set.of(1L, 2L), tokens(selector));
            selector.modify(once.readEnd().intValue(), EpollEvents.READABLE, Trigger.ONESHOT, 33);
            assertEquals(2, selector.selectNow());
            assertEquals(Set.of(1L, 33L), tokens(selector));

            // Drained, level stops too.
            assertEquals(1, PollArrayTest.tryRead(level.readEnd()));
            assertEquals(0, selector.select(Duration.ofMillis(20)));
        }
    }

    @Test
    void edgeOneshotFiresOnceForNewData() throws Exception {
        try (EpollSelector selector = EpollSelector.open(); Pipe p = Pipe.openNonBlocking()) {
            selector.add(p.readEnd().intValue(), EpollEvents.READABLE, Trigger.EDGE_ONESHOT, 9);
            PollArrayTest.write(p.writeEnd(), 1);
            assertEquals(1, selector.selectNow());
            PollArrayTest.write(p.writeEnd(), 1);
            assertEquals(0, selector.selectNow());
            assertEquals(0xC000_0000, Kernel.epollWatches(selector.intValue()).get(p.readEnd().intValue()).events());
        }
    }

    @Test
    void removedDescriptorIsNoLongerReported() throws Exception {
        try (EpollSelector selector = EpollSelector.open(); Pipe p = Pipe.openNonBlocking()) {
            selector.add(p.readEnd().intValue(), EpollEvents.READABLE, Trigger.LEVEL, 1);
            PollArrayTest.write(p.writeEnd(), 1);
            assertEquals(1, selector.selectNow());
            selector.remove(p.readEnd().intValue());
            assertEquals(0, selector.selectNow());
            assertEquals(Map.of(), Kernel.epollWatches(selector.intValue()));
        }
    }

    @Test
    void capacityBoundsOneSelectAndTheRestComeNext() throws Exception {
        try (EpollSelector selector = EpollSelector.open(2)) {
            List<EventFd> events = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    EventFd e = EventFd.open(1, 0);
                    events.add(e);
                    selector.add(e.intValue(), EpollEvents.READABLE, Trigger.EDGE, i);
                }
                Set<Long> seen = new TreeSet<>();
                for (int round = 0; round < 3; round++) {
                    int n = selector.selectNow();
                    assertTrue(n <= 2, "at most capacity: " + n);
                    seen.addAll(tokens(selector));
                }
                assertEquals(Set.of(0L, 1L, 2L, 3L, 4L), seen);
            } finally {
                for (EventFd e : events) {
                    e.close();
                }
            }
        }
    }

    @Test
    void tenThousandDescriptors() throws Exception {
        int count = 10_000;
        long soft = Kernel.nofileSoftLimit();
        Requires.that(soft >= count + Proc.openFds() + 100,
                "RLIMIT_NOFILE soft limit " + soft + " is too low for " + count + " eventfds");
        List<EventFd> events = new ArrayList<>(count);
        try (EpollSelector selector = EpollSelector.open(count)) {
            Map<Integer, Kernel.Watch> expected = new HashMap<>();
            for (int i = 0; i < count; i++) {
                EventFd e = EventFd.open(0, EventFd.NON_BLOCKING);
                events.add(e);
                selector.add(e.intValue(), EpollEvents.READABLE, Trigger.LEVEL, i);
                expected.put(e.intValue(), new Kernel.Watch(EpollEvents.READABLE | EPOLLERR_HUP, i));
            }
            assertEquals(expected, Kernel.epollWatches(selector.intValue()));
            assertEquals(0, selector.selectNow());

            Set<Long> signalled = new TreeSet<>();
            for (int i = 3; i < count; i += 97) {
                events.get(i).signal();
                signalled.add((long) i);
            }
            assertEquals(signalled.size(), selector.select(TimeFactor.seconds(5)));
            assertEquals(signalled, tokens(selector));

            for (long i : signalled) {
                assertEquals(1, events.get((int) i).read());
            }
            assertEquals(0, selector.selectNow());
            events.get(count - 1).signal(5);
            assertEquals(1, selector.selectNow());
            assertEquals(count - 1, selector.readyToken(0));
        } finally {
            for (EventFd e : events) {
                e.close();
            }
        }
    }

    @Test
    void selectTimesOutAndAnotherThreadCanWakeIt() throws Exception {
        try (EpollSelector selector = EpollSelector.open(); EventFd wake = EventFd.open()) {
            selector.add(wake.intValue(), EpollEvents.READABLE, Trigger.LEVEL, 42);
            long t0 = System.nanoTime();
            assertEquals(0, selector.select(Duration.ofMillis(100)));
            long elapsed = System.nanoTime() - t0;
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(100) && elapsed < TimeFactor.seconds(10).toNanos(),
                    "waited " + elapsed + " ns");
            assertEquals(0, selector.readyCount());

            Thread waker = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100);
                    wake.signal();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(1, selector.select(Duration.ofSeconds(-1)), "negative: wait until woken");
            assertEquals(42, selector.readyToken(0));
            waker.join();
        }
    }

    @Test
    void selectorNestsInPollAndWatchesPidfds() throws Exception {
        List<Process> children = new ArrayList<>();
        List<Fd> pidfds = new ArrayList<>();
        try (EpollSelector selector = EpollSelector.open()) {
            for (String delay : List.of("0.8", "0.1")) {
                Process child = new ProcessBuilder("sleep", delay).start();
                children.add(child);
                Fd pidfd = Kernel.pidfdOpen(child.pid());
                pidfds.add(pidfd);
                selector.add(pidfd.intValue(), EpollEvents.READABLE, Trigger.LEVEL, child.pid());
            }
            // The epoll descriptor itself is readable once an event is ready.
            assertTrue(PollArray.pollSingle(selector.intValue(), true, false, false, TimeFactor.seconds(10)));
            assertEquals(1, selector.selectNow());
            assertEquals(children.get(1).pid(), selector.readyToken(0), "the shorter sleep ended first");
            assertTrue(children.get(1).waitFor(TimeFactor.scale(5), TimeUnit.SECONDS));
            selector.remove(pidfds.get(1).intValue());
            assertEquals(1, selector.select(TimeFactor.seconds(10)));
            assertEquals(children.get(0).pid(), selector.readyToken(0));
            assertTrue(children.get(0).waitFor(TimeFactor.scale(5), TimeUnit.SECONDS));
        } finally {
            for (Fd fd : pidfds) {
                fd.close();
            }
            for (Process child : children) {
                child.destroyForcibly().waitFor();
                child.getInputStream().close();
                child.getOutputStream().close();
                child.getErrorStream().close();
            }
        }
    }

    @Test
    void controlErrorsAreTheKernels() throws Exception {
        Path file = Files.writeString(dir.resolve("regular"), "x");
        try (EpollSelector selector = EpollSelector.open(); Pipe p = Pipe.open();
             Fd regular = Fd.open(file.toString(), OpenFlags.READ_ONLY, 0)) {
            int r = p.readEnd().intValue();
            selector.add(r, EpollEvents.READABLE, Trigger.LEVEL, 1);
            PosixException e = assertThrows(PosixException.class,
                    () -> selector.add(r, EpollEvents.READABLE, Trigger.LEVEL, 1));
            assertTrue(e.is(Errno.EEXIST), e.getMessage());
            assertEquals("epoll_ctl(EPOLL_CTL_ADD, fd " + r + "): File exists [EEXIST]", e.getMessage());

            int w = p.writeEnd().intValue();
            e = assertThrows(PosixException.class, () -> selector.modify(w, EpollEvents.WRITABLE, Trigger.LEVEL, 2));
            assertTrue(e.is(Errno.ENOENT), e.getMessage());
            e = assertThrows(PosixException.class, () -> selector.remove(w));
            assertTrue(e.is(Errno.ENOENT), e.getMessage());

            int closed = OpenFds.closedNumber();
            e = assertThrows(PosixException.class, () -> selector.add(closed, EpollEvents.READABLE, Trigger.LEVEL, 3));
            assertTrue(e.is(Errno.EBADF), e.getMessage());
            e = assertThrows(PosixException.class, () -> selector.remove(closed));
            assertTrue(e.is(Errno.EBADF), e.getMessage());

            e = assertThrows(PosixException.class,
                    () -> selector.add(regular.intValue(), EpollEvents.READABLE, Trigger.LEVEL, 4));
            assertTrue(e.is(Errno.EPERM), "epoll refuses regular files: " + e.getMessage());
            e = assertThrows(PosixException.class,
                    () -> selector.add(selector.intValue(), EpollEvents.READABLE, Trigger.LEVEL, 5));
            assertTrue(e.is(Errno.EINVAL), "an epoll instance cannot watch itself: " + e.getMessage());
            assertEquals(Set.of(r), Kernel.epollWatches(selector.intValue()).keySet());
        }
    }

    @Test
    void invalidArgumentsAreRejectedInJava() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> EpollSelector.open(0));
        assertThrows(IllegalArgumentException.class, () -> EpollSelector.open(-5));
        assertThrows(IllegalArgumentException.class, () -> EpollSelector.open(EpollSelector.MAX_CAPACITY + 1));
        try (EpollSelector selector = EpollSelector.open(4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> selector.add(-1, EpollEvents.READABLE, Trigger.LEVEL, 0));
            assertTrue(e.getMessage().startsWith("fd"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> selector.add(0, EpollEvents.ERROR, Trigger.LEVEL, 0));
            assertTrue(e.getMessage().startsWith("interest"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> selector.modify(0, 1 << 31, Trigger.LEVEL, 0));
            assertThrows(IllegalArgumentException.class, () -> selector.remove(-3));
            assertThrows(NullPointerException.class, () -> selector.add(0, EpollEvents.READABLE, null, 0));
            assertThrows(NullPointerException.class, () -> selector.select(null));
            assertEquals(0, selector.selectNow());
            e = assertThrows(IllegalArgumentException.class, () -> selector.readyToken(0));
            assertTrue(e.getMessage().startsWith("i must be"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> selector.readyEvents(-1));
            assertEquals(Map.of(), Kernel.epollWatches(selector.intValue()), "nothing reached the kernel");
        }
    }
}
