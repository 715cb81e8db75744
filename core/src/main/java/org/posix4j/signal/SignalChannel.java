package org.posix4j.signal;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SignalH;
import org.posix4j.internal.SyscallH;
import org.posix4j.internal.Syscalls;
import org.posix4j.internal.UnistdH;
import org.posix4j.io.Fd;
import org.posix4j.io.Pipe;

/// Signals delivered as events: slimta's signalfd helpers, done the way a JVM allows.
///
/// ```java
/// try (SignalChannel signals = SignalChannel.open(SignalSet.of("SIGHUP", "SIGINT", "SIGTERM"))) {
///     while (true) {
///         SignalEvent e = signals.read();
///         if (e.is(Signal.HUP)) reloadConfig();
///         else break;                                  // SIGINT or SIGTERM: leave, then exit
///     }
/// }
/// ```
///
/// slimta's sequence `mask = signalfd.mask({...})`, `signalfd.sigprocmask("block", mask)`,
/// `sfd = signalfd.new()`, `sfd:setmask(mask)` is [#open(SignalSet)] with
/// [SignalSet#of(String...)]; `sig, sender_pid = sfd:read()` is [#read()], whose
/// [SignalEvent#name()] and [SignalEvent#senderPid()] are `sig` and `sender_pid`.
///
/// Each signal reaches the channel in one of two ways, chosen when the channel opens (the
/// package documentation explains why):
///
/// - **signalfd(2)**, for the signals every thread of the process blocks ([#viaSignalfd()]).
///   A thread of the channel reads them and the events carry the kernel's `siginfo`: sender pid
///   and uid, sigqueue value, `si_code`. Real-time signals are received only this way. Neither the
///   disposition nor any mask changes; after [#close()] the signals stay blocked and pending, as
///   they were before the channel opened.
/// - **the JVM's signal handler** (`sun.misc.Signal`) for the others ([#viaJvmHandler()]). The
///   channel installs a Java handler and [#close()] puts back exactly what was there: the default
///   action, SIG_IGN, the JVM's shutdown handler, HotSpot's own SIGPIPE handler. The events carry
///   the signal number only.
///
/// **SIGINT, SIGTERM, SIGHUP and the JVM's shutdown.** The JVM handles these three itself by
/// running its shutdown hooks and exiting with 128 + N. While a channel delivers one of them that
/// no longer happens: Ctrl-C becomes an event, and the application decides whether and how to exit
/// (`System.exit` still runs the hooks). [#close()] gives the signal back to the JVM's handler.
/// With `-Xrs` the JVM refuses Java handlers for them (open fails naming the reason), and then,
/// if the JVM was started with them blocked, they come through signalfd instead.
///
/// Refused, with an [IllegalArgumentException] naming the reason: SIGKILL and SIGSTOP (never
/// catchable); SIGSEGV, SIGBUS, SIGFPE and SIGILL (the JVM's fault handling), SIGQUIT (thread
/// dumps), SIGUSR2 or the number in `_JAVA_SR_SIGNUM` (the JVM suspends threads with it), SIGRTMAX-2
/// (the JDK interrupts blocking I/O with it); a real-time signal not blocked in every thread.
///
/// A signal belongs to one open channel at a time. Standard signals that arrive while one of the
/// same number is still pending are merged by the kernel; real-time signals queue. A channel that
/// is never closed keeps its signals, its descriptors and its reader thread until the JVM exits.
///
/// Thread safety: any number of threads may read, poll and close concurrently; each event is
/// read by exactly one reader. [#close()] wakes blocked readers, which then throw
/// [ClosedChannelException].
public final class SignalChannel implements Closeable {
    private static final Object REGISTRY = new Object();
    private static long taken;

    private static final long SHUTDOWN_SIGNALS = SignalSet.of(Signal.HUP, Signal.INT, Signal.TERM).kernelMask();
    private static final int NIO_INTERRUPT_SIGNAL = Signal.SIGRTMAX - 2;

