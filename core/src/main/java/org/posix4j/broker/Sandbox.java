package org.posix4j.broker;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.posix4j.Features;
import org.posix4j.PosixException;
import org.posix4j.event.EventFd;
import org.posix4j.internal.BrokerFilter;
import org.posix4j.internal.BrokerSyscalls;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.PrctlH;
import org.posix4j.internal.SchedH;
import org.posix4j.internal.SpawnAccess;
import org.posix4j.internal.SyscallH;
import org.posix4j.internal.Syscalls;
import org.posix4j.internal.Threads;
import org.posix4j.internal.WaitH;
import org.posix4j.io.Fd;
import org.posix4j.landlock.Landlock;
import org.posix4j.landlock.Ruleset;
import org.posix4j.process.CurrentProcess;
import org.posix4j.process.Sessions;
import org.posix4j.signal.Signal;
import org.posix4j.spawn.Child;
import org.posix4j.spawn.ExitStatus;
import org.posix4j.spawn.Spawn;

/// A program started under the broker: its brokered syscalls (the seed's file calls and their
/// aliases, readlink, connect, bind...) go to this JVM's [Master] and are never let through.
///
/// How: a throwaway platform thread sets `PR_SET_NO_NEW_PRIVS`, installs the broker's seccomp
/// filter with `SECCOMP_FILTER_FLAG_NEW_LISTENER` (and `WAIT_KILLABLE_RECV` where the kernel has
/// it) on itself, makes the posix_spawn call, and ends; the program inherits the filter, as do
/// its threads, children and whatever they exec, and no other thread of the JVM is ever filtered.
/// The listener gets `SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP` where the kernel has it. The program
/// runs in a process group of its own (a [Spawn] that keeps the JVM's group gets a new one), and
/// the files its [Spawn] redirects to are opened by this JVM before the spawn. Its environment
/// gets `POSIX4J_BROKER=1`, which makes [BrokerResolverProvider] send a Java program's name
/// lookups to the master.
///
/// Started with a [Policy] ([#start(Spawn, Policy)]), the kernel holds the program to the
/// policy's allow-lists as well: before the filter, the spawn thread restricts itself with the
/// Landlock ruleset that says the policy ([KernelRules]), which the program and everything it
/// starts inherit. In [Enforcement#BROKER] mode that ruleset is a second wall behind the broker:
/// the broker performs the program's file calls itself, so the ruleset decides only what reaches
/// the kernel in the program's name (an exec, a call a filter bug let through), and it refuses
/// those outside the allow-lists whatever the broker decided.
///
/// [docs/broker-syscalls.md] lists every syscall and what the filter does with it.
///
/// Thread safety: [#master()] and [#child()] may be used from any thread; [#serve] once.
public final class Sandbox implements AutoCloseable {
    private final Master master;
    private final Child child;
    /// The Landlock ABI kernel mode needs: TRUNCATE (ABI 3), without which an open with O_TRUNC
    /// would empty a file the program may only read.
    private static final int KERNEL_ABI = 3;
    private static final int PIDFD_THREAD = 0200;
    /// Guards [#warm], set once [#warmUp()] has run to its end.
    private static final Object WARM_UP = new Object();
    private static boolean warm;
    /// The policy whose rules the kernel enforces, `null` for none.
    private final Policy execPolicy;

    private final BrokerSyscalls.Mode mode;

    private Sandbox(Master master, Child child, Policy execPolicy, BrokerSyscalls.Mode mode) {
        this.master = master;
        this.child = child;
        this.execPolicy = execPolicy;
        this.mode = mode;
    }

    /// Starts `spawn`'s program under the broker's filter, for a raw loop over [#master()]. Its
    /// first calls (the dynamic loader's opens) wait until something receives them: [#serve] or
    /// that loop.
    ///
    /// No Landlock ruleset is applied: whatever the loop decides about an exec, a call let
    /// through is executed unchecked by the kernel, and [#execBackedByKernel()] is false.
    ///
    /// @throws UnsupportedOperationException when the kernel lacks seccomp user notification,
    ///     pidfds or openat2, or the architecture is unknown
    /// @throws PosixException as [Spawn#start()] does, or when the filter cannot be installed
    public static Sandbox start(Spawn spawn) throws PosixException {
        return launch(spawn, null, null, BrokerSyscalls.Mode.BROKER);
    }

