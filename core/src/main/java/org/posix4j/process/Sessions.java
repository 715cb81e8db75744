package org.posix4j.process;

import java.lang.foreign.MemorySegment;
import org.posix4j.PosixException;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SessionH;

/// Process groups and sessions: getpgid, getpgrp, setpgid, setpgrp, getsid, setsid.
///
/// The terminal side (foreground process group, controlling terminal) is in
/// [org.posix4j.terminal.Terminal].
///
/// Thread safety: all methods may be called from any thread; the changes are process-wide.
public final class Sessions {
    private Sessions() {}

    /// The process group of process `pid`, or of the caller for 0: getpgid(2). Equivalent to
    /// `Netsys_posix.getpgid`.
    ///
    /// @throws PosixException ESRCH if there is no such process
    public static int processGroupOf(int pid) throws PosixException {
        checkPid("pid", pid);
        MemorySegment errno = Libc.errnoSlot();
        try {
            return Libc.check(SessionH.GETPGID.call(errno, pid), errno, "getpgid", pid);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// The caller's process group: getpgrp(2). Equivalent to `Netsys_posix.getpgrp`.
    public static int processGroup() {
        try {
            return (int) SessionH.GETPGRP.invokeExact();
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// Moves process `pid` (0: the caller) into process group `pgid` (0: a group whose id is
    /// `pid`'s): setpgid(2). Both must be in the same session. Equivalent to `Netsys_posix.setpgid`.
    ///
    /// @throws PosixException EPERM across sessions or for a session leader, ESRCH for an unknown
    ///     pid, EACCES for a child that has already exec'd
    public static void setProcessGroup(int pid, int pgid) throws PosixException {
        checkPid("pid", pid);
        checkPid("pgid", pgid);
        MemorySegment errno = Libc.errnoSlot();
        try {
            Libc.check(SessionH.SETPGID.call(errno, pid, pgid), errno, "setpgid", pid + ", " + pgid);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Makes the caller the leader of a new process group of its own: setpgid(0, 0), which is
    /// what `setpgrp()` does on Linux. Equivalent to `Netsys_posix.setpgrp`.
    ///
    /// @return the new process group id, the caller's pid
    /// @throws PosixException EPERM if the caller is a session leader
    public static int newProcessGroup() throws PosixException {
        setProcessGroup(0, 0);
        return processGroup();
    }

    /// The session of process `pid`, or of the caller for 0: getsid(2). Equivalent to
    /// `Netsys_posix.getsid`.
    ///
    /// @throws PosixException ESRCH if there is no such process
    public static int sessionOf(int pid) throws PosixException {
        checkPid("pid", pid);
        MemorySegment errno = Libc.errnoSlot();
        try {
            return Libc.check(SessionH.GETSID.call(errno, pid), errno, "getsid", pid);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// The caller's session id: getsid(0).
    public static int session() {
        try {
            return sessionOf(0);
        } catch (PosixException e) {
            throw new IllegalStateException(e);
        }
    }

    /// Starts a new session with the caller as leader of it and of a new process group, with no
    /// controlling terminal: setsid(2).
    ///
    /// @return the new session id, the caller's pid
    /// @throws PosixException EPERM if the caller already leads a process group
    public static int newSession() throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            return Libc.check(SessionH.SETSID.call(errno), errno, "setsid", "");
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    static void checkPid(String argument, int pid) {
        if (pid < 0) {
            throw new IllegalArgumentException(argument + " must not be negative: " + pid);
        }
    }
}
