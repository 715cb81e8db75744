package org.posix4j.spawn;

import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import org.posix4j.PosixException;
import org.posix4j.event.EventFd;

/// A poll(2) on a pidfd that `Thread.interrupt()` can end, as the JDK's own blocking channel
/// operations can: between `begin()` and `end()` an interrupt closes this channel, and closing
/// it makes an eventfd, polled along with the pidfd, readable. One per wait.
final class InterruptibleWait extends AbstractInterruptibleChannel {
    private final EventFd wake;

    /// @throws PosixException EMFILE when no descriptor is left for the eventfd
    InterruptibleWait() throws PosixException {
        this.wake = EventFd.open();
    }

    /// Waits until `pidfd` is readable (the process ended) or `timeoutMillis` passed (-1: no
    /// limit); answers whether it is readable.
    ///
    /// @throws InterruptedException if the thread is or gets interrupted; its interrupt status
    ///     is then cleared, as `InterruptedException` promises
    boolean await(int pidfd, long timeoutMillis, MemorySegment pollfds) throws InterruptedException {
        boolean readable = false;
        try {
            begin();
            readable = Calls.pollFirst(pidfd, wake.intValue(), timeoutMillis, pollfds);
        } finally {
            try {
                end(true);
            } catch (ClosedByInterruptException e) {
                Thread.interrupted();
                throw new InterruptedException("interrupted while waiting for a child");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return readable;
    }

    /// Called by `close()`, and by the JDK when the waiting thread is interrupted.
    @Override
    protected void implCloseChannel() throws PosixException {
        wake.signal();
    }

    /// Closes the eventfd; the wait must be over.
    ///
    /// @throws PosixException if close(2) fails
    void release() throws PosixException {
        wake.close();
    }
}
