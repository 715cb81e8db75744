package org.posix4j.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.posix4j.io.Pipe;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Proc;
import org.posix4j.testing.Report;

/// Waits interrupted by signal handlers. poll(2) and epoll_wait(2) are never restarted after a
/// handler ran, whatever SA_RESTART says (signal(7)), so any caught signal makes them fail with
/// EINTR. HotSpot catches SIGPIPE (and ignores it in its handler), so a SIGPIPE sent with
/// tgkill(2) to the waiting thread interrupts its wait without anyone installing a handler.
class InterruptedWaitTest {
    private static final long SIGPIPE_BIT = 1L << (Kernel.SIGPIPE - 1);
    private static final int WAIT_MS = 400;

    /// Waits on an empty pipe while a helper thread sends SIGPIPE to the waiting thread every
    /// 5 ms, and reports what each kind of wait did and how long it took.
    public static final class Interrupted {
        public static void main(String[] args) throws Exception {
            int tid = Kernel.gettid();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sent = new AtomicInteger();
            System.out.println("ready");
            try (Pipe pipe = Pipe.openNonBlocking(); PollArray a = PollArray.create(1);
                 EpollSelector selector = EpollSelector.open()) {
                int r = pipe.readEnd().intValue();
                a.set(0, new PollCell(r, RequestedEvents.of(true, false, false)));
                selector.add(r, EpollEvents.READABLE, Trigger.LEVEL, 1);
                Thread sender = Thread.ofPlatform().daemon().start(() -> {
                    while (!stop.get()) {
                        Kernel.tgkill(tid, Kernel.SIGPIPE);
                        sent.incrementAndGet();
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                Duration wait = Duration.ofMillis(WAIT_MS);
                timed("poll", sent, () -> a.poll(1, wait));
                timed("pollSingle", sent, () -> PollArray.pollSingle(r, true, false, false, wait));
                timed("restartingPoll", sent, () -> a.restartingPoll(1, wait));
                timed("restartingPollSeconds", sent, () -> a.restartingPoll(1, WAIT_MS / 1000.0));
                timed("select", sent, () -> selector.select(wait));
                stop.set(true);
                sender.join();
            }
        }

        /// Reports the call's result, how long it took and how many signals were sent meanwhile.
        private static void timed(String key, AtomicInteger sent, Report.Call call) {
            int before = sent.get();
            long t0 = System.nanoTime();
            Report.value(key, call);
            System.out.println(key + ".ms=" + (System.nanoTime() - t0) / 1_000_000);
            System.out.println(key + ".signals=" + (sent.get() - before));
        }
    }

    @Test
    void pollFailsWithEintrAndTheRestartingWaitsKeepTheirTimeout() throws Exception {
        try (ChildJvm child = ChildJvm.start(Interrupted.class)) {
            child.expect("ready");
            // The independent check that SIGPIPE has a handler in the child, so it interrupts.
            long caught = Long.parseUnsignedLong(Proc.status(child.pid(), "SigCgt"), 16);
            assertTrue((caught & SIGPIPE_BIT) != 0, "SigCgt " + Long.toHexString(caught));
            ChildJvm.Result result = child.finish().assertSuccess();

            assertEquals("EINTR", result.value("poll="), "poll is not restarted: " + result);
            assertEquals("EINTR", result.value("pollSingle="), "poll_single does not handle EINTR: " + result);
            assertTrue(Long.parseLong(result.value("poll.ms=")) < WAIT_MS, result.toString());
            for (String key : new String[] {"restartingPoll", "restartingPollSeconds", "select"}) {
                assertEquals("0", result.value(key + "="), key + " timed out without an event: " + result);
                // Signals kept arriving during the wait, so it was restarted several times.
                assertTrue(Integer.parseInt(result.value(key + ".signals=")) >= 5, key + ": " + result);
                long ms = Long.parseLong(result.value(key + ".ms="));
                // Restarted with the time left: not shorter than the timeout, and not the timeout
                // again after each of the ~80 signals, which would not end while signals arrive.
                assertTrue(ms >= WAIT_MS && ms < 4 * WAIT_MS, key + " took " + ms + " ms: " + result);
            }
        }
    }
}