    /// Starts `spawn`'s program under the broker's filter, to be served under `policy`; the
    /// broker enforces the file rules ([Enforcement#BROKER]), with the kernel behind it.
    ///
    /// Where the kernel has Landlock, the spawn thread sets `PR_SET_NO_NEW_PRIVS` and, before
    /// installing the filter (so that the Landlock calls are not filtered), restricts itself
    /// with the ruleset of `policy` ([KernelRules]): beneath the trees it allows, the rights of
    /// each allowance, and nothing elsewhere. What reaches the kernel in the program's name is
    /// held to it: an exec (which the kernel performs itself, see [#execBackedByKernel()]), or a
    /// call the filter would let through by mistake. For a denied path inside an allowed tree the
    /// rules go on the entries along the way (the siblings of each directory leading to it), so
    /// entries created later in those directories get no rights there: stricter than the
    /// policy, and felt only by what the kernel decides, such as executing such an entry. The
    /// rule paths are opened by the calling thread.
    ///
    /// Without Landlock (or for a dry run, which allows everything) no ruleset is applied and
    /// [#execBackedByKernel()] is false.
    ///
    /// @throws UnsupportedOperationException as [#start(Spawn)] does
    /// @throws IOException as [#start(Spawn)] does, or when a directory holding a denied path
    ///     cannot be listed, or the kernel refuses the ruleset
    public static Sandbox start(Spawn spawn, Policy policy) throws IOException {
        return start(spawn, policy, Enforcement.BROKER);
    }

    /// Starts `spawn`'s program under `policy`, its file rules enforced as `enforcement` says
    /// (see [Enforcement]). In [Enforcement#KERNEL] mode (or [Enforcement#AUTO] when it picks
    /// the kernel) the spawn thread restricts itself with the Landlock ruleset of the policy's
    /// file rules ([#kernelStricter(Policy)] says where it is stricter), and the filter lets the
    /// file calls Landlock governs through to the kernel ([Policy#hidesMetadata()] and
    /// [Policy#looksUpNames()] keep the stat family and readlink with the broker); the broker still decides network, metadata writes and
    /// signals. In broker mode the same ruleset stands behind the broker ([#start(Spawn,
    /// Policy)]). [#enforcement()] says which mode was picked.
    ///
    /// @throws IllegalArgumentException for [Enforcement#KERNEL] when the kernel cannot
    ///     enforce `policy`'s file rules exactly or more strictly: the message lists each
    ///     reason ([#kernelRefusals(Policy)]), naming the part of the policy
    /// @throws UnsupportedOperationException as [#start(Spawn)] does, or for
    ///     [Enforcement#KERNEL] on a kernel without Landlock ABI 3
    /// @throws IOException as [#start(Spawn, Policy)] does
    public static Sandbox start(Spawn spawn, Policy policy, Enforcement enforcement) throws IOException {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(enforcement, "enforcement");
        List<String> why = enforcement == Enforcement.BROKER ? List.of() : kernelRefusals(policy);
        if (enforcement == Enforcement.KERNEL && !why.isEmpty()) {
            if (Landlock.abi() < KERNEL_ABI) {
                throw new UnsupportedOperationException(String.join("; ", why));
            }
            throw new IllegalArgumentException("the kernel cannot enforce this policy exactly: "
                    + String.join("; ", why));
        }
        boolean kernel = enforcement == Enforcement.KERNEL
                || (enforcement == Enforcement.AUTO && why.isEmpty());
        if (kernel) {
            try (KernelRules rules = KernelRules.of(policy)) {
                return launch(spawn, rules.ruleset(), policy, policy.hidesMetadata() || policy.looksUpNames()
                        ? BrokerSyscalls.Mode.KERNEL_HIDING_METADATA : BrokerSyscalls.Mode.KERNEL);
            }
        }
        if (policy.isDryRun() || Landlock.abi() == 0) {
            return launch(spawn, null, null, BrokerSyscalls.Mode.BROKER);
        }
        try (KernelRules rules = KernelRules.of(policy)) {
            return launch(spawn, rules.ruleset(), policy, BrokerSyscalls.Mode.BROKER);
        }
    }

