package org.posix4j.spawn;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.io.Pipe;
import org.posix4j.signal.Signal;

/// A process on the watch list of [Subprocesses]: the seed's `watched_subprocess`, made by
/// [Subprocesses#watch(int, int, boolean)] (`Netsys_posix.watch_subprocess`) or
/// [Subprocesses#watch(Child, boolean)].
///
/// [#fd()] is the seed's descriptor that "will indicate EOF when the subprocess is terminated":
/// the read end of a pipe whose write end posix4j closes when the process ends (or on
/// [#ignore()]). It works with poll(2), epoll(7) or a blocking read, which returns 0 at that
/// moment. The caller owns it and closes it when done.
///
/// After [#ignore()] or [#forget()] every method but [#fd()], [#pid()], [#processGroup()] and
/// [#killFlag()] throws [IllegalStateException] ("any further access to ws will fail").
///
/// Thread safety: safe to use from any thread.
public final class Watched {
    private enum State { WATCHING, IGNORED, FORGOTTEN }

    /// What is known about the end of a watched process, as [#outcome()] reports it.
    public enum Outcome {
        /// It has not ended yet.
        RUNNING,
        /// It ended and [#status()] holds its exit status.
        STATUS,
        /// It ended as a child of this JVM, but another waiter reaped it before posix4j could
        /// read its status, so the status is not known here. For a `ProcessBuilder` child this is
        /// the usual end: the JDK's process reaper thread waits for it the moment it ends; its
        /// exit code is `Process.exitValue()` (or `onExit()`), which says 128 + N for a death
        /// by signal N. For a child posix4j started, only native code calling wait(2), or
        /// SIGCHLD set to SIG_IGN, can do this.
        REAPED_BY_ANOTHER,
        /// It ended and was not a child of this JVM when it was watched: the kernel tells the
        /// status of a process only to its parent.
        NOT_A_CHILD
    }

    final Tracked tracked;
    final int processGroup;
    final boolean killFlag;
    /// Whether the process was a child of this JVM when it was watched.
    private final boolean child;
    private final Watcher watcher;
    private final Fd fd;
    private final Fd notifier;
    private volatile State state = State.WATCHING;

    private Watched(Watcher watcher, Tracked tracked, int processGroup, boolean killFlag, boolean child, Pipe pipe) {
        this.watcher = watcher;
        this.child = child;
        this.tracked = tracked;
        this.processGroup = processGroup;
        this.killFlag = killFlag;
        this.fd = pipe.readEnd();
        this.notifier = pipe.writeEnd();
    }

    /// Watches `tracked`; `child` says whether it is a child of this JVM (always true for one
    /// posix4j started).
    static Watched create(Watcher watcher, Tracked tracked, int processGroup, boolean killFlag, boolean child)
            throws PosixException {
        Watched w = new Watched(watcher, tracked, processGroup, killFlag, child, Pipe.open());
        watcher.addWatched(w);
        tracked.exit.whenComplete((status, failure) -> w.closeNotifier());
        return w;
    }

    /// The process id.
    public int pid() {
        return tracked.pid;
    }

    /// The process group given to `watch`, 0 for none: the group that [#killGroup(Signal)] and
    /// [Subprocesses#killGroupAll(Signal, boolean)] signal.
    public int processGroup() {
        return processGroup;
    }

    /// The seed's kill_flag: whether [Subprocesses#killAll] and [Subprocesses#killGroupAll]
    /// select this process without `override`.
    public boolean killFlag() {
        return killFlag;
    }

    /// The descriptor that reaches end of file when the process ends, or at once after
    /// [#ignore()]. Owned by the caller, who closes it; close-on-exec.
    public Fd fd() {
        return fd;
    }

    /// The exit status once the process has ended, when posix4j could read it; [#outcome()] says
    /// why it is empty. It is empty while the process runs; after the end of a process that is
    /// not a child of this JVM, whose status the kernel tells only its parent
    /// ([Outcome#NOT_A_CHILD]); and, in practice always, after the end of a `ProcessBuilder`
    /// child ([Outcome#REAPED_BY_ANOTHER]): posix4j reads such a child's status with WNOWAIT,
    /// leaving the reaping to the JDK, but the JDK's reaper thread, blocked in waitpid for that
    /// very pid, reaps it first. Take that child's exit code from its `Process`. Equivalent to
    /// `Netsys_posix.get_subprocess_status`.
    ///
    /// @throws IllegalStateException after [#ignore()] or [#forget()]
    public Optional<ExitStatus> status() {
        check();
        if (!tracked.exit.isDone() || tracked.exit.isCompletedExceptionally()) {
            return Optional.empty();
        }
        return Optional.ofNullable(tracked.exit.getNow(null));
    }

