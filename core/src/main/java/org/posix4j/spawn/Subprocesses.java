package org.posix4j.spawn;

import java.lang.foreign.Arena;
import org.posix4j.PosixException;
import org.posix4j.internal.EpollH;
import org.posix4j.signal.Signal;

/// The watch list: Ocamlnet's subprocess watching (`Netsys_posix.watch_subprocess` and friends),
/// done with pidfds and one watcher thread instead of a SIGCHLD handler.
///
/// Every child [Spawn] starts is reaped by that one thread whether or not it is on the watch
/// list; the list is what the seed's kill functions select from. A process leaves the list when
/// it ends, or on [Watched#ignore()] or [Watched#forget()].
///
/// The seed's `install_subprocess_handler` and `register_subprocess_handler` install a SIGCHLD
/// handler; here nothing is installed (SIGCHLD keeps the JVM's disposition) and both map to
/// [#startWatcher()], which other methods call as needed.
///
/// Thread safety: every method may be called from any thread.
public final class Subprocesses {
    private Subprocesses() {}

    /// Puts process `pid` on the watch list. Equivalent to `Netsys_posix.watch_subprocess pid
    /// pgid kill_flag`.
    ///
    /// Any process this JVM may open a pidfd for can be watched. If `pid` is a child posix4j
    /// started and has not reaped yet, the watch shares that child's handle and status. For
    /// another process, posix4j opens a pidfd with pidfd_open(2) now; if `pid` already ended and
    /// was reaped, the number may name another process, so prefer [#watch(Child, boolean)] for
    /// children. Its status is known only if it is a child of this JVM that its owner has not
    /// reaped yet, which for a `ProcessBuilder` child is almost never the case: the JDK reaps it
    /// at once (see [Watched#status()] and [Watched#outcome()]).
    ///
    /// @param pid the process
    /// @param pgid its process group for [Watched#killGroup] and [#killGroupAll], or 0 for none
    /// @param killFlag whether [#killAll] and [#killGroupAll] select it without `override`
    /// @throws IllegalArgumentException if `pid` is not positive or `pgid` is negative
    /// @throws PosixException ESRCH from pidfd_open when there is no such process; EMFILE when
    ///     descriptors run out
    /// @throws UnsupportedOperationException when the kernel has no pidfds (Linux before 5.4)
    public static Watched watch(int pid, int pgid, boolean killFlag) throws PosixException {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
        if (pgid < 0) {
            throw new IllegalArgumentException("pgid must not be negative: " + pgid);
        }
        Watcher watcher = Watcher.get();
        Tracked ours = watcher.child(pid);
        if (ours != null) {
            return Watched.create(watcher, ours, pgid, killFlag, true);
        }
        // Asked first: a process already reaped has no parent left to ask about (and then
        // pidfd_open fails with ESRCH).
        boolean child = ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                .map(parent -> parent.pid() == ProcessHandle.current().pid()).orElse(false);
        int pidfd = Calls.pidfdOpen(pid);
        Tracked t;
        try (Arena arena = Arena.ofConfined()) {
            t = watcher.track(pid, pidfd, false, arena.allocate(EpollH.EPOLL_EVENT));
        } catch (PosixException e) {
            Calls.close(pidfd);
            throw e;
        }
        try {
            return Watched.create(watcher, t, pgid, killFlag, child);
        } catch (PosixException e) {
            watcher.cancel(t);
            throw e;
        }
    }

    /// Puts a child posix4j started on the watch list, with the process group it was started
    /// in if that is a group of its own (a new group or session, or a joined group other than
    /// ours), else 0. Equivalent to `Netsys_posix.watch_subprocess`.
    ///
    /// @throws PosixException EMFILE when the notification pipe cannot be made
    /// @throws IllegalStateException if `child` was closed
    public static Watched watch(Child child, boolean killFlag) throws PosixException {
        return Watched.create(Watcher.get(), child.tracked(), child.ownProcessGroup(), killFlag, true);
    }

    /// Sends `signal` to every watched process that still exists and is selected: its kill_flag
    /// is set or `override` is true, and, if `noGroup`, it has no process group (pgid 0). Each
    /// goes through its pidfd, so an ended process is never confused with a new one; failures are
    /// not reported. A process watched twice is signalled once. Equivalent to
    /// `Netsys_posix.kill_all_subprocesses signal override nogroup`.
    ///
    /// @throws PosixException only if the watcher could not be started (epoll_create1)
    public static void killAll(Signal signal, boolean override, boolean noGroup) throws PosixException {
        Watcher.get().killAll(signal.number(), override, noGroup);
    }

    /// Sends `signal` with killpg(3) to every process group (pgid > 0) that still has a watched
    /// process, if one of that group's watched processes has its kill_flag set or `override` is
    /// true; failures are not reported. Equivalent to
    /// `Netsys_posix.killpg_all_subprocesses signal override`.
    ///
    /// @throws PosixException only if the watcher could not be started (epoll_create1)
    public static void killGroupAll(Signal signal, boolean override) throws PosixException {
        Watcher.get().killGroupAll(signal.number(), override);
    }

    /// Starts the watcher thread (one daemon platform thread named `posix4j-subprocess-watcher`,
    /// with one epoll descriptor) if it is not running yet; calling it again does nothing.
    /// Equivalent to `Netsys_posix.install_subprocess_handler` and
    /// `Netsys_posix.register_subprocess_handler`: no signal handler is needed.
    ///
    /// @throws PosixException when epoll_create1 fails
    /// @throws UnsupportedOperationException when the kernel has no pidfds (Linux before 5.4)
    public static void startWatcher() throws PosixException {
        Watcher.get();
    }
}