    /// Why [Enforcement#KERNEL] cannot take `policy` on this kernel, each reason naming the
    /// part of the policy; empty when it can (then [Enforcement#AUTO] picks the kernel, which
    /// may be stricter than the policy: see [#kernelStricter(Policy)]).
    public static List<String> kernelRefusals(Policy policy) {
        Objects.requireNonNull(policy, "policy");
        int abi = Landlock.abi();
        if (abi < KERNEL_ABI) {
            return List.of("Landlock ABI " + KERNEL_ABI + " or later is needed (this kernel has "
                    + (abi == 0 ? "no Landlock" : "ABI " + abi) + ")");
        }
        if (policy.isDryRun()) {
            return List.of("a dry run allows everything and records what it would deny: only the broker sees the calls");
        }
        return KernelRules.inexact(policy, abi);
    }

    /// What [Enforcement#KERNEL] refuses the program that `policy` allows, one sentence each:
    /// its own /proc/PID and /proc inside an allowed tree (the kernel refuses all of /proc,
    /// since a Landlock rule could only name every process's entries, the JVM's included), and
    /// entries created later in the directories on the way to a path denied inside an allowed
    /// tree. [Enforcement#AUTO] takes the kernel with these effects; [Enforcement#BROKER] has
    /// none of them.
    public static List<String> kernelStricter(Policy policy) {
        return KernelRules.stricter(Objects.requireNonNull(policy, "policy"));
    }

    /// What the broker decides for `policy` with no Landlock rule behind it on this kernel, one
    /// sentence each: address rules Landlock cannot say by port, signals and abstract sockets
    /// it cannot scope. The broker decides those calls in every mode, so this never makes
    /// [Enforcement#KERNEL] looser than the policy; it says where the second wall is missing.
    public static List<String> brokerAlone(Policy policy) {
        return KernelRules.brokerOnly(Objects.requireNonNull(policy, "policy"), Landlock.abi());
    }

