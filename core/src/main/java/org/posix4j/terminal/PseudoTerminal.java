package org.posix4j.terminal;

import java.io.Closeable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.StdlibH;
import org.posix4j.io.Fd;

/// A pseudo-terminal pair: the master side, held open by this object, and the path of the
/// slave side. Made with posix_openpt(3), grantpt(3), unlockpt(3) and ptsname_r(3).
///
/// Opening the slave in a process that has no controlling terminal and leads its session makes
/// it that session's controlling terminal, unless [#openSlave(boolean)] is told not to.
///
/// @param master the master side, owned and close-on-exec
/// @param slavePath the slave device, such as "/dev/pts/4"
public record PseudoTerminal(Fd master, String slavePath) implements Closeable {
    /// Opens a new pseudo-terminal pair.
    ///
    /// @throws PosixException ENOENT or EAGAIN when no pseudo-terminal is free
    public static PseudoTerminal open() throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        int fd;
        try {
            fd = Libc.check(StdlibH.POSIX_OPENPT.call(errno,
                    FcntlH.O_RDWR | FcntlH.O_NOCTTY | FcntlH.O_CLOEXEC), errno, "posix_openpt", "O_RDWR|O_NOCTTY");
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
        Fd master = Fd.adopt(fd);
        try (Arena arena = Arena.ofConfined()) {
            Libc.check(StdlibH.GRANTPT.call(errno, fd), errno, "grantpt", "fd " + fd);
            Libc.check(StdlibH.UNLOCKPT.call(errno, fd), errno, "unlockpt", "fd " + fd);
            MemorySegment buf = arena.allocate(128);
            int rc = StdlibH.PTSNAME_R.call(Libc.errnoSlot(), fd, buf.address(), buf.byteSize());
            Libc.checkReturned(rc, "ptsname_r", "fd " + fd);
            return new PseudoTerminal(master, CStrings.read(buf, 0));
        } catch (Throwable t) {
            master.close();
            throw Libc.propagate(t);
        }
    }

    /// Opens the slave side, read-write and close-on-exec.
    ///
    /// @param makeControlling whether the slave may become the controlling terminal of the
    ///     calling process (open without O_NOCTTY); it does only if the caller leads a session
    ///     that has none
    /// @throws PosixException with open(2)'s errno
    public Fd openSlave(boolean makeControlling) throws PosixException {
        return Fd.open(slavePath, FcntlH.O_RDWR | (makeControlling ? 0 : FcntlH.O_NOCTTY), 0);
    }

    /// Closes the master side; the slave side sees hang-up once every slave descriptor is closed
    /// too.
    @Override
    public void close() throws PosixException {
        master.close();
    }
}