    private final SignalSet signals;
    private final SignalSet viaSignalfd;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<SignalEvent> queue = new ArrayDeque<>();
    private final Pipe pipe;
    private final Arena arena;
    private final MemorySegment token;
    private final List<JvmSignals.Registration> registrations = new ArrayList<>();
    private Fd signalfd;
    private Thread pump;
    private int pumpTid;
    private boolean flagged;
    private boolean closed;
    private IOException failure;

    private SignalChannel(SignalSet signals, SignalSet viaSignalfd) throws PosixException {
        this.signals = signals;
        this.viaSignalfd = viaSignalfd;
        this.pipe = Pipe.openNonBlocking();
        this.arena = Arena.ofShared();
        this.token = arena.allocate(1);
    }

    /// Opens a channel that delivers `signals`. Equivalent to slimta's `signalfd.sigprocmask("block",
    /// mask)`, `signalfd.new()` and `sfd:setmask(mask)` together.
    ///
    /// @throws NullPointerException if `signals` is null
    /// @throws IllegalArgumentException naming the signal and the reason if `signals` is empty,
    ///     holds a signal that cannot be caught or that the JVM keeps for itself, or a real-time
    ///     signal not blocked in every thread; also when the JVM refuses a signal (SIGINT, SIGTERM
    ///     and SIGHUP under `-Xrs`)
    /// @throws IllegalStateException if another open channel delivers one of `signals`, or if
    ///     SIGHUP, SIGINT or SIGTERM is ignored (as under `nohup`): the JVM then does not install a
    ///     handler for it
    /// @throws UnsupportedOperationException if a signal needs the JVM's handler and module
    ///     `jdk.unsupported` is missing from the runtime
    /// @throws PosixException EMFILE or ENFILE when descriptors run out
    public static SignalChannel open(SignalSet signals) throws PosixException {
        Objects.requireNonNull(signals, "signals");
        if (signals.isEmpty()) {
            throw new IllegalArgumentException("signals is empty");
        }
        for (int n : signals.numbers()) {
            String reason = refusal(n);
            if (reason != null) {
                throw new IllegalArgumentException("signals: " + Signal.nameOf(n) + " " + reason);
            }
        }
        synchronized (REGISTRY) {
            long clash = taken & signals.kernelMask();
            if (clash != 0) {
                throw new IllegalStateException("signals: " + SignalSet.fromKernelMask(clash)
                        + " already delivered to an open SignalChannel");
            }
            SignalSet blocked = signals.intersection(blockedInThisThread());
            if (!blocked.isEmpty()) {
                blocked = blocked.intersection(blockedInEveryThread());
            }
            SignalSet viaJvm = signals.minus(blocked);
            for (int n : viaJvm.numbers()) {
                if (n >= Signal.SIGRTMIN) {
                    throw new IllegalArgumentException("signals: " + Signal.nameOf(n) + " can be received only when"
                            + " every thread blocks it (start the JVM with it blocked), because the JVM's signal"
                            + " handler API knows no real-time signals; " + blockedReason());
                }
                if ((SHUTDOWN_SIGNALS & (1L << (n - 1))) != 0 && isIgnored(n)) {
                    throw new IllegalStateException("signals: " + Signal.nameOf(n) + " is ignored in this process"
                            + " (SIG_IGN, as under nohup), and the JVM installs no handler for an ignored shutdown"
                            + " signal");
                }
            }
            SignalChannel channel = new SignalChannel(signals, blocked);
            try {
                channel.start(viaJvm);
            } catch (PosixException | RuntimeException e) {
                try {
                    channel.close();
                } catch (PosixException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            taken |= signals.kernelMask();
            return channel;
        }
    }

    /// [#open(SignalSet)] for `signals`.
    ///
    /// @throws IllegalArgumentException as [#open(SignalSet)]
    /// @throws IllegalStateException as [#open(SignalSet)]
    /// @throws PosixException EMFILE or ENFILE when descriptors run out
    public static SignalChannel open(Signal... signals) throws PosixException {
        return open(SignalSet.of(signals));
    }

    /// Why the channel cannot take signal `n`, or null.
    private static String refusal(int n) {
        if (n == Signal.KILL.number() || n == Signal.STOP.number()) {
            return "cannot be caught, blocked or ignored";
        }
        if (n == Signal.SEGV.number() || n == Signal.BUS.number() || n == Signal.FPE.number()
                || n == Signal.ILL.number()) {
            return "is reserved by the JVM, which handles it for implicit null checks, stack overflow and"
                    + " memory-mapped file errors";
        }
        if (n == Signal.QUIT.number()) {
            return "is reserved by the JVM, which prints a thread dump on it (Ctrl-\\, jstack)";
        }
        if (n == suspendResumeSignal()) {
            return "is reserved by the JVM, which suspends and resumes threads with it (SR_signum, set by"
                    + " _JAVA_SR_SIGNUM)";
        }
        if (n == NIO_INTERRUPT_SIGNAL) {
            return "(SIGRTMAX-2) is reserved by the JDK, which interrupts threads blocked in I/O with it";
        }
        return null;
    }

    /// HotSpot's SR_signum: SIGUSR2 unless `_JAVA_SR_SIGNUM` names a signal above SIGSEGV.
    private static int suspendResumeSignal() {
        String s = System.getenv("_JAVA_SR_SIGNUM");
        if (s != null) {
            try {
                int n = Integer.parseInt(s.strip());
                if (n > Signal.SEGV.number() && n <= Signal.SIGRTMAX) {
                    return n;
                }
            } catch (NumberFormatException e) {
                return Signal.USR2.number();
            }
        }
        return Signal.USR2.number();
    }

    private static String blockedReason() {
        return Syscalls.CURRENT.known() ? "see SigBlk in /proc/self/task/*/status"
                : "and signalfd delivery needs gettid, whose number is unknown on " + Syscalls.CURRENT.arch();
    }

    /// The signals the calling thread blocks: pthread_sigmask(3). A signal it does not block is
    /// not blocked in every thread, and then /proc need not be read (a relay opening its
    /// channels one signal at a time read every thread's status file for each).
    private static SignalSet blockedInThisThread() {
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(SignalH.SIGSET);
            Libc.checkReturned(SignalH.PTHREAD_SIGMASK.call(errno, SignalH.SIG_BLOCK, 0L, set.address()),
                    "pthread_sigmask", "SIG_BLOCK");
            return SignalSet.fromKernelMask(set.get(JAVA_LONG, 0));
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// The signals blocked in every thread of the process, from the `SigBlk` line of each
    /// `/proc/self/task/TID/status`. A thread created later inherits its creator's mask, so the
    /// answer stays true unless some code unblocks a signal on purpose.
    private static SignalSet blockedInEveryThread() {
        if (!Syscalls.CURRENT.known()) {
            return SignalSet.empty();
        }
        long all = -1L;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("SigBlk:")) {
                            all &= Long.parseUnsignedLong(line.substring(7).strip(), 16);
                        }
                    }
                } catch (NoSuchFileException ended) {
                    // The thread ended while we listed: its mask no longer matters.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/task (is /proc mounted?): " + e, e);
        }
        return SignalSet.fromKernelMask(all & ~((1L << 31) | (1L << 32)));
    }

