package org.posix4j.terminal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SignalH;
import org.posix4j.internal.StdlibH;
import org.posix4j.internal.TerminalH;
import org.posix4j.io.Fd;
import org.posix4j.signal.Signal;

/// Terminal queries and the foreground process group.
///
/// Thread safety: all methods may be called from any thread.
public final class Terminal {
    private static final int PATH_BUFFER = 4096;

    private Terminal() {}

    /// Whether `fd` refers to a terminal: isatty(3).
    public static boolean isTerminal(Fd fd) {
        try {
            return TerminalH.ISATTY.call(Libc.errnoSlot(), fd.intValue()) == 1;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// The path of the terminal `fd` refers to, such as "/dev/pts/3": ttyname_r(3). Equivalent
    /// to `Netsys_posix.ttyname`.
    ///
    /// @throws PosixException ENOTTY if `fd` is not a terminal, EBADF if it is not open
    public static String name(Fd fd) throws PosixException {
        int n = fd.intValue();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(PATH_BUFFER);
            int rc = TerminalH.TTYNAME_R.call(Libc.errnoSlot(), n, buf.address(), buf.byteSize());
            Libc.checkReturned(rc, "ttyname_r", "fd " + n);
            return CStrings.read(buf, 0);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// The path that names the controlling terminal of the calling process: ctermid(3). On
    /// Linux this is always "/dev/tty", whether or not there is a controlling terminal; opening
    /// it fails with ENXIO when there is none. Equivalent to `Netsys_posix.ctermid`.
    public static String controllingTerminalPath() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(StdlibH.L_CTERMID);
            long r = StdlibH.CTERMID.call(Libc.errnoSlot(), buf.address());
            return r == 0 ? "" : CStrings.read(buf, 0);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// The foreground process group of the terminal `fd`, which must be the caller's controlling
    /// terminal: tcgetpgrp(3). Equivalent to `Netsys_posix.tcgetpgrp`.
    ///
    /// @throws PosixException ENOTTY if `fd` is not the controlling terminal of the caller
    public static int foregroundProcessGroup(Fd fd) throws PosixException {
        int n = fd.intValue();
        MemorySegment errno = Libc.errnoSlot();
        try {
            return Libc.check(TerminalH.TCGETPGRP.call(errno, n), errno, "tcgetpgrp", "fd " + n);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Makes `pgid` the foreground process group of the controlling terminal `fd`:
    /// tcsetpgrp(3). Equivalent to `Netsys_posix.tcsetpgrp`.
    ///
    /// A process in a background group that calls tcsetpgrp is sent SIGTTOU, which would stop
    /// the whole JVM; as shells do, SIGTTOU is blocked in the calling thread for the duration of
    /// the call (pthread_sigmask), so a program can take the terminal back after a foreground
    /// child ends.
    ///
    /// @throws PosixException ENOTTY if `fd` is not the caller's controlling terminal, EPERM if
    ///     `pgid` is not a group of the caller's session
    /// @throws IllegalArgumentException if `pgid` is not positive
    public static void setForegroundProcessGroup(Fd fd, int pgid) throws PosixException {
        if (pgid <= 0) {
            throw new IllegalArgumentException("pgid must be positive: " + pgid);
        }
        int n = fd.intValue();
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(SignalH.SIGSET);
            MemorySegment previous = arena.allocate(SignalH.SIGSET);
            SignalH.fill(block, 1L << (Signal.TTOU.number() - 1));
            Libc.checkReturned(SignalH.PTHREAD_SIGMASK.call(errno, SignalH.SIG_BLOCK, block.address(),
                    previous.address()), "pthread_sigmask", "SIG_BLOCK, SIGTTOU");
            int r;
            int error;
            try {
                r = TerminalH.TCSETPGRP.call(errno, n, pgid);
                // Read before the restore, whose call captures errno into the same slot.
                error = Libc.errno(errno);
            } finally {
                // Restoring a mask read a moment ago cannot fail: pthread_sigmask only rejects a bad `how`.
                int restored = SignalH.PTHREAD_SIGMASK.call(errno, SignalH.SIG_SETMASK,
                        previous.address(), 0L);
                assert restored == 0;
            }
            if (r < 0) {
                throw new PosixException("tcsetpgrp", error, "fd " + n + ", " + pgid);
            }
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }
}
