package org.posix4j.spawn;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.posix4j.Errno;
import org.posix4j.Features;
import org.posix4j.PosixException;
import org.posix4j.event.EventFd;
import org.posix4j.internal.EpollH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.PollH;
import org.posix4j.internal.SignalH;
import org.posix4j.internal.WaitH;

/// The one thread that notices every end of a process posix4j follows, for any number of them:
/// an epoll set of pidfds, and waitid(P_PIDFD) to reap. A pidfd names one process for good, so
/// neither the wait nor a signal can reach a process that reused the pid.
///
/// Why nobody else reaps our children before we call pidfd_open right after posix_spawn: a
/// child stays a zombie, keeping its pid, until its parent waits for it, and in this JVM only
/// this class waits for children posix4j started (on its thread, or on a thread in
/// [Child#waitFor()]). The JDK's process reaper waits only for the
/// pids it started itself (`ProcessHandle.onExit` of another pid uses WNOWAIT), and nothing
/// here ever calls wait(2) or waitpid(-1). Native code that does, or a SIGCHLD disposition of
/// SIG_IGN (which makes the kernel reap children itself), breaks this; the child's future then
/// fails with waitid's ECHILD instead of a status.
final class Watcher {
    private static final int BATCH = 64;
    /// How often, in milliseconds, the thread looks for unreachable [Child] objects while some
    /// exist that were not closed.
    private static final int SWEEP_MILLIS = 1000;
    /// How long, in milliseconds, the thread waits with nothing to watch before it ends. A
    /// thread blocked in epoll_wait at exit makes HotSpot wait up to 300 ms for it (threads in
    /// native code); one that ends when idle lets a command that spawned and reaped its children
    /// exit at once, and one that lingers a little is not restarted for every spawn of a loop.
    private static final int IDLE_MILLIS = 50;
    /// How long, in milliseconds, the shutdown hook waits for an idle thread to end; it takes
    /// well under one when the machine is not starved.
    private static final int EXIT_JOIN_MILLIS = 100;
    private static volatile Watcher instance;

    /// Guards every pidfd's use and closing, reaping, and the watch list; see [Tracked].
    final ReentrantLock lock = new ReentrantLock();
    private final int epfd;
    private final Map<Long, Tracked> byKey = new ConcurrentHashMap<>();
    private final Map<Integer, Tracked> children = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    /// Guarded by [#lock].
    private final Set<Watched> watched = new LinkedHashSet<>();
    private final ReferenceQueue<Child> unreachable = new ReferenceQueue<>();
    private final Set<ChildReference> references = ConcurrentHashMap.newKeySet();

    /// Guards [#running] and [#runner].
    private final Object thread = new Object();
    /// Whether the thread runs.
    private boolean running;
    /// The thread while it runs.
    private Thread runner;
    /// Set by the shutdown hook: the JVM is exiting, so unreachable children need no sweeping and
    /// an idle thread ends at once rather than after [#IDLE_MILLIS].
    private volatile boolean exiting;

    /// Wakes the thread when its last work goes away, so that it can end; key 0 in the epoll set.
    private final EventFd wake;

    private Watcher(int epfd, EventFd wake) {
        this.epfd = epfd;
        this.wake = wake;
    }

    /// Starts the thread unless it runs; called after every change that gives it work.
    private void ensureRunning() {
        synchronized (thread) {
            if (!running) {
                running = true;
                runner = Thread.ofPlatform().daemon().name("posix4j-subprocess-watcher").start(this::run);
            }
        }
    }

    /// Whether the thread has nothing to do: nothing tracked, and nothing to sweep (or the JVM is
    /// exiting, when unreachable children no longer matter).
    private boolean idle() {
        return byKey.isEmpty() && (exiting || references.isEmpty());
    }

    /// Whether the thread may end: it is [#idle]. Decided under the same lock [#ensureRunning]
    /// takes, after the work was added, so no work is left unwatched.
    private boolean mayEnd() {
        synchronized (thread) {
            if (idle()) {
                running = false;
                runner = null;
                return true;
            }
            return false;
        }
    }