    private static boolean isIgnored(int n) {
        MemorySegment errno = Libc.errnoSlot();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment old = a.allocate(SignalH.SIGACTION_T);
            int r = SignalH.SIGACTION.call(errno, n, 0L, old.address());
            Libc.check(r, errno, "sigaction", Signal.nameOf(n));
            return ((MemorySegment) SignalH.SA_HANDLER.get(old, 0L)).address() == SignalH.SIG_IGN;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    private void start(SignalSet viaJvm) throws PosixException {
        for (int n : viaJvm.numbers()) {
            try {
                registrations.add(JvmSignals.install(n, () -> deliver(SignalEvent.of(n))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("signals: the JVM refused " + Signal.nameOf(n) + " (" + e.getMessage()
                        + "); it refuses SIGHUP, SIGINT and SIGTERM when started with -Xrs", e);
            }
        }
        if (viaSignalfd.isEmpty()) {
            return;
        }
        MemorySegment errno = Libc.errnoSlot();
        int fd;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mask = a.allocate(SignalH.SIGSET);
            SignalH.fill(mask, viaSignalfd.kernelMask());
            fd = SignalH.SIGNALFD.call(errno, -1, mask.address(), SignalH.SFD_CLOEXEC);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        signalfd = Fd.adopt(Libc.check(fd, errno, "signalfd", viaSignalfd.toString()));
        CountDownLatch started = new CountDownLatch(1);
        pump = Thread.ofPlatform().daemon().name("posix4j-signalfd " + viaSignalfd)
                .start(() -> pump(started));
        boolean interrupted = false;
        while (true) {
            try {
                started.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /// The signalfd reader: moves each signal into the queue until [#close()] wakes it with a
    /// tgkill(2) of its own.
    private void pump(CountDownLatch started) {
        int self;
        MemorySegment errno = Libc.errnoSlot();
        try {
            pumpTid = (int) SyscallH.SYSCALL.call(errno, Syscalls.CURRENT.gettid(), 0L);
            self = (int) UnistdH.GETPID.invokeExact();
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        } finally {
            started.countDown();
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment info = a.allocate(SignalH.SIGNALFD_SIGINFO);
            while (true) {
                signalfd.read(info);
                SignalEvent event = event(info);
                if (event.code().orElse(0) == SignalH.SI_TKILL && event.senderPid().orElse(0) == self && isClosed()) {
                    return;
                }
                deliver(event);
            }
        } catch (PosixException e) {
            lock.lock();
            try {
                failure = e;
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private static SignalEvent event(MemorySegment info) {
        int signo = (int) SignalH.SSI_SIGNO.get(info, 0L);
        int code = (int) SignalH.SSI_CODE.get(info, 0L);
        boolean child = signo == Signal.CHLD.number() && code >= SignalH.CLD_EXITED && code <= SignalH.CLD_CONTINUED;
        boolean sender = child || code == SignalH.SI_USER || code == SignalH.SI_QUEUE || code == SignalH.SI_TKILL
                || code == SignalH.SI_MESGQ;
        boolean value = code == SignalH.SI_QUEUE || code == SignalH.SI_TIMER || code == SignalH.SI_MESGQ;
        OptionalInt none = OptionalInt.empty();
        return new SignalEvent(signo, OptionalInt.of(code),
                sender ? OptionalInt.of((int) SignalH.SSI_PID.get(info, 0L)) : none,
                sender ? OptionalInt.of((int) SignalH.SSI_UID.get(info, 0L)) : none,
                value ? OptionalInt.of((int) SignalH.SSI_INT.get(info, 0L)) : none);
    }

    private void deliver(SignalEvent event) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            queue.add(event);
            if (!flagged) {
                pipe.writeEnd().write(token);
                flagged = true;
            }
            arrived.signalAll();
        } catch (PosixException e) {
            failure = e;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /// Takes the oldest event; the caller holds the lock and has seen the queue non-empty. The
    /// pipe holds one byte exactly while the queue is non-empty, so [#fd()] polls readable then.
    private SignalEvent take() throws PosixException {
        SignalEvent e = queue.poll();
        if (queue.isEmpty() && flagged) {
            pipe.readEnd().read(token);
            flagged = false;
        }
        return e;
    }

    private void ensureUsable() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (failure != null) {
            throw new IOException("the signal channel failed: " + failure.getMessage(), failure);
        }
    }

    /// The signals this channel delivers.
    public SignalSet signals() {
        return signals;
    }

    /// The signals this channel receives through signalfd(2), with sender and value: those
    /// blocked in every thread when it opened.
    public SignalSet viaSignalfd() {
        return viaSignalfd;
    }

    /// The signals this channel receives through the JVM's signal handler, as a number only.
    public SignalSet viaJvmHandler() {
        return signals.minus(viaSignalfd);
    }

    /// Waits for the next signal and answers it. Equivalent to slimta's `sfd:read()`.
    ///
    /// @throws InterruptedException if the thread is interrupted while waiting
    /// @throws ClosedChannelException if the channel is or gets closed
    /// @throws IOException if the channel failed (reading its signalfd failed)
    public SignalEvent read() throws IOException, InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty()) {
                ensureUsable();
                arrived.await();
            }
            return take();
        } finally {
            lock.unlock();
        }
    }

    /// Waits at most `timeout` for the next signal; empty when none came in time. A zero
    /// timeout only looks.
    ///
    /// @throws IllegalArgumentException if `timeout` is negative
    /// @throws InterruptedException if the thread is interrupted while waiting
    /// @throws ClosedChannelException if the channel is or gets closed
    /// @throws IOException if the channel failed
    public Optional<SignalEvent> read(Duration timeout) throws IOException, InterruptedException {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty()) {
                ensureUsable();
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = arrived.awaitNanos(nanos);
            }
            return Optional.of(take());
        } finally {
            lock.unlock();
        }
    }

    /// The next signal if one is pending, without waiting: what to call when [#fd()] polls
    /// readable.
    ///
    /// @throws ClosedChannelException if the channel is closed
    /// @throws IOException if the channel failed
    public Optional<SignalEvent> tryRead() throws IOException {
        lock.lock();
        try {
            if (queue.isEmpty()) {
                ensureUsable();
                return Optional.empty();
            }
            return Optional.of(take());
        } finally {
            lock.unlock();
        }
    }

    /// A descriptor that polls readable (POLLIN, EPOLLIN) exactly while events are pending, so the
    /// channel can join a poll(2) or epoll(7) loop; call [#tryRead()] when it is. It is a borrowed
    /// view of the read end of a pipe the channel owns: do not read it, and do not use the number
    /// after [#close()].
    ///
    /// @throws IllegalStateException if the channel is closed
    public Fd fd() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the signal channel is closed");
            }
            return Fd.borrow(pipe.readEnd().intValue());
        } finally {
            lock.unlock();
        }
    }

