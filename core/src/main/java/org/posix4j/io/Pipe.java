package org.posix4j.io;

import java.io.Closeable;
import org.posix4j.PosixException;

/// The two ends of a pipe(2), both owned and close-on-exec.
///
/// @param readEnd the end to read from
/// @param writeEnd the end to write to
public record Pipe(Fd readEnd, Fd writeEnd) implements Closeable {
    /// Creates a pipe with pipe2(2) and O_CLOEXEC.
    ///
    /// @throws PosixException EMFILE or ENFILE when descriptors run out
    public static Pipe open() throws PosixException {
        return Descriptors.pipe(false);
    }

    /// Creates a pipe whose two ends are non-blocking (O_NONBLOCK).
    ///
    /// @throws PosixException EMFILE or ENFILE when descriptors run out
    public static Pipe openNonBlocking() throws PosixException {
        return Descriptors.pipe(true);
    }

    /// Closes both ends; both are attempted even if the first fails.
    @Override
    public void close() throws PosixException {
        try {
            readEnd.close();
        } finally {
            writeEnd.close();
        }
    }
}
