package org.posix4j.io;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import org.posix4j.PosixException;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.UnistdH;

/// A file descriptor: either owned, and then closed exactly once by [#close()], or borrowed,
/// and then never closed by this object.
///
/// Every descriptor posix4j creates is close-on-exec and comes back owned. [#adopt(int)] takes
/// ownership of a number from elsewhere (the seed's `Netsys_posix.file_descr_of_int`);
/// [#borrow(int)] and [#stdin()], [#stdout()], [#stderr()] only view one, so closing the view never
/// closes standard output by accident. [#intValue()] is `Netsys_posix.int_of_file_descr`.
///
/// Reading and writing go through [#inputStream()], [#outputStream()] and [#channel()], without
/// reflection into `java.io.FileDescriptor`.
///
/// Thread safety: an `Fd` may be shared between threads. Closing it while another thread is
/// blocked reading or writing it does not interrupt that thread; that thread's next call fails.
public final class Fd implements Closeable {
    private final int fd;
    private final boolean owned;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Fd(int fd, boolean owned) {
        this.fd = fd;
        this.owned = owned;
    }

    /// Takes ownership of descriptor `fd`: closing the result closes it.
    /// Equivalent to `Netsys_posix.file_descr_of_int`.
    ///
    /// @throws IllegalArgumentException if `fd` is negative
    public static Fd adopt(int fd) {
        return new Fd(checkNumber(fd), true);
    }

    /// A view of descriptor `fd` that is never closed by this object. Each call answers a new
    /// view, so closing one view never makes another unusable.
    ///
    /// @throws IllegalArgumentException if `fd` is negative
    public static Fd borrow(int fd) {
        return new Fd(checkNumber(fd), false);
    }

    /// A new borrowed view of standard input, descriptor 0.
    public static Fd stdin() {
        return new Fd(0, false);
    }

    /// A new borrowed view of standard output, descriptor 1.
    public static Fd stdout() {
        return new Fd(1, false);
    }

    /// A new borrowed view of standard error, descriptor 2.
    public static Fd stderr() {
        return new Fd(2, false);
    }

    private static int checkNumber(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must not be negative: " + fd);
        }
        return fd;
    }

    /// Opens `path` with open(2) `flags` ([OpenFlags], always adding O_CLOEXEC) and `mode` for
    /// created files.
    ///
    /// @throws PosixException with the errno of open(2), such as ENOENT or EACCES
    public static Fd open(String path, int flags, int mode) throws PosixException {
        return Descriptors.open(path, flags, mode);
    }

    /// The descriptor number. Equivalent to `Netsys_posix.int_of_file_descr`.
    ///
    /// @throws IllegalStateException if this `Fd` was closed
    public int intValue() {
        if (closed.get()) {
            throw new IllegalStateException("fd " + fd + " is closed");
        }
        return fd;
    }

    /// Whether closing this object closes the descriptor.
    public boolean isOwned() {
        return owned;
    }

    /// Whether [#close()] has not been called yet.
    public boolean isOpen() {
        return !closed.get();
    }

    /// Whether the descriptor has FD_CLOEXEC set (fcntl F_GETFD).
    ///
    /// @throws PosixException EBADF if the number is not an open descriptor
    public boolean isCloseOnExec() throws PosixException {
        return (Descriptors.fcntl(intValue(), FcntlH.F_GETFD, 0) & FcntlH.FD_CLOEXEC) != 0;
    }

    /// Sets or clears FD_CLOEXEC (fcntl F_SETFD).
    ///
    /// @throws PosixException EBADF if the number is not an open descriptor
    public void setCloseOnExec(boolean on) throws PosixException {
        Descriptors.fcntl(intValue(), FcntlH.F_SETFD, on ? FcntlH.FD_CLOEXEC : 0);
    }

    /// A new owned, close-on-exec descriptor for the same open file (fcntl F_DUPFD_CLOEXEC).
    ///
    /// @throws PosixException EMFILE when the process has no free descriptor
    public Fd duplicate() throws PosixException {
        return adopt(Descriptors.fcntl(intValue(), FcntlH.F_DUPFD_CLOEXEC, 0));
    }

    /// A stream that reads this descriptor with read(2). Closing the stream closes this `Fd`.
    public InputStream inputStream() {
        return new FdInputStream(this);
    }

    /// A stream that writes this descriptor with write(2). Closing the stream closes this `Fd`.
    public OutputStream outputStream() {
        return new FdOutputStream(this);
    }

    /// A byte channel over this descriptor. Closing the channel closes this `Fd`.
    public FdChannel channel() {
        return new FdChannel(this);
    }

    /// Reads up to `dst.byteSize()` bytes into native memory: read(2), retried on EINTR.
    ///
    /// @return the number of bytes read, 0 at end of file
    /// @throws PosixException with read(2)'s errno (EAGAIN on an empty non-blocking descriptor)
    /// @throws IllegalArgumentException if `dst` is a heap segment, before anything is read
    /// @throws IllegalStateException if `dst`'s arena is closed, before anything is read
    public long read(MemorySegment dst) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        int n = intValue();
        try {
            long r;
            do {
                r = (long) UnistdH.READ.invokeExact(errno, n, dst, dst.byteSize());
            } while (r < 0 && Libc.interrupted(errno));
            if (r < 0) {
                throw new PosixException("read", Libc.errno(errno), "fd " + n);
            }
            return r;
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Writes up to `src.byteSize()` bytes from native memory: write(2), retried on EINTR.
    ///
    /// @return the number of bytes written, which may be fewer than asked
    /// @throws PosixException with write(2)'s errno (EPIPE, ENOSPC, EAGAIN...)
    /// @throws IllegalArgumentException if `src` is a heap segment, before anything is written
    /// @throws IllegalStateException if `src`'s arena is closed, before anything is written
    public long write(MemorySegment src) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        int n = intValue();
        try {
            long r;
            do {
                r = (long) UnistdH.WRITE.invokeExact(errno, n, src, src.byteSize());
            } while (r < 0 && Libc.interrupted(errno));
            if (r < 0) {
                throw new PosixException("write", Libc.errno(errno), "fd " + n);
            }
            return r;
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Closes an owned descriptor exactly once; later calls do nothing. For a borrowed view it
    /// only marks the view closed. close(2) is never retried: on Linux the descriptor is released
    /// even when close reports EINTR or EIO.
    ///
    /// @throws PosixException if close(2) reports an error (EIO from a network file system)
    @Override
    public void close() throws PosixException {
        if (!closed.compareAndSet(false, true) || !owned) {
            return;
        }
        MemorySegment errno = Libc.errnoSlot();
        int r;
        try {
            r = UnistdH.CLOSE.call(errno, fd);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        if (r < 0) {
            throw new PosixException("close", Libc.errno(errno), "fd " + fd);
        }
    }

    @Override
    public String toString() {
        return "Fd[" + fd + (owned ? "" : ", borrowed") + (closed.get() ? ", closed" : "") + "]";
    }
}
