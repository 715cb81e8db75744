package org.posix4j.broker;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/// Where calls that may block for long (opening a FIFO, connecting or sending to a slow peer,
/// waiting for copy budget) run, so that they hold no serving thread: daemon platform threads
/// (a native call that blocks would pin a virtual thread's carrier), at most [#THREADS] in all
/// and [#PER_PROCESS] at once for one process of the sandbox; the rest wait in order, in a
/// queue, never on the thread that hands them over.
final class Offload {
    static final int THREADS = 256;
    static final int PER_PROCESS = 16;
    private static final ThreadPoolExecutor POOL = pool();
    /// Per process (thread group id while its call waits): its running count and waiting jobs.
    private static final Map<Integer, Queue> QUEUES = new HashMap<>();

    private Offload() {}

    private static ThreadPoolExecutor pool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("posix4j-broker-blocking-", 0).factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
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
