package org.posix4j.systemd;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.posix4j.PosixException;
import org.posix4j.process.CurrentProcess;
import org.posix4j.process.Environment;

/// Keeps the service manager's watchdog fed: a daemon thread that sends `WATCHDOG=1` every
/// period until [#close()].
///
/// systemd sets `WATCHDOG_USEC` (and `WATCHDOG_PID`) when the unit has `WatchdogSec=`; a service
/// that does not ping within that time is considered hung. [#startFromEnvironment()] pings at half
/// that interval, as sd_watchdog_enabled(3) recommends.
///
/// Thread safety: all methods may be called from any thread.
public final class Watchdog implements AutoCloseable {
    /// The watchdog timeout in microseconds, set by the service manager.
    public static final String WATCHDOG_USEC = "WATCHDOG_USEC";
    /// The pid the watchdog timeout is meant for, set by the service manager.
    public static final String WATCHDOG_PID = "WATCHDOG_PID";

    private final SystemdNotify target;
    private final boolean ownsTarget;
    private final Duration period;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicLong pings = new AtomicLong();
    private final AtomicReference<PosixException> lastFailure = new AtomicReference<>();
    private final Thread thread;

    private Watchdog(SystemdNotify target, boolean ownsTarget, Duration period) {
        this.target = target;
        this.ownsTarget = ownsTarget;
        this.period = period;
        this.thread = Thread.ofPlatform().daemon().name("systemd-watchdog").unstarted(this::run);
        thread.start();
    }

    /// The watchdog timeout the service manager asks for: sd_watchdog_enabled(3). Empty when
    /// `WATCHDOG_USEC` is not set, or `WATCHDOG_PID` is set to another process's pid. With
    /// `unsetEnvironment`, both variables are removed from the real environment in any case.
    ///
    /// @throws IllegalStateException if `WATCHDOG_USEC` or `WATCHDOG_PID` is not a positive number
    public static Optional<Duration> timeout(boolean unsetEnvironment) {
        Optional<String> usec = Environment.get(WATCHDOG_USEC);
        Optional<String> pid = Environment.get(WATCHDOG_PID);
        if (unsetEnvironment) {
            Environment.unset(WATCHDOG_USEC);
            Environment.unset(WATCHDOG_PID);
        }
        if (usec.isEmpty()) {
            return Optional.empty();
        }
        long micros = positive(WATCHDOG_USEC, usec.get());
        if (pid.isPresent() && positive(WATCHDOG_PID, pid.get()) != CurrentProcess.pid()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(micros * 1_000L));
    }

    /// Starts pinging `NOTIFY_SOCKET` at half the [#timeout(boolean)], through a notifier the
    /// watchdog owns and closes. Empty when there is no watchdog for this process or no
    /// `NOTIFY_SOCKET`. Leaves the environment as it is.
    ///
    /// @throws IllegalStateException if `WATCHDOG_USEC` or `WATCHDOG_PID` is malformed
    /// @throws IllegalArgumentException if `NOTIFY_SOCKET` is malformed
    /// @throws PosixException with socket(2)'s errno
    public static Optional<Watchdog> startFromEnvironment() throws PosixException {
        Optional<Duration> timeout = timeout(false);
        if (timeout.isEmpty()) {
            return Optional.empty();
        }
        Optional<SystemdNotify> target = SystemdNotify.fromEnvironment(false);
        return target.map(t -> new Watchdog(t, true, timeout.get().dividedBy(2)));
    }

    /// Starts sending `WATCHDOG=1` through `target` now and then every `period`. The watchdog
    /// does not close `target`.
    ///
    /// @throws IllegalArgumentException if `period` is not positive
    public static Watchdog start(SystemdNotify target, Duration period) {
        if (target == null) {
            throw new IllegalArgumentException("target is null");
        }
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return new Watchdog(target, false, period);
    }

    /// The time between two pings.
    public Duration period() {
        return period;
    }

    /// How many pings were sent so far.
    public long pings() {
        return pings.get();
    }

    /// The error of the last ping that failed (the pinger keeps trying), if any.
    public Optional<PosixException> lastFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    /// Stops pinging and waits for the thread to end; closes the notifier when the watchdog
    /// opened it. Later calls do nothing.
    ///
    /// @throws PosixException with close(2)'s errno
    @Override
    public void close() throws PosixException {
        stop.countDown();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (ownsTarget) {
            target.close();
        }
    }

    private void run() {
        try {
            do {
                try {
                    target.watchdog();
                    pings.incrementAndGet();
                } catch (PosixException e) {
                    lastFailure.set(e);
                }
            } while (!stop.await(period.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long positive(String variable, String value) {
        try {
            long n = Long.parseLong(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the variable's name
        }
        throw new IllegalStateException(variable + " is not a positive number: " + value);
    }
}