    private void stopProgram(Throwable failure) {
        try {
            child.signal(Signal.KILL);
        } catch (PosixException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /// Which mechanism enforces this sandbox's file rules: [Enforcement#KERNEL] or
    /// [Enforcement#BROKER] (never [Enforcement#AUTO]: the one it picked).
    public Enforcement enforcement() {
        return mode == BrokerSyscalls.Mode.BROKER ? Enforcement.BROKER : Enforcement.KERNEL;
    }

    /// Loads and links, once per JVM, the code that serves a sandboxed program: the calls the
    /// broker performs with the program's credentials, the credential switch, the broker
    /// threads' set-up and the subprocess watcher. Most of it is the linking of native calls,
    /// tens of milliseconds of processor time on a first sandbox. [#start] does it before the
    /// spawn, so that a program never shares the processors with it (in kernel mode the JVM is
    /// otherwise idle while the program runs); a command with other work to do first may call
    /// this earlier on a thread of its own, and the start then waits only for what is left.
    ///
    /// Thread-safe and idempotent: concurrent callers wait for the first.
    public static void warmUp() {
        synchronized (WARM_UP) {
            if (!warm) {
                Performer.warmUp();
                try {
                    // Initialising a binding class links its native calls.
                    MethodHandles.Lookup lookup = MethodHandles.lookup();
                    lookup.ensureInitialized(SchedH.class);
                    lookup.ensureInitialized(WaitH.class);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("posix4j's module lost access to its own classes", e);
                }
                CurrentProcess.pid();
                warm = true;
            }
        }
    }

    private static Sandbox launch(Spawn spawn, Ruleset rules, Policy execPolicy, BrokerSyscalls.Mode mode)
            throws PosixException {
        Objects.requireNonNull(spawn, "spawn");
        Features.seccompUserNotification().ensureAvailable();
        Features.pidfd().ensureAvailable();
        Features.openat2().ensureAvailable();
        warmUp();
        AtomicReference<Fd> listener = new AtomicReference<>();
        AtomicReference<Master> master = new AtomicReference<>();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment program = BrokerFilter.program(arena, Syscalls.CURRENT.arch(), Sessions.processGroup(), mode);
            spawn.setEnv("POSIX4J_BROKER", "1");
            Child child = SpawnAccess.start(spawn, call -> spawnFiltered(program, rules, call, listener, master,
                    execsNotified(mode)));
            master.get().root(child);
            return new Sandbox(master.get(), child, execPolicy, mode);
        } catch (RuntimeException | PosixException e) {
            Fd fd = listener.get();
            try {
                if (master.get() != null) {
                    master.get().close();
                } else if (fd != null) {
                    fd.close();
                }
            } catch (PosixException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /// Runs `call` (posix_spawn) on a new platform thread that carries the filter, and the
    /// Landlock restriction `rules` unless it is null. Once the filter is on, that thread runs
    /// nothing of posix4j's but the native call (and two eventfd writes). Meanwhile this thread
    /// builds the [Master] on the published listener and serves the spawn's own exec and chdir
    /// ([Master#bootstrap]), which the filter sends to the master like the program's, until the
    /// filtered thread is gone: what the JVM itself makes that thread do under the filter (JFR
    /// reads the thread's `/proc/self/task/TID/stat` as it ends, for one) is refused with EPERM
    /// rather than left waiting for a master that would only start once the thread is joined,
    /// with the JVM stuck at its next safepoint.
    /// Whether the filter of `mode` sends every execve and execveat to the master, which may
    /// then keep the programs' `mem` descriptors across calls ([StatusFiles]).
    private static boolean execsNotified(BrokerSyscalls.Mode mode) {
        return BrokerSyscalls.rule("execve").treatment(mode) == BrokerSyscalls.Treatment.BROKER
                && BrokerSyscalls.rule("execveat").treatment(mode) == BrokerSyscalls.Treatment.BROKER;
    }

    private static int spawnFiltered(MemorySegment program, Ruleset rules, SpawnAccess.NativeCall call,
            AtomicReference<Fd> listener, AtomicReference<Master> master, boolean execsNotified) throws Throwable {
        Throwable[] failure = {null};
        long[] listenerFd = {-1};
        int[] spawnTid = {0};
        int[] prctlErrno = {0};
        int[] seccompErrno = {0};
        int[] rc = {0};
        long flags = PrctlH.SECCOMP_FILTER_FLAG_NEW_LISTENER
                | (Features.seccompWaitKillableRecv().available() ? PrctlH.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV : 0);
        try (EventFd published = EventFd.open(); EventFd spawned = EventFd.open(0, EventFd.NON_BLOCKING)) {
            // Links the eventfd write for the filtered thread, which must not load anything.
            published.signal(0);
            Thread thread = Thread.ofPlatform().name("posix4j-sandbox-spawn").unstarted(() -> {
                try {
                    MemorySegment errno = Libc.errnoSlot();
                    spawnTid[0] = (int) SyscallH.SYSCALL.call(errno, Syscalls.CURRENT.gettid(), 0L);
                    int r = PrctlH.PRCTL.call(errno, PrctlH.PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L);
                    if (r < 0) {
                        prctlErrno[0] = Libc.errno(errno);
                        return;
                    }
                    if (rules != null) {
                        rules.restrictCurrentThread();
                    }
                    long fd = SyscallH.SYSCALL.call(errno, Syscalls.CURRENT.seccomp(),
                            PrctlH.SECCOMP_SET_MODE_FILTER, flags, program.address());
                    if (fd < 0) {
                        seccompErrno[0] = Libc.errno(errno);
                        return;
                    }
                    listenerFd[0] = fd;
                    published.signal();
                    rc[0] = call.call();
                } catch (Throwable t) {
                    failure[0] = t;
                } finally {
                    signalQuietly(published, failure);
                    signalQuietly(spawned, failure);
                }
            });
            thread.start();
            try {
                published.read();
                if (listenerFd[0] >= 0) {
                    Fd fd = Fd.adopt((int) listenerFd[0]);
                    listener.set(fd);
                    if (Features.seccompSyncWakeUp().available()) {
                        syncWakeUp(fd);
                    }
                    master.set(new Master(fd, execsNotified));
                    // The thread's own pidfd becomes readable when it has ended; a kernel without
                    // thread pidfds (before 6.9) leaves the end of the posix_spawn call.
                    int ended = Kernel.pidfdOpen(spawnTid[0], PIDFD_THREAD);
                    try {
                        master.get().bootstrap(ended >= 0 ? ended : spawned.intValue(), spawnTid[0]);
                    } finally {
                        if (ended >= 0) {
                            Kernel.close(ended);
                        }
                    }
                }
            } finally {
                Threads.joinUninterruptibly(thread);
            }
        }
        if (prctlErrno[0] != 0) {
            throw new PosixException("prctl", prctlErrno[0], "PR_SET_NO_NEW_PRIVS");
        }
        if (seccompErrno[0] != 0) {
            throw new PosixException("seccomp", seccompErrno[0], "SECCOMP_SET_MODE_FILTER");
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return rc[0];
    }

    private static void signalQuietly(EventFd event, Throwable[] failure) {
        try {
            event.signal();
        } catch (PosixException | RuntimeException e) {
            if (failure[0] == null) {
                failure[0] = e;
            }
        }
    }

    private static void syncWakeUp(Fd listener) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            int r = FcntlH.IOCTL.call(errno, listener.intValue(),
                    PrctlH.SECCOMP_IOCTL_NOTIF_SET_FLAGS, PrctlH.SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
            Libc.check(r, errno, "ioctl", "SECCOMP_IOCTL_NOTIF_SET_FLAGS");
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Whether the kernel refuses to execute what the policy does not let the program read (a
    /// Landlock ruleset restricts the program; see [#start(Spawn, Policy)]). False after
    /// [#start(Spawn)], on a kernel without Landlock, and for a dry run. The exec decision of
    /// [#serve] lets an allowed execve continue in the kernel (seccomp cannot perform an exec
    /// for the program, and the path may change between the decision and the exec), so it
    /// refuses every exec when this is false, or when it serves another policy than the one
    /// given to [#start(Spawn, Policy)] (a dry run aside, which allows everything).
    public boolean execBackedByKernel() {
        return execPolicy != null;
    }

    /// The master end: receive and answer the program's calls yourself, or use [#serve].
    public Master master() {
        return master;
    }

    /// The sandboxed program.
    public Child child() {
        return child;
    }

    /// Serves every call of the program and its descendants under `policy` with `threads`
    /// threads, recording each decision in `audit` (may be `null`), until no process of the
    /// sandbox is left; then answers the program's exit status.
    ///
    /// Each serving thread has its own working directory and umask (unshare(CLONE_FS)), so that
    /// files are created with the program's umask, read from `/proc/TID/status`. One thread
    /// serves a program that makes one call at a time fastest: with more, consecutive calls are
    /// received by different threads, which hand the listener's lock around (about 40% more time
    /// a call, see BENCHMARKS.md). More threads help a program whose own threads or processes
    /// call at once. Calls that may block for long (a FIFO's open, a blocking connect or send)
    /// run on threads of their own whatever the number.
    ///
    /// A failure of a serving thread (the listener, or `audit` throwing: a call must not go on
    /// unrecorded) stops the program: it is killed (SIGKILL), and whatever it started is left
    /// with every brokered call failing (ENOSYS). The failure is then thrown.
    ///
    /// @throws IllegalArgumentException if `threads` is not in 1..64
    /// @throws PosixException if the listener fails
    /// @throws RuntimeException what `audit` threw (an [java.io.UncheckedIOException] when
    ///     [AuditSink#jsonLines] cannot write)
    /// @throws InterruptedException if interrupted while waiting; the program keeps running
    public ExitStatus serve(Policy policy, AuditSink audit, int threads) throws PosixException, InterruptedException {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be 1..64: " + threads);
        }
        master.audit(audit);
        Performer performer = new Performer(master, policy, audit, CurrentProcess.pid(), policy == execPolicy);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(Thread.ofPlatform().daemon().name("posix4j-broker-" + i).start(() -> {
                try {
                    int unshared = Kernel.unshareFs();
                    if (unshared < 0) {
                        throw new PosixException("unshare(CLONE_FS)", -unshared, "serving thread");
                    }
                    Kernel.umask(0);
                    Performer.servingThread();
                    for (Call call; (call = master.receive()) != null; ) {
                        performer.handle(call);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    try {
                        master.close();
                    } catch (PosixException e) {
                        t.addSuppressed(e);
                    }
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        performer.awaitOffloaded(10_000);
        Throwable t = failure.get();
        if (t != null) {
            stopProgram(t);
        }
        if (t instanceof PosixException p) {
            throw p;
        }
        if (t != null) {
            throw Libc.unexpected(t);
        }
        return child.waitFor();
    }

    /// Closes the master (the program's brokered calls fail with ENOSYS from then on) and the
    /// [Child] (its pipes and pidfd; a running program is left running and still reaped).
    @Override
    public void close() throws PosixException {
        try {
            master.close();
        } finally {
            child.close();
        }
    }
}
