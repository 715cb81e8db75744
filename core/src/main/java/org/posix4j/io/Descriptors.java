package org.posix4j.io;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.UnistdH;

/// The calls behind [Fd] that create or inspect descriptors.
final class Descriptors {
    private Descriptors() {}

    static Fd open(String path, int flags, int mode) throws PosixException {
        CStrings.checkNonEmpty("path", path);
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode must be within 07777: " + Integer.toOctalString(mode));
        }
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = CStrings.of(arena, "path", path);
            int fd;
            do {
                fd = FcntlH.OPEN.call(errno, cpath.address(), flags | FcntlH.O_CLOEXEC, mode);
            } while (fd < 0 && Libc.interrupted(errno));
            if (fd < 0) {
                throw new PosixException("open", Libc.errno(errno), path);
            }
            return Fd.adopt(fd);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    static int fcntl(int fd, int cmd, int arg) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        int r;
        try {
            r = FcntlH.FCNTL.call(errno, fd, cmd, arg);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        if (r < 0) {
            throw new PosixException("fcntl", Libc.errno(errno), "fd " + fd);
        }
        return r;
    }

    static Pipe pipe(boolean nonBlocking) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int flags = FcntlH.O_CLOEXEC | (nonBlocking ? FcntlH.O_NONBLOCK : 0);
            int r = UnistdH.PIPE2.call(errno, fds.address(), flags);
            if (r < 0) {
                throw new PosixException("pipe2", Libc.errno(errno), "");
            }
            return new Pipe(Fd.adopt(fds.getAtIndex(JAVA_INT, 0)), Fd.adopt(fds.getAtIndex(JAVA_INT, 1)));
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }
}
