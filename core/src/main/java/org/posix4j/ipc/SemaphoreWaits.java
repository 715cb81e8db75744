package org.posix4j.ipc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.posix4j.PosixException;
import org.posix4j.internal.Libc;

/// Runs blocking semaphore waits so that they never pin a virtual thread's carrier: on a platform
/// thread in place, on a virtual thread on a platform daemon thread from a cached pool while the
/// virtual thread parks.
///
/// Thread safety: safe from any thread.
final class SemaphoreWaits {
    private SemaphoreWaits() {}

    /// sem_trywait attempts a virtual thread makes, yielding in between, before handing over.
    static final int SPINS = 16;

    /// One platform thread per blocked virtual waiter, as each sem_wait occupies an OS thread for
    /// its duration; idle threads end after 30 s so a burst leaves nothing behind.
    private static final Executor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), Thread.ofPlatform().daemon().name("posix4j-sem-wait-", 0).factory());

    /// A wait that may block in native code.
    @FunctionalInterface
    interface Wait {
        boolean run() throws PosixException;
    }

    /// Runs `wait` where it does not pin a carrier and answers its result.
    static boolean block(Wait wait) throws PosixException {
        if (!Thread.currentThread().isVirtual()) {
            return wait.run();
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        POOL.execute(() -> {
            try {
                result.complete(wait.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            // join, not get: the platform thread cannot be called back once in sem_wait, so the
            // virtual thread must not give up on it when interrupted (the count would be lost).
            return result.join();
        } catch (CompletionException e) {
            throw Libc.propagate(e.getCause());
        }
    }
}
