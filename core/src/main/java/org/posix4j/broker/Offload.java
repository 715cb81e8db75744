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
///
/// Each call handed over holds descriptors of the JVM until it is answered (a copy of the
/// program's socket, the caller's handles), and a program can make calls that never end (reads
/// of a FIFO nobody writes, sends to a peer that never reads). So at most [#WAITING_PER_PROCESS]
/// calls of one process wait beyond those running, and at most [#ACCEPTED] are handed over and
/// not finished in the whole JVM: past either, the call is refused at once, as the caller of
/// [#run] says (ENFILE for an open, ENOBUFS for a send or connect), rather than the JVM running
/// out of descriptors for every sandbox it serves (found by an audit, 2026-12-07: one program's
/// 11,000 blocked FIFO opens took 19,824 of the JVM's 20,000 descriptors).
final class Offload {
    static final int THREADS = 256;
    static final int PER_PROCESS = 16;
    static final int WAITING_PER_PROCESS = 128;
    static final int ACCEPTED = 2048;
    private static final HandOff JOBS = new HandOff();
    private static final ThreadPoolExecutor POOL = pool();
    /// Per process (thread group id while its call waits): its running count and waiting jobs.
    private static final Map<Integer, Queue> QUEUES = new HashMap<>();
    /// The jobs handed over and not finished; guarded by [#QUEUES].
    private static int accepted;

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

    /// Runs `task`, the call of `caller`, on the pool for its process: at once when that has
    /// fewer than [#PER_PROCESS] running, else after those before it; the caller's signals may
    /// interrupt the call meanwhile ([Interrupts]). Or, when [#WAITING_PER_PROCESS] of that
    /// process or [#ACCEPTED] in all are already handed over, runs `refused` on this thread
    /// instead (it answers the call with an errno and releases what `task` would have).
    static void run(Caller caller, Runnable task, Runnable refused) {
        int pid = caller.pid;
        boolean refuse;
        boolean busy;
        synchronized (QUEUES) {
            Queue q = QUEUES.get(pid);
            busy = q != null && q.running >= PER_PROCESS;
            refuse = accepted >= ACCEPTED || busy && q.waiting.size() >= WAITING_PER_PROCESS;
            if (!refuse) {
                accepted++;
                if (busy) {
                    q.waiting.add(task);
                } else {
                    QUEUES.computeIfAbsent(pid, k -> new Queue()).running++;
                }
            }
        }
        if (refuse) {
            refused.run();
            return;
        }
        // A queued task may run and answer before this: the watcher drops an answered caller.
        Interrupts.watch(caller);
        if (!busy) {
            POOL.execute(() -> runThenNext(pid, task));
        }
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
                accepted--;
                Queue q = QUEUES.get(pid);
                next = q.waiting.poll();
                if (next == null && --q.running == 0) {
                    QUEUES.remove(pid);
                }
            }
        }
    }
}