    /// Closes the channel: puts back the handlers it replaced, stops its signalfd reader, discards
    /// the events not read yet, wakes blocked readers, and releases the signals for another
    /// channel. Later calls do nothing. A signal that arrives while the channel closes may be lost.
    ///
    /// @throws PosixException if closing a descriptor fails
    @Override
    public void close() throws PosixException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        synchronized (REGISTRY) {
            try {
                release();
            } finally {
                taken &= ~signals.kernelMask();
            }
        }
    }

    /// Undoes [#start]: restores handlers, stops the reader, closes the descriptors.
    private void release() throws PosixException {
        for (int i = registrations.size() - 1; i >= 0; i--) {
            JvmSignals.restore(registrations.get(i));
        }
        registrations.clear();
        try {
            if (pump != null) {
                stopPump();
            }
        } finally {
            try {
                if (signalfd != null) {
                    signalfd.close();
                }
            } finally {
                try {
                    pipe.close();
                } finally {
                    arena.close();
                }
            }
        }
    }

    private void stopPump() throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        int r;
        try {
            int self = (int) UnistdH.GETPID.invokeExact();
            r = SignalH.TGKILL.call(errno, self, pumpTid, viaSignalfd.numbers()[0]);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        if (r < 0 && Libc.errno(errno) != Errno.ESRCH.number()) {
            throw new PosixException("tgkill", Libc.errno(errno), "signalfd reader " + pumpTid);
        }
        boolean interrupted = false;
        while (true) {
            try {
                pump.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SignalChannel[" + signals + (viaSignalfd.isEmpty() ? "" : ", via signalfd " + viaSignalfd)
                + (isClosed() ? ", closed" : "") + "]";
    }
}