    /// The shutdown hook: wakes the thread so that, idle, it ends now. HotSpot waits at exit for
    /// threads in native code, up to 300 ms, and an idle thread sits in epoll_wait for
    /// [#IDLE_MILLIS] (or [#SWEEP_MILLIS] while a child that was never closed may need sweeping),
    /// so every command that spawned would otherwise end up to that much later. A thread still
    /// following running children keeps following them: another hook may wait for one.
    private void exit() {
        exiting = true;
        Thread t;
        synchronized (thread) {
            t = runner;
        }
        if (t != null && byKey.isEmpty()) {
            wakeQuietly();
            try {
                t.join(EXIT_JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /// The watcher, started on first use.
    ///
    /// @throws UnsupportedOperationException when the kernel has no pidfds
    /// @throws PosixException when epoll_create1 fails
    static Watcher get() throws PosixException {
        Watcher w = instance;
        if (w != null) {
            return w;
        }
        synchronized (Watcher.class) {
            if (instance == null) {
                Features.pidfd().ensureAvailable();
                int epfd = Calls.epollCreate();
                EventFd wake = EventFd.open(0, EventFd.NON_BLOCKING);
                try (Arena arena = Arena.ofConfined()) {
                    Calls.epollAdd(epfd, wake.intValue(), 0, arena.allocate(EpollH.EPOLL_EVENT));
                }
                Watcher created = new Watcher(epfd, wake);
                try {
                    Runtime.getRuntime().addShutdownHook(
                            Thread.ofPlatform().name("posix4j-subprocess-watcher-exit").unstarted(created::exit));
                } catch (IllegalStateException e) {
                    // First used by a shutdown hook: the JVM is exiting already.
                    created.exiting = true;
                }
                instance = created;
            }
            return instance;
        }
    }

    /// Starts following a process through `pidfd`, which the watcher owns from now on.
    ///
    /// @throws PosixException when epoll_ctl fails (ENOMEM, ENOSPC); the caller still owns the pidfd
    Tracked track(int pid, int pidfd, boolean ours, MemorySegment event) throws PosixException {
        Tracked t = new Tracked(pid, pidfd, ours, keys.incrementAndGet());
        byKey.put(t.key, t);
        if (ours) {
            children.put(pid, t);
        }
        try {
            Calls.epollAdd(epfd, pidfd, t.key, event);
        } catch (PosixException e) {
            byKey.remove(t.key);
            children.remove(pid, t);
            throw e;
        }
        ensureRunning();
        return t;
    }

    /// Our not yet reaped child with this pid, if any.
    Tracked child(int pid) {
        return children.get(pid);
    }

    /// Arranges for `t`'s pidfd to be released once `child` becomes unreachable without having
    /// been closed: a safety net, not the way to release it.
    Reference<Child> guard(Child child, Tracked t) {
        ChildReference r = new ChildReference(child, t, unreachable);
        references.add(r);
        ensureRunning();
        if (references.size() == 1) {
            // The thread may be in an epoll_wait with no time limit, chosen while there was
            // nothing to sweep; the child may then be reaped by a direct waiter, which no event
            // of the watcher's reports. Woken, it chooses the sweeping limit.
            wakeQuietly();
        }
        return r;
    }

    /// The owner of `t` no longer needs its pidfd; `guard` is the reference from [#guard].
    void release(Tracked t, Reference<Child> guard) {
        references.remove(guard);
        lock.lock();
        try {
            t.released = true;
            if (t.ended) {
                closeIfDone(t);
            }
        } finally {
            lock.unlock();
        }
        wakeIfIdle();
    }

    private void drain() {
        try {
            wake.read();
        } catch (PosixException e) {
            // EAGAIN: another wake-up was read already; nothing to do.
        }
    }

    /// Wakes the thread once nothing is left to watch, so that it ends soon instead of sitting in
    /// epoll_wait (a thread in native code holds up the JVM's exit by up to 300 ms).
    private void wakeIfIdle() {
        if (idle()) {
            wakeQuietly();
        }
    }

    private void wakeQuietly() {
        try {
            wake.signal();
        } catch (PosixException e) {
            // EAGAIN: the counter is full, so the thread is being woken already.
        }
    }

    /// Stops following a process we do not reap (forget_subprocess); its future is cancelled.
    void cancel(Tracked t) {
        lock.lock();
        try {
            if (t.ended) {
                return;
            }
            t.ended = true;
            byKey.remove(t.key);
            Calls.epollDel(epfd, t.pidfd);
            closePidfd(t);
            watched.removeIf(w -> w.tracked == t);
        } finally {
            lock.unlock();
        }
        t.exit.cancel(false);
        wakeIfIdle();
    }

    /// pidfd_send_signal(2) to `t`.
    ///
    /// @throws PosixException ESRCH once the process has ended (from the kernel, or, once the
    ///     pidfd has been closed, from here), EPERM without the right to signal it
    void signal(Tracked t, int signal) throws PosixException {
        lock.lock();
        try {
            if (t.pidfd < 0) {
                throw new PosixException("pidfd_send_signal", Errno.ESRCH, t.pid + ", " + signal);
            }
            Calls.pidfdSendSignal(t.pidfd, signal, t.pid);
        } finally {
            lock.unlock();
        }
    }

    /// killpg(3) under the lock, so that no member we reap can leave the group meanwhile: while
    /// one of our children in group `pgid` is unreaped, the group id cannot name another group.
    void signalGroup(int pgid, int signal) throws PosixException {
        lock.lock();
        try {
            Calls.killpg(pgid, signal);
        } finally {
            lock.unlock();
        }
    }

    /// Adds `w` to the watch list unless its process has already ended.
    void addWatched(Watched w) {
        lock.lock();
        try {
            if (!w.tracked.ended) {
                watched.add(w);
            }
        } finally {
            lock.unlock();
        }
    }

    /// Removes `w` from the watch list.
    void removeWatched(Watched w) {
        lock.lock();
        try {
            watched.remove(w);
        } finally {
            lock.unlock();
        }
    }

    /// kill_all_subprocesses: see [Subprocesses#killAll].
    void killAll(int signal, boolean override, boolean noGroup) {
        lock.lock();
        try {
            Map<Tracked, Boolean> targets = new IdentityHashMap<>();
            for (Watched w : watched) {
                if ((!noGroup || w.processGroup == 0) && (w.killFlag || override)) {
                    targets.put(w.tracked, Boolean.TRUE);
                }
            }
            for (Tracked t : targets.keySet()) {
                signalQuietly(t, signal);
            }
        } finally {
            lock.unlock();
        }
    }

    /// killpg_all_subprocesses: see [Subprocesses#killGroupAll].
    void killGroupAll(int signal, boolean override) {
        lock.lock();
        try {
            Map<Integer, Boolean> groups = new HashMap<>();
            for (Watched w : watched) {
                if (w.processGroup > 0) {
                    groups.merge(w.processGroup, w.killFlag || override, Boolean::logicalOr);
                }
            }
            for (Map.Entry<Integer, Boolean> g : groups.entrySet()) {
                if (g.getValue()) {
                    killpgQuietly(g.getKey(), signal);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /// killpg_subprocess: signals `w`'s group if a watched process of that group still runs.
    void killGroupOf(Watched w, int signal) {
        lock.lock();
        try {
            if (w.processGroup > 0 && watched.stream().anyMatch(o -> o.processGroup == w.processGroup)) {
                killpgQuietly(w.processGroup, signal);
            }
        } finally {
            lock.unlock();
        }
    }

    /// kill_subprocess: signals `t` if it still exists; never throws.
    void signalQuietly(Tracked t, int signal) {
        lock.lock();
        try {
            if (!t.ended && t.pidfd >= 0) {
                Calls.pidfdSendSignal(t.pidfd, signal, t.pid);
            }
        } catch (PosixException e) {
            // The seed's kill functions never fail: a process that is exiting right now (ESRCH)
            // or one we may not signal (EPERM) is simply not signalled.
        } finally {
            lock.unlock();
        }
    }

    private static void killpgQuietly(int pgid, int signal) {
        try {
            Calls.killpg(pgid, signal);
        } catch (PosixException e) {
            // As in signalQuietly: the group may be gone already; the seed never reports it.
        }
    }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(EpollH.EPOLL_EVENT, BATCH);
            MemorySegment siginfo = arena.allocate(WaitH.SIGINFO);
            MemorySegment errno = Libc.errnoSlot();
            for (;;) {
                if (exiting && mayEnd()) {
                    return;
                }
                boolean idle = idle();
                int timeout = idle ? IDLE_MILLIS : references.isEmpty() ? -1 : SWEEP_MILLIS;
                int n = (int) EpollH.EPOLL_WAIT.invokeExact(errno, epfd, events, BATCH, timeout);
                if (n == 0 && idle && mayEnd()) {
                    return;
                }
                if (n < 0 && !Libc.interrupted(errno)) {
                    throw new PosixException("epoll_wait", Libc.errno(errno), "fd " + epfd);
                }
                for (int i = 0; i < n; i++) {
                    long key = (long) EpollH.DATA.get(events, 0L, (long) i);
                    if (key == 0) {
                        drain();
                        continue;
                    }
                    Tracked t = byKey.get(key);
                    if (t != null) {
                        reap(t, siginfo, errno);
                    }
                }
                for (Reference<? extends Child> r; (r = unreachable.poll()) != null; ) {
                    ChildReference c = (ChildReference) r;
                    release(c.tracked, c);
                }
            }
        } catch (Throwable t) {
            // Only a bug can end the loop (epoll_wait fails only on a bad descriptor or buffer);
            // say so loudly, since no process would be reaped from now on.
            throw new IllegalStateException("posix4j subprocess watcher failed", t);
        }
    }

    private void reap(Tracked t, MemorySegment siginfo, MemorySegment errno) throws Throwable {
        Outcome outcome;
        lock.lock();
        try {
            if (t.ended) {
                return;
            }
            siginfo.fill((byte) 0);
            int options = WaitH.WEXITED | WaitH.WNOHANG | (t.ours ? 0 : WaitH.WNOWAIT);
            int r = waitid(t, siginfo, options, errno);
            if (r == 0 && siginfo.get(JAVA_INT, WaitH.SI_PID) == 0) {
                return;
            }
            Calls.epollDel(epfd, t.pidfd);
            outcome = ended(t, r, siginfo, errno);
        } finally {
            lock.unlock();
        }
        outcome.complete(t);
    }

    /// Waits for our child `t` on the calling platform thread and reaps it there, so that the
    /// thread is woken by the kernel itself rather than by the watcher thread: a synchronous
    /// spawn-and-wait costs one wake-up, like a C program's waitpid. Meanwhile the pidfd's
    /// epoll registration reports nothing (EPOLL_CTL_MOD to no events, which cannot fail), and
    /// it reports again if the wait ends without the child having ended.
    ///
    /// @param timeoutMillis how long to wait, -1 for no limit
    /// @return whether the child ended (and was reaped, by this thread or the watcher)
    /// @throws InterruptedException if the thread is interrupted while waiting
    /// @throws PosixException EMFILE when no descriptor is left for the wait's eventfd; the
    ///     caller then waits on the future instead
    boolean awaitDirectly(Tracked t, long timeoutMillis) throws InterruptedException, PosixException {
        InterruptibleWait wait = new InterruptibleWait();
        boolean readable = false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(EpollH.EPOLL_EVENT);
            int pidfd;
            lock.lock();
            try {
                if (t.ended) {
                    return true;
                }
                if (t.directWaiters++ == 0) {
                    Calls.epollModify(epfd, t.pidfd, 0, t.key, event);
                }
                pidfd = t.pidfd;
            } finally {
                lock.unlock();
            }
            try {
                readable = wait.await(pidfd, timeoutMillis, arena.allocate(PollH.POLLFD, 2));
            } finally {
                afterDirectWait(t, readable, event, arena.allocate(WaitH.SIGINFO));
            }
            return readable;
        } finally {
            wait.release();
        }
    }

    private void afterDirectWait(Tracked t, boolean readable, MemorySegment event, MemorySegment siginfo) {
        Outcome outcome = null;
        MemorySegment errno = Libc.errnoSlot();
        lock.lock();
        try {
            t.directWaiters--;
            if (t.ended) {
                closeIfDone(t);
            } else if (readable) {
                // Unregistered before the reap: the reap wakes pidfd pollers with EPOLLHUP, which
                // even a registration for no events reports, and would wake the watcher for nothing.
                Calls.epollDel(epfd, t.pidfd);
                outcome = ended(t, waitid(t, siginfo, WaitH.WEXITED, errno), siginfo, errno);
            } else if (t.directWaiters == 0) {
                Calls.epollModify(epfd, t.pidfd, EpollH.EPOLLIN, t.key, event);
            }
        } catch (Throwable e) {
            throw Libc.unexpected(e);
        } finally {
            lock.unlock();
        }
        if (outcome != null) {
            outcome.complete(t);
        }
    }

    /// waitid(P_PIDFD) on `t`, retried on EINTR; the caller holds the lock.
    private static int waitid(Tracked t, MemorySegment siginfo, int options, MemorySegment errno) throws Throwable {
        int r;
        do {
            r = WaitH.WAITID.call(errno, WaitH.P_PIDFD, t.pidfd, siginfo.address(), options);
        } while (r < 0 && Libc.interrupted(errno));
        return r;
    }

    /// Records that `t` ended, after waitid answered `r` (and its epoll registration is gone);
    /// the caller holds the lock and completes the returned outcome once it has released it.
    private Outcome ended(Tracked t, int r, MemorySegment siginfo, MemorySegment errno) {
        Outcome outcome;
        if (r == 0) {
            outcome = new Outcome(decode(siginfo), null);
        } else if (t.ours) {
            outcome = new Outcome(null, new PosixException("waitid", Libc.errno(errno), "P_PIDFD, pid " + t.pid
                    + ": someone else reaped this child"));
        } else {
            outcome = new Outcome(null, null);
        }
        t.ended = true;
        byKey.remove(t.key);
        children.remove(t.pid, t);
        closeIfDone(t);
        watched.removeIf(w -> w.tracked == t);
        return outcome;
    }

    /// Closes an ended process's pidfd once nobody needs it: its owner released it (or it was only
    /// watched), and no thread is polling it.
    private static void closeIfDone(Tracked t) {
        if ((t.released || !t.ours) && t.directWaiters == 0) {
            closePidfd(t);
        }
    }

    /// How a process's future is to be completed: with a status (null when unknown), or with a
    /// failure.
    private record Outcome(ExitStatus status, PosixException failure) {
        void complete(Tracked t) {
            if (failure != null) {
                t.exit.completeExceptionally(failure);
            } else {
                t.exit.complete(status);
            }
        }
    }

    private static ExitStatus decode(MemorySegment siginfo) {
        int code = siginfo.get(JAVA_INT, WaitH.SI_CODE);
        int status = siginfo.get(JAVA_INT, WaitH.SI_STATUS);
        return switch (code) {
            case SignalH.CLD_EXITED -> new ExitStatus.Exited(status & 0xff);
            case SignalH.CLD_KILLED -> new ExitStatus.Signaled(status, false);
            case SignalH.CLD_DUMPED -> new ExitStatus.Signaled(status, true);
            default -> throw new IllegalStateException("waitid(WEXITED) reported si_code " + code);
        };
    }

    private static void closePidfd(Tracked t) {
        if (t.pidfd >= 0) {
            Calls.close(t.pidfd);
            t.pidfd = -1;
        }
    }

    /// Tells the watcher which pidfd to release when a [Child] was dropped without close().
    private static final class ChildReference extends PhantomReference<Child> {
        final Tracked tracked;

        ChildReference(Child child, Tracked tracked, ReferenceQueue<Child> queue) {
            super(child, queue);
            this.tracked = tracked;
        }
    }
}
