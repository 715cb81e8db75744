package org.posix4j;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.PrctlH;
import org.posix4j.internal.SyscallH;
import org.posix4j.internal.Syscalls;
import org.posix4j.internal.UnistdH;

/// Probes for the optional kernel and libc features posix4j uses, each computed on first use by
/// trying the feature for real (not by comparing version numbers), and kept.
///
/// A missing feature disables what needs it, with the reason in [Feature#reason()]; the rest of
/// the library is unaffected.
///
/// Thread safety: safe from any thread. A probe runs once, unless it failed for want of a
/// descriptor or of memory: then it runs again the next time the feature is asked for.
public final class Features {
    private Features() {}

    private static final Memo PIDFD = new Memo(Features::probePidfd);
    private static final Memo CLOSE_RANGE = new Memo(Features::probeCloseRange);
    private static final Memo OPENAT2 = new Memo(Features::probeOpenat2);
    private static final Memo IOPRIO = new Memo(Features::probeIoprio);
    private static final Memo SECCOMP_USER_NOTIF = new Memo(Features::probeSeccompUserNotif);
    private static final Memo LISTENER = new Memo(Features::probeListenerFlags);

    /// What a probe found, and whether that is final. A failure for want of a descriptor or of
    /// memory (EMFILE, ENFILE, ENOMEM, EAGAIN, EINTR) says nothing about the kernel, so the probe
    /// runs again the next time the feature is asked for instead of disabling it for good.
    private record Outcome(Feature[] features, boolean settled) {
        static Outcome of(Feature... features) {
            return new Outcome(features, true);
        }

        static Outcome failed(String name, String what, int errno) {
            boolean passing = errno == 24 || errno == 23 || errno == 12 || errno == 11 || errno == 4;
            return new Outcome(new Feature[] {Feature.no(name, what + ": " + errnoText(errno))}, !passing);
        }
    }

    /// One probe's settled answer, computed at most once; unsettled answers are not kept.
    private static final class Memo {
        private final Supplier<Outcome> probe;
        private volatile Feature[] settled;

        Memo(Supplier<Outcome> probe) {
            this.probe = probe;
        }

        boolean isSettled() {
            return settled != null;
        }

        Feature[] get() {
            Feature[] known = settled;
            if (known != null) {
                return known;
            }
            synchronized (this) {
                if (settled != null) {
                    return settled;
                }
                Outcome outcome = probe.get();
                if (outcome.settled()) {
                    settled = outcome.features();
                }
                return outcome.features();
            }
        }
    }

    /// pidfd_open(2) and friends (Linux 5.3+): race-free process handles.
    public static Feature pidfd() {
        return PIDFD.get()[0];
    }

    /// close_range(2) (Linux 5.9+): closing every descriptor above a number in one call.
    public static Feature closeRange() {
        return CLOSE_RANGE.get()[0];
    }

    /// openat2(2) (Linux 5.6+): path resolution with RESOLVE_* containment.
    public static Feature openat2() {
        return OPENAT2.get()[0];
    }

    /// ioprio_get(2)/ioprio_set(2) (Linux 2.6.13+ on most architectures).
    public static Feature ioprio() {
        return IOPRIO.get()[0];
    }

    /// Seccomp user notification, SECCOMP_RET_USER_NOTIF (Linux 5.0+): the broker's slave end.
    public static Feature seccompUserNotification() {
        return SECCOMP_USER_NOTIF.get()[0];
    }

    /// SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6+): the fast notification round trip.
    public static Feature seccompSyncWakeUp() {
        return LISTENER.get()[0];
    }

    /// SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (Linux 5.19+): notified calls are not replayed
    /// when a signal arrives.
    public static Feature seccompWaitKillableRecv() {
        return LISTENER.get()[1];
    }

    /// posix_fadvise(2) in libc. `Netsys_posix.have_fadvise`.
    public static Feature fadvise() {
        return symbol("fadvise", "posix_fadvise");
    }

    /// posix_fallocate(3) in libc. `Netsys_posix.have_fallocate`.
    public static Feature fallocate() {
        return symbol("fallocate", "posix_fallocate");
    }

