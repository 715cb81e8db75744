package org.posix4j.spawn;

import java.util.concurrent.CompletableFuture;

/// One process the [Watcher] follows through its pidfd.
///
/// The mutable fields are guarded by [Watcher#lock]: the pidfd is used (waitid, signals) and
/// closed only under it, so a signal can never reach a descriptor number that was closed and
/// reused.
final class Tracked {
    final int pid;
    /// Whether posix4j started it: then the watcher reaps it. Otherwise its status is only read
    /// (WNOWAIT), so that its real parent still can reap it.
    final boolean ours;
    /// The epoll data that names it.
    final long key;
    /// Completed by the watcher when the process has ended: with its status, or with null for a
    /// process that is not our child (status unknown), or exceptionally when someone else reaped
    /// our child first.
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

    /// The pidfd, or -1 once closed.
    int pidfd;
    /// Whether the process ended (or, for a process we only watch, watching was cancelled).
    boolean ended;
    /// Whether the owner no longer needs the pidfd (the [Child] was closed or became
    /// unreachable): it is closed as soon as the process has been reaped.
    boolean released;
    /// How many threads poll the pidfd themselves ([Watcher#awaitDirectly]); while any do, the
    /// pidfd stays open and its epoll registration reports nothing.
    int directWaiters;

    Tracked(int pid, int pidfd, boolean ours, long key) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.ours = ours;
        this.key = key;
    }
}