    /// What is known about the process's end: [Outcome#RUNNING] until it ends, then
    /// [Outcome#STATUS] when [#status()] holds its status, or why it does not.
    ///
    /// @throws IllegalStateException after [#ignore()] or [#forget()]
    public Outcome outcome() {
        check();
        if (!tracked.exit.isDone()) {
            return Outcome.RUNNING;
        }
        if (tracked.exit.isCompletedExceptionally()) {
            return Outcome.REAPED_BY_ANOTHER;
        }
        if (tracked.exit.getNow(null) != null) {
            return Outcome.STATUS;
        }
        return child ? Outcome.REAPED_BY_ANOTHER : Outcome.NOT_A_CHILD;
    }

    /// Whether the process has ended (whether or not its status is known).
    ///
    /// @throws IllegalStateException after [#ignore()] or [#forget()]
    public boolean hasEnded() {
        check();
        return tracked.exit.isDone();
    }

    /// A future completed when the process ends, with [#status()]'s value. Its dependent actions
    /// run on a virtual thread, never on the watcher thread.
    ///
    /// @throws IllegalStateException after [#ignore()] or [#forget()]
    public CompletableFuture<Optional<ExitStatus>> onExit() {
        check();
        return tracked.exit.handleAsync((status, failure) -> Optional.ofNullable(status), Child.EXITS);
    }

    /// Sends `signal` with pidfd_send_signal(2) if the process still exists; never fails.
    /// Equivalent to `Netsys_posix.kill_subprocess`.
    ///
    /// @throws IllegalStateException after [#ignore()] or [#forget()]
    public void kill(Signal signal) {
        check();
        watcher.signalQuietly(tracked, signal.number());
    }

    /// Sends `signal` with killpg(3) to [#processGroup()] if a watched process of that group
    /// still runs; never fails. Equivalent to `Netsys_posix.killpg_subprocess`.
    ///
    /// @throws IllegalStateException after [#ignore()] or [#forget()]
    public void killGroup(Signal signal) {
        check();
        watcher.killGroupOf(this, signal.number());
    }

    /// Stops reporting: [#fd()] reaches end of file at once and this object is no longer usable.
    /// A child posix4j started is still reaped when it ends, so it never stays a zombie; a
    /// process we only watched is no longer followed. Equivalent to
    /// `Netsys_posix.ignore_subprocess`.
    ///
    /// @throws IllegalStateException after [#ignore()] or [#forget()]
    public void ignore() {
        end(State.IGNORED);
    }

    /// Frees what watching holds (the notification pipe's write end, and for a process posix4j
    /// did not start, its pidfd); [#fd()] stays the caller's to close. A child posix4j started is
    /// still reaped. Equivalent to `Netsys_posix.forget_subprocess`.
    ///
    /// @throws IllegalStateException after [#ignore()] or [#forget()]
    public void forget() {
        end(State.FORGOTTEN);
    }

    private void end(State next) {
        synchronized (this) {
            check();
            state = next;
        }
        watcher.removeWatched(this);
        if (!tracked.ours) {
            watcher.cancel(tracked);
        }
        closeNotifier();
    }

    private void check() {
        State s = state;
        if (s != State.WATCHING) {
            throw new IllegalStateException("process " + tracked.pid + " is no longer watched: "
                    + (s == State.IGNORED ? "ignore()" : "forget()") + " was called");
        }
    }

    private void closeNotifier() {
        try {
            notifier.close();
        } catch (PosixException e) {
            // close(2) of a pipe's write end cannot fail with anything but EBADF, which the Fd
            // rules out; the descriptor is released either way.
        }
    }

    @Override
    public String toString() {
        return "Watched[pid=" + tracked.pid + ", pgid=" + processGroup + ", killFlag=" + killFlag + ", " + state + "]";
    }
}
