package org.posix4j.broker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/// Where calls that may block for long (opening a FIFO, connecting or sending to a slow peer)
/// run, so that they hold no serving thread: a cached pool of daemon platform threads (a native
/// call that blocks would pin a virtual thread's carrier), at most [#LIMIT] busy at once.
final class Offload {
    static final int LIMIT = 64;
    private static final Semaphore SLOTS = new Semaphore(LIMIT);
    private static final ExecutorService POOL = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("posix4j-broker-blocking-", 0).factory());

    private Offload() {}

    /// Runs `task` on the pool and answers true, or answers false when [#LIMIT] tasks are busy.
    static boolean tryRun(Runnable task) {
        if (!SLOTS.tryAcquire()) {
            return false;
        }
        POOL.execute(() -> {
            try {
                task.run();
            } finally {
                SLOTS.release();
            }
        });
        return true;
    }
}
