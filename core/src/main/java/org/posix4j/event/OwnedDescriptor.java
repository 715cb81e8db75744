package org.posix4j.event;

import org.posix4j.PosixException;
import org.posix4j.io.Fd;

/// What [EventFd] and [TimerFd] share: an owned, close-on-exec descriptor that event loops poll.
abstract sealed class OwnedDescriptor implements AutoCloseable permits EventFd, TimerFd {
    /// The descriptor, closed by [#close()].
    final Fd fd;

    OwnedDescriptor(Fd fd) {
        this.fd = fd;
    }

    /// A borrowed view of the descriptor, for polling it; closing the view does not close this.
    ///
    /// @throws IllegalStateException if this was closed
    public Fd fd() {
        return Fd.borrow(fd.intValue());
    }

    /// The descriptor number, for a [PollCell] or an [EpollSelector] registration.
    ///
    /// @throws IllegalStateException if this was closed
    public int intValue() {
        return fd.intValue();
    }

    /// Whether [#close()] has not been called yet.
    public boolean isOpen() {
        return fd.isOpen();
    }

    /// Closes the descriptor exactly once (for a timer, this also stops it); later calls do
    /// nothing.
    ///
    /// @throws PosixException if close(2) reports an error
    @Override
    public void close() throws PosixException {
        fd.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + fd + "]";
    }
}
