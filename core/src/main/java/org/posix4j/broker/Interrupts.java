package org.posix4j.broker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/// Lets signals interrupt the calls handed to the offload pool ([Offload]), as they interrupt
/// the same calls outside the sandbox.
///
/// Such a call waits for as long as its file or peer makes it (a FIFO nobody opens for writing,
/// a peer that never reads), and once the master has received a call, the filter makes its
/// thread's wait killable only (SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, so that a call is never
/// performed twice): a signal sent to the thread meanwhile stays pending, its handler does not
/// run, and an alarm(2) meant to end the wait never does (found by an audit, 2026-12-07: a
/// program blocked so ignored its SIGALRM for ten minutes, and the SIGTERM after it).
///
/// So a daemon thread looks every [#PERIOD_MILLIS] ms (longer when more than 100 calls wait:
/// half a millisecond a call, so that a program's thousands of waiting calls cost the JVM about
/// two status reads a millisecond, not one per call every 50 ms) at the pending signals of each
/// thread whose call was handed off (its `/proc/TID/status`, through the handle its [Caller] holds)
/// that it neither blocks nor ignores ([Caller#interruption()]). For one the thread will take
/// itself (directed at the thread, or at a process of one thread: no other thread can take it
/// first) it answers the call ERESTARTSYS: on its way back the kernel treats the call as one a
/// signal interrupted, delivers the signal and restarts the call after a handler installed with
/// SA_RESTART, fails it with EINTR after another, or ends or stops the process as the signal's
/// default action says. ERESTARTSYS with no signal left to deliver would reach the program as
/// errno 512, so for a signal directed at a process of several threads, which another thread
/// may take first, it answers EINTR instead, and only when the caller is the main thread, to
/// which the kernel offers such a signal first (a handler with SA_RESTART then sees EINTR, where
/// outside the call would restart); a call of another thread keeps waiting, as before. The
/// offloaded work goes on to its own end, and its answer, the call being gone, is dropped; work
/// not started yet is skipped.
final class Interrupts {
    /// The kernel's "restart the call if the signal handler asks for it" (not an errno a
    /// program ever sees: the kernel turns it into a restart or EINTR before returning).
    static final int ERESTARTSYS = 512;
    static final int EINTR = 4;
    private static final long PERIOD_MILLIS = 50;
    private static final Set<Caller> WATCHED = ConcurrentHashMap.newKeySet();
    private static final Object LOCK = new Object();
    private static Thread watcher;

    private Interrupts() {}

    /// Watches the thread of `caller`, whose call was handed off, until [#forget].
    static void watch(Caller caller) {
        WATCHED.add(caller);
        synchronized (LOCK) {
            if (watcher == null) {
                watcher = Thread.ofPlatform().daemon().name("posix4j-broker-interrupts").start(Interrupts::run);
            }
            LOCK.notifyAll();
        }
    }

    /// Stops watching `caller` (its call is answered).
    static void forget(Caller caller) {
        WATCHED.remove(caller);
    }

    private static void run() {
        for (;;) {
            try {
                synchronized (LOCK) {
                    while (WATCHED.isEmpty()) {
                        LOCK.wait();
                    }
                }
                Thread.sleep(Math.max(PERIOD_MILLIS, WATCHED.size() / 2L));
            } catch (InterruptedException e) {
                // A daemon thread nobody interrupts; should one, it keeps watching.
                continue;
            }
            for (Caller c : WATCHED) {
                if (c.isClosed()) {
                    // Answered before it was watched (it forgot itself then).
                    WATCHED.remove(c);
                    continue;
                }
                int errno = c.interruption();
                if (errno != 0) {
                    WATCHED.remove(c);
                    c.interrupt(errno);
                }
            }
        }
    }
}
