package org.posix4j.broker;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/// Where calls that may block for long (opening a FIFO, connecting or sending to a slow peer,
/// waiting for copy budget) run, so that they hold no serving thread: daemon platform threads
/// (a native call that blocks would pin a virtual thread's carrier), at most [#THREADS] in all
/// and [#PER_PROCESS] at once for one process of the sandbox; the rest wait in order, in a
/// queue, never on the thread that hands them over. A thread idle for 30 s ends.
final class Offload {
    static final int THREADS = 256;
    static final int PER_PROCESS = 16;
    private static final HandOff JOBS = new HandOff();
    private static final ThreadPoolExecutor POOL = pool();
    /// Per process (thread group id while its call waits): its running count and waiting jobs.
    private static final Map<Integer, Queue> QUEUES = new HashMap<>();

    private Offload() {}

    /// The pool's queue: the pool offers it each job, which it takes only when an idle thread
    /// waits for one (so the pool starts a thread otherwise, up to [#THREADS]); a job the pool
    /// refuses, all its threads busy, is queued for real, and the next thread to look for work
    /// takes it. Never serialized (the queue classes are Serializable).
    @SuppressWarnings("serial")
    private static final class HandOff extends LinkedTransferQueue<Runnable> {
        @Override
        public boolean offer(Runnable job) {
            return tryTransfer(job);
        }

        void enqueue(Runnable job) {
            super.offer(job);
        }
    }

    /// A job goes to an idle thread if one waits, else to a new thread, up to [#THREADS], else
    /// into the queue. (Core threads and a plain unbounded queue would start a thread for every
    /// job until there were [#THREADS], however many sat idle: a program making one connect
    /// after another left 256 threads behind for 30 s.)
    private static ThreadPoolExecutor pool() {
        return new ThreadPoolExecutor(0, THREADS, 30, TimeUnit.SECONDS, JOBS,
                Thread.ofPlatform().daemon().name("posix4j-broker-blocking-", 0).factory(),
                (job, full) -> JOBS.enqueue(job));
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
        POOL.execute(() -> runThenNext(pid, task));
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