    /// mallinfo2(3) in libc (glibc 2.33+): the malloc statistics behind Prosody's `meminfo`.
    public static Feature mallinfo2() {
        return symbol("mallinfo2", "mallinfo2");
    }

    /// Every feature by name, in a stable order.
    public static Map<String, Feature> all() {
        Map<String, Feature> all = new LinkedHashMap<>();
        for (Feature f : new Feature[] {seccompUserNotification(), seccompSyncWakeUp(), seccompWaitKillableRecv(),
                pidfd(), closeRange(), openat2(), ioprio(), fadvise(), fallocate(), mallinfo2()}) {
            all.put(f.name(), f);
        }
        return all;
    }

    private static Feature symbol(String name, String symbol) {
        return Libc.has(symbol)
                ? Feature.yes(name, "libc exports " + symbol)
                : Feature.no(name, "libc does not export " + symbol);
    }

    private static String unknownArch() {
        return "no system call numbers for architecture " + Syscalls.CURRENT.arch();
    }

    private static String errnoText(int errno) {
        return Errno.of(errno).map(e -> e.name() + " (" + e.description() + ")").orElse("errno " + errno);
    }

    private static long syscall(long number, long a1, long a2, long a3, long a4) {
        MemorySegment errno = Libc.errnoSlot();
        try {
            long r = SyscallH.SYSCALL.call(errno, number, a1, a2, a3, a4);
            return r < 0 ? -Libc.errno(errno) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    private static void close(long fd) {
        try {
            int ignored = UnistdH.CLOSE.call(Libc.errnoSlot(), (int) fd);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    private static Outcome probePidfd() {
        String name = "pidfd";
        if (!Syscalls.CURRENT.known()) {
            return Outcome.of(Feature.no(name, unknownArch()));
        }
        long fd = syscall(Syscalls.CURRENT.pidfdOpen(), ProcessHandle.current().pid(), 0, 0, 0);
        if (fd < 0) {
            return Outcome.failed(name, "pidfd_open failed", (int) -fd);
        }
        close(fd);
        return Outcome.of(Feature.yes(name, "pidfd_open works"));
    }

    private static Outcome probeCloseRange() {
        String name = "close_range";
        if (!Syscalls.CURRENT.known()) {
            return Outcome.of(Feature.no(name, unknownArch()));
        }
        long r = syscall(Syscalls.CURRENT.closeRange(), 0xffff_ffffL, 0xffff_ffffL, 0, 0);
        return r == 0
                ? Outcome.of(Feature.yes(name, "close_range works"))
                : Outcome.failed(name, "close_range failed", (int) -r);
    }

    private static Outcome probeOpenat2() {
        String name = "openat2";
        if (!Syscalls.CURRENT.known()) {
            return Outcome.of(Feature.no(name, unknownArch()));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment how = arena.allocate(JAVA_LONG, 3);
            how.setAtIndex(JAVA_LONG, 0, FcntlH.O_PATH | FcntlH.O_CLOEXEC);
            MemorySegment root = arena.allocateFrom("/");
            long fd = syscall(Syscalls.CURRENT.openat2(), FcntlH.AT_FDCWD, root.address(), how.address(), how.byteSize());
            if (fd < 0) {
                return Outcome.failed(name, "openat2 failed", (int) -fd);
            }
            close(fd);
            return Outcome.of(Feature.yes(name, "openat2 works"));
        }
    }

    private static Outcome probeIoprio() {
        String name = "ioprio";
        if (!Syscalls.CURRENT.known()) {
            return Outcome.of(Feature.no(name, unknownArch()));
        }
        long r = syscall(Syscalls.CURRENT.ioprioGet(), 1, 0, 0, 0);
        return r >= 0
                ? Outcome.of(Feature.yes(name, "ioprio_get works"))
                : Outcome.failed(name, "ioprio_get failed", (int) -r);
    }

    private static Outcome probeSeccompUserNotif() {
        String name = "seccomp_user_notif";
        if (!Syscalls.CURRENT.known()) {
            return Outcome.of(Feature.no(name, unknownArch()));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment action = arena.allocateFrom(JAVA_INT, PrctlH.SECCOMP_RET_USER_NOTIF);
            long r = syscall(Syscalls.CURRENT.seccomp(), PrctlH.SECCOMP_GET_ACTION_AVAIL, 0, action.address(), 0);
            return r == 0
                    ? Outcome.of(Feature.yes(name, "SECCOMP_RET_USER_NOTIF is available"))
                    : Outcome.failed(name, "SECCOMP_GET_ACTION_AVAIL refused SECCOMP_RET_USER_NOTIF", (int) -r);
        }
    }

    /// Installs an allow-everything filter with a listener on a short-lived thread of its own (the
    /// filter dies with that thread; no other thread is touched), then asks the listener for the
    /// flags. Answers [sync wake-up, wait-killable-recv].
    private static Outcome probeListenerFlags() {
        String sync = "seccomp_sync_wake_up";
        String killable = "seccomp_wait_killable_recv";
        Feature notif = seccompUserNotification();
        if (!notif.available()) {
            String why = "needs seccomp user notification: " + notif.reason();
            return new Outcome(new Feature[] {Feature.no(sync, why), Feature.no(killable, why)},
                    SECCOMP_USER_NOTIF.isSettled());
        }
        AtomicReference<Outcome> result = new AtomicReference<>();
        Thread probe = Thread.ofPlatform().name("posix4j-seccomp-probe").unstarted(
                () -> result.set(listenerFlagsOnThisThread(sync, killable)));
        probe.start();
        try {
            probe.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            String why = "probe interrupted";
            return new Outcome(new Feature[] {Feature.no(sync, why), Feature.no(killable, why)}, false);
        }
        return result.get();
    }

    private static Outcome listenerFlagsOnThisThread(String sync, String killable) {
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            int r = PrctlH.PRCTL.call(errno, PrctlH.PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L);
            if (r < 0) {
                String why = "PR_SET_NO_NEW_PRIVS failed: " + errnoText(Libc.errno(errno));
                return Outcome.of(Feature.no(sync, why), Feature.no(killable, why));
            }
            MemorySegment insn = arena.allocate(PrctlH.SOCK_FILTER);
            insn.set(JAVA_SHORT, 0, PrctlH.BPF_RET_K);
            insn.set(JAVA_INT, 4, PrctlH.SECCOMP_RET_ALLOW);
            MemorySegment prog = arena.allocate(PrctlH.SOCK_FPROG);
            prog.set(JAVA_SHORT, 0, (short) 1);
            prog.set(ADDRESS, 8, insn);
            long seccomp = Syscalls.CURRENT.seccomp();
            long flags = PrctlH.SECCOMP_FILTER_FLAG_NEW_LISTENER | PrctlH.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
            long listener = syscall(seccomp, PrctlH.SECCOMP_SET_MODE_FILTER, flags, prog.address(), 0);
            Feature waitKillable;
            if (listener >= 0) {
                waitKillable = Feature.yes(killable, "the kernel accepts SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
            } else {
                waitKillable = Feature.no(killable, "seccomp refused SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: "
                        + errnoText((int) -listener));
                listener = syscall(seccomp, PrctlH.SECCOMP_SET_MODE_FILTER,
                        PrctlH.SECCOMP_FILTER_FLAG_NEW_LISTENER, prog.address(), 0);
            }
            if (listener < 0) {
                Outcome failed = Outcome.failed(sync, "installing a filter with a listener failed", (int) -listener);
                return new Outcome(new Feature[] {failed.features()[0], waitKillable}, failed.settled());
            }
            int set = FcntlH.IOCTL.call(errno, (int) listener,
                    PrctlH.SECCOMP_IOCTL_NOTIF_SET_FLAGS, PrctlH.SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
            Feature syncWake = set == 0
                    ? Feature.yes(sync, "the listener accepts SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP")
                    : Feature.no(sync, "SECCOMP_IOCTL_NOTIF_SET_FLAGS failed: " + errnoText(Libc.errno(errno)));
            close(listener);
            return Outcome.of(syncWake, waitKillable);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }
}
