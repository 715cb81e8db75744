package org.posix4j.broker;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/// Where calls that may block for long (opening a FIFO, connecting or sending to a slow peer,
/// waiting for copy budget) run, so that they hold no serving thread: daemon platform threads
/// (a native call that blocks would pin a virtual thread's carrier), at most [#THREADS] in all
/// and [#PER_PROCESS] at once for one process of the sandbox; the rest wait in order, in a
/// queue, never on the thread that hands them over. A thread idle for 30 s ends.
final class Offload {
    static final int THREADS = 256;
    static final int PER_PROCESS = 16;
    /// Jobs handed to the pool and not finished yet (running or in its queue).
    private static final AtomicInteger SUBMITTED = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = pool();
    /// Per process (thread group id while its call waits): its running count and waiting jobs.
    private static final Map<Integer, Queue> QUEUES = new HashMap<>();

    private Offload() {}

    private static ThreadPoolExecutor pool() {
        IdleFirst queue = new IdleFirst();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, THREADS, 30, TimeUnit.SECONDS, queue,
                Thread.ofPlatform().daemon().name("posix4j-broker-blocking-", 0).factory(),
                (job, full) -> queue.enqueue(job));
        queue.pool = pool;
        return pool;
    }

    /// The pool's queue. A ThreadPoolExecutor queues a job only when the queue accepts it, and
    /// starts a thread (up to its maximum) when it refuses: this queue accepts a job when a
    /// thread is free to take it, and refuses it otherwise, so that a thread is started only
    /// when every thread is busy. (With a plain unbounded queue the pool would start a thread
    /// for every job until it had [#THREADS] of them, however many sat idle: a program making
    /// one connect after another left 256 threads behind.) When all [#THREADS] are busy, the
    /// pool's rejection handler queues the job with [#enqueue].
    @SuppressWarnings("serial") // never serialised
    private static final class IdleFirst extends LinkedBlockingQueue<Runnable> {
        private transient volatile ThreadPoolExecutor pool;

        @Override
        public boolean offer(Runnable job) {
            return SUBMITTED.get() <= pool.getPoolSize() && super.offer(job);
        }

        void enqueue(Runnable job) {
            super.offer(job);
        }
    }

    private static final class Queue {
        int running;
        final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    }

    /// Runs `task` on the pool for process `pid`: at once when it has fewer than
    /// [#PER_PROCESS] running, else after those before it.
    static void run(int pid, Runnable task) {
        synchronized (QUEUES) {
            Queue q = QUEUES.computeIfAbsent(pid, k -> new Queue());
            if (q.running >= PER_PROCESS) {
                q.waiting.add(task);
                return;
            }
            q.running++;
        }
        SUBMITTED.incrementAndGet();
        POOL.execute(() -> {
            try {
                runThenNext(pid, task);
            } finally {
                SUBMITTED.decrementAndGet();
            }
        });
    }

    private static void runThenNext(int pid, Runnable task) {
        Runnable next = task;
        while (next != null) {
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
            synchronized (QUEUES) {
                Queue q = QUEUES.get(pid);
                next = q.waiting.poll();
                if (next == null && --q.running == 0) {
                    QUEUES.remove(pid);
                }
            }
        }
    }
}
