package org.posix4j.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.posix4j.Features;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.FileSpaceH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SysStatH;
import org.posix4j.io.Fd;

/// mkdir with a mode, posix_fallocate and posix_fadvise.
///
/// Thread safety: all methods may be called from any thread.
public final class PosixFiles {
    private PosixFiles() {}

    /// Creates directory `path` with permission bits `mode`, less the umask: mkdir(2). Equivalent
    /// to Prosody's `pposix.mkdir` (which uses mode 0777).
    ///
    /// @throws PosixException EEXIST if it exists, ENOENT if the parent does not, EACCES without
    ///     write permission on the parent
    /// @throws IllegalArgumentException if `mode` has bits outside 07777 or `path` is empty or has NUL
    public static void mkdir(Path path, int mode) throws PosixException {
        String p = CStrings.checkNonEmpty("path", path.toString());
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode must be within 07777: 0" + Integer.toOctalString(mode));
        }
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            int r = SysStatH.MKDIR.call(errno, CStrings.of(arena, "path", p).address(), mode);
            Libc.check(r, errno, "mkdir", p);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// [#mkdir(Path, int)] with mode 0777, as Prosody's `pposix.mkdir`.
    ///
    /// @throws PosixException as [#mkdir(Path, int)]
    public static void mkdir(Path path) throws PosixException {
        mkdir(path, 0777);
    }

    /// Allocates disk space for bytes `offset` to `offset + length` of the open file, growing it
    /// if needed, so later writes there do not fail for lack of space: posix_fallocate(3).
    /// Equivalent to Prosody's `pposix.fallocate` and `Netsys_posix.fallocate`. On a file system
    /// without fallocate(2) glibc emulates it by writing zeros.
    ///
    /// @throws PosixException ENOSPC if the space is not there, EBADF if `fd` is not open for
    ///     writing, ESPIPE for a pipe, EFBIG beyond the maximum file size
    /// @throws IllegalArgumentException if `offset` is negative or `length` is not positive
    public static void allocate(Fd fd, long offset, long length) throws PosixException {
        checkRange(offset, length, false);
        int n = fd.intValue();
        try {
            int rc = FileSpaceH.POSIX_FALLOCATE.call(Libc.errnoSlot(), n, offset, length);
            Libc.checkReturned(rc, "posix_fallocate", "fd " + n + ", " + offset + ", " + length);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Tells the kernel how bytes `offset` to `offset + length` (length 0: to the end) of the
    /// file will be accessed: posix_fadvise(2). Equivalent to `Netsys_posix.fadvise`.
    ///
    /// @throws PosixException EBADF for a closed descriptor, ESPIPE for a pipe or FIFO
    /// @throws IllegalArgumentException if `offset` or `length` is negative
    public static void advise(Fd fd, long offset, long length, Advice advice) throws PosixException {
        checkRange(offset, length, true);
        int n = fd.intValue();
        try {
            int rc = FileSpaceH.POSIX_FADVISE.call(Libc.errnoSlot(), n, offset, length, advice.value());
            Libc.checkReturned(rc, "posix_fadvise", "fd " + n + ", " + offset + ", " + length + ", " + advice);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Whether posix_fadvise is there. Equivalent to `Netsys_posix.have_fadvise`.
    public static boolean hasAdvise() {
        return Features.fadvise().available();
    }

    /// Whether posix_fallocate is there. Equivalent to `Netsys_posix.have_fallocate`.
    public static boolean hasAllocate() {
        return Features.fallocate().available();
    }

    private static void checkRange(long offset, long length, boolean zeroLengthAllowed) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (length < 0 || (length == 0 && !zeroLengthAllowed)) {
            throw new IllegalArgumentException("length must be " + (zeroLengthAllowed ? "0 or more" : "positive")
                    + ": " + length);
        }
    }
}
