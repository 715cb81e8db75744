package org.posix4j.internal;

/// Waiting for the short-lived platform threads the library starts for one native call.
public final class Threads {
    private Threads() {}

    /// Waits until `thread` ends, however often this thread is interrupted meanwhile (the
    /// thread being waited for holds a native call's outcome, which must not be abandoned), and
    /// then restores this thread's interrupt status if it was interrupted.
    public static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        for (;;) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
