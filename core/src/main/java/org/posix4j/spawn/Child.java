package org.posix4j.spawn;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.signal.Signal;

/// A child process started by [Spawn#start()], held through a pidfd.
///
/// The pidfd is opened with pidfd_open(2) right after posix_spawn(3) returns. Nothing can reap
/// the child in between, so the pid cannot have been reused: a child stays a zombie, keeping its
/// pid, until its parent waits for it, and the only code in this JVM that waits for children
/// posix4j started is posix4j's (its watcher thread, or a thread in [#waitFor()]), always through
/// the pidfd (waitid P_PIDFD). The JDK's reaper waits only for the pids `ProcessBuilder` started. Native code calling wait(2) or
/// waitpid(-1), or SIGCHLD set to SIG_IGN, would break this; [#waitFor()] then reports waitid's
/// ECHILD.
///
/// The watcher reaps the child when it ends, whether or not anyone waits or this object was
/// closed: no zombie is left behind. [#close()] releases the descriptors (pidfd and pipes); it
/// does not stop the child. A `Child` dropped without `close()` has its pidfd released by the
/// watcher once the garbage collector finds it unreachable, as a safety net only.
///
/// Thread safety: every method may be called from any thread.
public final class Child implements AutoCloseable {
    /// Runs the dependent actions of the futures posix4j hands out, so that user code never runs
    /// on (and never stalls) the watcher thread.
    static final Executor EXITS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("posix4j-exit-", 0).factory());

    private final Watcher watcher;
    private final Tracked tracked;
    private final int processGroup;
    private final boolean ownGroup;
    private final Fd stdin;
    private final Fd stdout;
    private final Fd stderr;
    private final Reference<Child> guard;
    private Fd pidfd;
    private ChildProcess process;
    private CompletableFuture<ExitStatus> onExit;
    private boolean closed;

    Child(Watcher watcher, Tracked tracked, int processGroup, boolean ownGroup, Fd stdin, Fd stdout, Fd stderr) {
        this.watcher = watcher;
        this.tracked = tracked;
        this.processGroup = processGroup;
        this.ownGroup = ownGroup;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.guard = watcher.guard(this, tracked);
    }

    /// The process id.
    public int pid() {
        return tracked.pid;
    }

    /// A pidfd for the child: a close-on-exec duplicate of the one posix4j holds, made on the
    /// first call. It becomes readable (poll POLLIN) when the child ends and stays valid after
    /// the child was reaped. It belongs to this `Child`: [#close()] closes it.
    ///
    /// @throws PosixException EMFILE when descriptors run out (fcntl F_DUPFD_CLOEXEC)
    /// @throws IllegalStateException if this `Child` was closed
    public synchronized Fd pidfd() throws PosixException {
        checkOpen();
        if (pidfd == null) {
            watcher.lock.lock();
            try {
                pidfd = Fd.adopt(Calls.dupAbove2(tracked.pidfd));
            } finally {
                watcher.lock.unlock();
            }
        }
        return pidfd;
    }

    /// This process's end of the child's stdin pipe ([Redirect#PIPE]), owned by this `Child`.
    public Optional<Fd> stdinPipe() {
        return Optional.ofNullable(stdin);
    }

    /// This process's end of the child's stdout pipe ([Redirect#PIPE]), owned by this `Child`.
    public Optional<Fd> stdoutPipe() {
        return Optional.ofNullable(stdout);
    }

    /// This process's end of the child's stderr pipe ([Redirect#PIPE]), owned by this `Child`.
    public Optional<Fd> stderrPipe() {
        return Optional.ofNullable(stderr);
    }

    /// The process group the child was started in: its own pid for a new group or session, the
    /// joined group, or this process's group for [ProcessGroup#KEEP].
    public int processGroup() {
        return processGroup;
    }

    /// Waits until the child has ended and been reaped, and answers how it ended.
    ///
    /// On a platform thread, the thread polls the pidfd itself (with an eventfd, so that
    /// `Thread.interrupt()` ends the wait) and reaps the child, so the kernel wakes it directly
    /// when the child exits, as waitpid would. On a virtual thread it waits on the future that
    /// the watcher thread completes, so it unmounts instead of pinning its carrier.
    ///
    /// @throws InterruptedException if the thread is interrupted while waiting
    /// @throws IllegalStateException if someone else reaped the child (see the class comment)
    public ExitStatus waitFor() throws InterruptedException {
        awaitDirectly(-1);
        try {
            return tracked.exit.get();
        } catch (ExecutionException e) {
            throw reapedElsewhere(e);
        }
    }

    /// Waits at most `timeout` for the child to end, as [#waitFor()] does.
    ///
    /// @return how it ended, or empty if it still runs after `timeout`
    /// @throws InterruptedException if the thread is interrupted while waiting
    /// @throws IllegalStateException if someone else reaped the child
    public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException {
        long nanos = Math.max(0, timeout.toNanos());
        switch (awaitDirectly(TimeUnit.NANOSECONDS.toMillis(nanos + 999_999))) {
            case TIMED_OUT -> {
                return status();
            }
            // Reaped: by this thread, or by the watcher, which may still be completing the future.
            case ENDED -> nanos = Long.MAX_VALUE;
            case NOT_WAITED -> { }
        }
        try {
            return Optional.of(tracked.exit.get(nanos, TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw reapedElsewhere(e);
        }
    }

    private enum DirectWait { ENDED, TIMED_OUT, NOT_WAITED }

    /// [Watcher#awaitDirectly] on a platform thread while the child runs. Not on a virtual
    /// thread, and not without a descriptor for the wait: the future does the waiting then.
    private DirectWait awaitDirectly(long timeoutMillis) throws InterruptedException {
        if (tracked.exit.isDone() || Thread.currentThread().isVirtual()) {
            return DirectWait.NOT_WAITED;
        }
        try {
            return watcher.awaitDirectly(tracked, timeoutMillis) ? DirectWait.ENDED : DirectWait.TIMED_OUT;
        } catch (PosixException noDescriptorLeft) {
            return DirectWait.NOT_WAITED;
        }
    }

    /// How the child ended, or empty while it runs. Equivalent to
    /// `Netsys_posix.get_subprocess_status`.
    ///
    /// @throws IllegalStateException if someone else reaped the child
    public Optional<ExitStatus> status() {
        if (!tracked.exit.isDone()) {
            return Optional.empty();
        }
        try {
            return Optional.of(tracked.exit.join());
        } catch (RuntimeException e) {
            throw new IllegalStateException("the status of child " + tracked.pid + " is lost", e.getCause());
        }
    }

    /// A future completed with the exit status once the child has been reaped. Its dependent
    /// actions run on a virtual thread, never on the watcher thread. The same future is returned
    /// on every call.
    public synchronized CompletableFuture<ExitStatus> onExit() {
        if (onExit == null) {
            onExit = tracked.exit.thenApplyAsync(status -> status, EXITS);
        }
        return onExit;
    }

    /// Sends `signal` through the pidfd with pidfd_send_signal(2): it can only reach this child,
    /// never a process that reused its pid.
    ///
    /// @throws PosixException ESRCH once the child has ended (even before it was reaped)
    /// @throws IllegalStateException if this `Child` was closed
    public void signal(Signal signal) throws PosixException {
        checkOpen();
        watcher.signal(tracked, signal.number());
    }

    /// Sends `signal` to the child's process group with killpg(3). While the child has not been
    /// reaped, its group id cannot name another group (the watcher does not reap during the
    /// call). Afterwards the group may still have other members; once they are all gone, the id
    /// could in principle be taken by a new group.
    ///
    /// @throws PosixException ESRCH if the group has no member left, EPERM without permission
    /// @throws IllegalStateException if the child was started in this process's own group
    ///     ([ProcessGroup#KEEP]): that would signal this JVM too; or if this `Child` was closed
    public void signalGroup(Signal signal) throws PosixException {
        checkOpen();
        if (!ownGroup) {
            throw new IllegalStateException("child " + tracked.pid + " is in this process's own group "
                    + processGroup + "; signalGroup would signal this JVM too");
        }
        watcher.signalGroup(processGroup, signal.number());
    }

    /// A `java.lang.Process` view of this child, for code written against the JDK: the streams
    /// are the pipes (or null streams), `waitFor`/`exitValue` give [ExitStatus#shellCode()],
    /// `destroy` sends SIGTERM and `destroyForcibly` SIGKILL through the pidfd, `onExit` and
    /// `toHandle` follow the same watcher. The same object is returned on every call.
    public synchronized Process asProcess() {
        if (process == null) {
            process = new ChildProcess(this, watcher, tracked);
        }
        return process;
    }

    /// Closes the pidfd (once the child has been reaped) and this process's pipe ends. The child
    /// keeps running and is still reaped when it ends. Closing twice does nothing.
    @Override
    public void close() {
        Fd dup;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            dup = pidfd;
        }
        for (Fd fd : new Fd[] {stdin, stdout, stderr, dup}) {
            if (fd != null) {
                try {
                    fd.close();
                } catch (PosixException e) {
                    // close(2) of a pipe or pidfd reports only EBADF, which the Fd rules out; the
                    // descriptor is released either way.
                }
            }
        }
        watcher.release(tracked, guard);
    }

    Tracked tracked() {
        checkOpen();
        return tracked;
    }

    int ownProcessGroup() {
        return ownGroup ? processGroup : 0;
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException("child " + tracked.pid + " was closed");
        }
    }

    private IllegalStateException reapedElsewhere(ExecutionException e) {
        return new IllegalStateException("the status of child " + tracked.pid + " is lost", e.getCause());
    }

    @Override
    public String toString() {
        Optional<ExitStatus> s = tracked.exit.isDone() && !tracked.exit.isCompletedExceptionally()
                ? Optional.of(tracked.exit.join()) : Optional.empty();
        return "Child[pid=" + tracked.pid + s.map(x -> ", " + x).orElse(", running") + "]";
    }
}
