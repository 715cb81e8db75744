package org.posix4j.spawn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.internal.CIntFunction;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.EpollH;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SignalH;
import org.posix4j.internal.SpawnAccess;
import org.posix4j.internal.SpawnH;
import org.posix4j.internal.Threads;
import org.posix4j.internal.WaitH;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFlags;
import org.posix4j.io.Pipe;
import org.posix4j.landlock.Ruleset;
import org.posix4j.process.Sessions;
import org.posix4j.signal.Signal;
import org.posix4j.signal.SignalSet;

/// Starts a program with posix_spawn(3): the JVM is never forked to run Java code, and glibc's
/// posix_spawn creates the child with CLONE_VM | CLONE_VFORK, so the cost does not grow with the
/// JVM's heap. Equivalent to `Netsys_posix.spawn`, with the seed's `wd_spec`, `pg_spec`,
/// `fd_action` and `sig_action`.
///
/// ```java
/// try (Child c = Spawn.program("ls").args("-l", "/").stdout(Redirect.PIPE).start()) {
///     byte[] listing = c.stdoutPipe().orElseThrow().inputStream().readAllBytes();
///     ExitStatus status = c.waitFor();
/// }
/// ```
///
/// What the child gets, in the order glibc's child applies it:
///
/// 1. Signal dispositions: handlers become SIG_DFL (posix_spawn always does that), signals given
///    to [#defaultSignal] become SIG_DFL, signals ignored in this process stay ignored, and
///    signals given to [#ignoreSignal] are ignored. glibc's two internal signals (32 and 33),
///    which its posix_spawn leaves ignored in the new program, are reset to SIG_DFL.
/// 2. [#newSession()] (setsid), then [#processGroup] (setpgid).
/// 3. File actions, in this order: the terminal's foreground group ([ProcessGroup#newForeground]),
///    [#chdir(Path)], the redirections of descriptors 0, 1 and 2 ([#stdin], [#stdout],
///    [#stderr]), the fd actions in the order they were added ([#close], [#closeIgnoringBadFd],
///    [#closeAllExcept], [#dup2(int, int)], [#open]), then [#keepFd], and last the closing of
///    every other descriptor.
/// 4. The signal mask ([#signalMask]; empty by default), then execve.
///
/// By default the child inherits only descriptors 0, 1 and 2 and the ones named by [#keepFd],
/// [#dup2(int, int)] and [#open] (their targets), whatever RLIMIT_NOFILE is: the last file
/// actions close everything else with one `posix_spawn_file_actions_addclosefrom_np`
/// (close_range(2) in the child; glibc 2.34+), and a few dup2 and close actions when a kept
/// descriptor lies above a free number (see [#closeAllExcept]). Every descriptor posix4j makes
/// is close-on-exec already; this also covers those of the JVM and of other libraries that are
/// not. Merging stderr into a stdout pipe, as `2>&1` does, is
/// `.stdout(Redirect.PIPE).dup2(1, 2)`.
///
/// A failure of exec (ENOENT, EACCES, ENOEXEC, ENOTDIR, ELOOP, E2BIG...) is reported by
/// posix_spawn itself, so [#start()] throws a [PosixException] with that errno and the program
/// as its subject; no child is left behind and none exits 127. The same holds for a failing file
/// action or chdir, whose errno posix_spawn reports the same way, without saying which step
/// failed: [#start()] then checks the actions (without side effects) and names the one that
/// fails with that errno after the program, as in `posix_spawn(/bin/true: chdir /etc/passwd): Not
/// a directory [ENOTDIR]`; when none does, exec failed and the subject is the program alone. A
/// file with execute permission
/// that is neither a binary nor starts with `#!` gives ENOEXEC: glibc's posix_spawn (and
/// posix_spawnp since glibc 2.15) does not retry it with /bin/sh as execvp(3) and
/// `ProcessBuilder` do, and posix4j keeps it that way, since running an unknown file through a
/// shell is a decision for the caller: `Spawn.program("/bin/sh").args(file)` makes it.
///
/// Thread safety: a `Spawn` is a builder, not safe for concurrent use; it may be reused to
/// start any number of children. [#start()] may run concurrently on different builders.
public final class Spawn {
    /// posix4j's spawns take its read lock; a spawn with [#ignoreSignal] takes its write lock
    /// while this process's dispositions are briefly changed, so no other posix4j spawn starts
    /// a child during that window.
    private static final ReentrantReadWriteLock DISPOSITIONS = new ReentrantReadWriteLock();
    private static final Set<Signal> NOT_IGNORABLE = EnumSet.of(Signal.KILL, Signal.STOP, Signal.CHLD,
            Signal.SEGV, Signal.BUS, Signal.FPE, Signal.ILL, Signal.TRAP, Signal.SYS, Signal.USR2);
    /// The JDK's signal for interrupting threads blocked in I/O (NativeThread.INTERRUPT_SIGNAL).
    private static final int NIO_INTERRUPT_SIGNAL = Signal.SIGRTMAX - 2;
    private static final int CREATE_MODE = 0666;
    /// glibc's internal signals, SIGRTMIN - 2 and SIGRTMIN - 1 of the kernel's numbering.
    private static final int SIGCANCEL = 32;
    private static final int SIGSETXID = 33;

    private sealed interface Action {}

    private record Close(int fd, boolean ignoreBadFd) implements Action {}

    private record CloseAllExcept(TreeSet<Integer> kept) implements Action {}

    private record Dup2(Fd fromFd, int from, int to) implements Action {}

    private record Open(int fd, String path, int flags, int mode) implements Action {}

    private final String program;
    private final List<String> args = new ArrayList<>();
    private String argv0;
    private Map<String, String> environment;
    private final Map<String, String> environmentEdits = new LinkedHashMap<>();
    private Path chdirPath;
    private Fd chdirFd;
    private ProcessGroup group = ProcessGroup.KEEP;
    private boolean newSession;
    private final List<Action> actions = new ArrayList<>();
    private final TreeSet<Integer> kept = new TreeSet<>();
    private SignalSet defaults = SignalSet.empty();
    private SignalSet ignored = SignalSet.empty();
    private SignalSet mask = SignalSet.empty();
    private final Redirect[] stdio = {Redirect.INHERIT, Redirect.INHERIT, Redirect.INHERIT};
    /// Where the posix_spawn call is made: here, or on the broker's filtered thread, in which
    /// case the child opens no file itself (its opens would be brokered before the broker runs).
    private SpawnAccess.Runner runner;
    /// The Landlock ruleset the spawning thread restricts itself with, `null` for none.
    private Ruleset confinement;

    static {
        SpawnAccess.starter((spawn, runner) -> {
            if (spawn.confinement != null) {
                throw new IllegalStateException("a sandbox confines its program with its policy's own Landlock"
                        + " ruleset: confine() cannot be combined with it");
            }
            ProcessGroup before = spawn.group;
            if (before instanceof ProcessGroup.Join(int pgid) && pgid == Sessions.processGroup()) {
                throw new IllegalStateException("a sandboxed program cannot join the supervisor's process group");
            }
            if (before instanceof ProcessGroup.Keep && !spawn.newSession) {
                spawn.group = ProcessGroup.NEW_BACKGROUND;
            }
            spawn.runner = runner;
            try {
                return spawn.start();
            } finally {
                spawn.runner = null;
                spawn.group = before;
            }
        });
    }

    private Spawn(String program) {
        this.program = program;
    }

    /// A builder for `program`: a path (absolute, or relative to the child's working directory)
    /// when it contains a `/`, else a name searched in the PATH of this process's native
    /// environment (posix_spawnp(3), as execvp does; not the child's environment). `argv[0]` is
    /// `program` unless [#argv0] says otherwise.
    ///
    /// @throws IllegalArgumentException if `program` is empty or contains NUL
    public static Spawn program(String program) {
        return new Spawn(CStrings.checkNonEmpty("program", program));
    }

    /// Appends arguments (`argv[1]` onwards). Nothing is appended when one is refused.
    ///
    /// @throws IllegalArgumentException if an argument contains NUL, naming it as `args[i]`
    /// @throws NullPointerException if `args` or an argument is null, naming it as `args[i]`
    public Spawn args(String... args) {
        return args(Arrays.asList(Objects.requireNonNull(args, "args is null")));
    }

    /// Appends arguments (`argv[1]` onwards). Nothing is appended when one is refused.
    ///
    /// @throws IllegalArgumentException if an argument contains NUL, naming it as `args[i]`
    /// @throws NullPointerException if `args` or an argument is null, naming it as `args[i]`
    public Spawn args(List<String> args) {
        List<String> checked = new ArrayList<>(Objects.requireNonNull(args, "args is null").size());
        for (String a : args) {
            checked.add(CStrings.check("args[" + checked.size() + "]", a));
        }
        this.args.addAll(checked);
        return this;
    }

    /// Sets `argv[0]`, which is the program by default.
    ///
    /// @throws IllegalArgumentException if `argv0` contains NUL
    public Spawn argv0(String argv0) {
        this.argv0 = CStrings.check("argv0", argv0);
        return this;
    }

    /// Uses exactly `env` as the base environment instead of this process's native environment
    /// (`environ`, which [org.posix4j.process.Environment] changes); [#setEnv] and [#unsetEnv]
    /// still apply on top. The map is copied.
    ///
    /// The native environment is read when [#start()] runs; like every reader of `environ`, it
    /// must not race with setenv(3) in another thread (see [org.posix4j.process.Environment]).
    ///
    /// @throws IllegalArgumentException for a name that is empty or contains `=` or NUL, or a
    ///     value that contains NUL
    public Spawn environment(Map<String, String> env) {
        Map<String, String> copy = new LinkedHashMap<>();
        env.forEach((name, value) -> copy.put(checkName(name), CStrings.check("value", value)));
        this.environment = copy;
        return this;
    }

    /// Starts from an empty environment (like `env -i`); [#setEnv] still applies.
    public Spawn clearEnvironment() {
        this.environment = new LinkedHashMap<>();
        return this;
    }

    /// Sets `name` to `value` in the child's environment, on top of the base.
    ///
    /// @throws IllegalArgumentException if `name` is empty or contains `=` or NUL, or `value`
    ///     contains NUL
    public Spawn setEnv(String name, String value) {
        environmentEdits.put(checkName(name), CStrings.check("value", value));
        return this;
    }

    /// Removes `name` from the child's environment, on top of the base.
    ///
    /// @throws IllegalArgumentException if `name` is empty or contains `=` or NUL
    public Spawn unsetEnv(String name) {
        environmentEdits.put(checkName(name), null);
        return this;
    }

    /// Starts the child in directory `dir`: the first file action is
    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+), so a relative program path and the
    /// paths of [#open] are resolved from there. A relative `dir` is relative to this process's
    /// working directory. Equivalent to the seed's `Wd_chdir`; null means the seed's `Wd_keep`
    /// (the child starts in this process's working directory, the default).
    ///
    /// @throws IllegalArgumentException if the path is empty or contains NUL
    public Spawn chdir(Path dir) {
        if (dir != null) {
            CStrings.checkNonEmpty("dir", dir.toString());
        }
        this.chdirPath = dir;
        this.chdirFd = null;
        return this;
    }

    /// Starts the child in the directory open as `dir`, with
    /// `posix_spawn_file_actions_addfchdir_np` (glibc 2.29+). `dir` must stay open until
    /// [#start()] returns. Equivalent to the seed's `Wd_fchdir`; null means `Wd_keep`.
    public Spawn chdir(Fd dir) {
        this.chdirFd = dir;
        this.chdirPath = null;
        return this;
    }

    /// Chooses the child's process group (default [ProcessGroup#KEEP]). Equivalent to the
    /// seed's `pg_spec`.
    public Spawn processGroup(ProcessGroup group) {
        this.group = Objects.requireNonNull(group, "group is null");
        return this;
    }

    /// Makes the child the leader of a new session, without a controlling terminal
    /// (POSIX_SPAWN_SETSID, setsid(2)). It then also leads a new process group, so it combines
    /// with [ProcessGroup#KEEP] or [ProcessGroup#NEW_BACKGROUND] only.
    public Spawn newSession() {
        this.newSession = true;
        return this;
    }

    /// Closes `fd` in the child (posix_spawn_file_actions_addclose). As in the seed, a descriptor
    /// that is not open is not an error (glibc ignores that EBADF); one at or above the
    /// descriptor limit is. Equivalent to the seed's `Fda_close`.
    ///
    /// @throws IllegalArgumentException if `fd` is negative
    public Spawn close(int fd) {
        actions.add(new Close(checkFd("fd", fd), false));
        return this;
    }

    /// Closes `fd` in the child if it is open there, never failing: not even for a number at or
    /// above the descriptor limit. Equivalent to the seed's `Fda_close_ignore`.
    ///
    /// @throws IllegalArgumentException if `fd` is negative
    public Spawn closeIgnoringBadFd(int fd) {
        actions.add(new Close(checkFd("fd", fd), true));
        return this;
    }

    /// Closes every descriptor of the child except `fds`, 0, 1 and 2 included unless listed.
    /// One closefrom does most of it; a descriptor kept above a free number is parked below the
    /// closefrom's start with dup2 and put back after it, so the number of file actions grows
    /// with the number of kept descriptors, never with their values. Equivalent to the seed's
    /// `Fda_close_except`.
    ///
    /// @throws IllegalArgumentException if a descriptor is negative
    public Spawn closeAllExcept(int... fds) {
        TreeSet<Integer> set = new TreeSet<>();
        for (int fd : fds) {
            set.add(checkFd("fds", fd));
        }
        actions.add(new CloseAllExcept(set));
        return this;
    }

    /// Makes the child's `to` a copy of its `from` (posix_spawn_file_actions_adddup2); `to` is
    /// then inherited across exec. With `from == to` it only clears close-on-exec, and fails
    /// with EBADF if `from` is not open. Equivalent to the seed's `Fda_dup2`.
    ///
    /// @throws IllegalArgumentException if a descriptor is negative
    public Spawn dup2(int from, int to) {
        actions.add(new Dup2(null, checkFd("from", from), checkFd("to", to)));
        return this;
    }

    /// Like [#dup2(int, int)] with `from`'s number, read when [#start()] runs; `from` must be
    /// open then.
    ///
    /// @throws IllegalArgumentException if `to` is negative
    public Spawn dup2(Fd from, int to) {
        actions.add(new Dup2(Objects.requireNonNull(from, "from is null"), -1, checkFd("to", to)));
        return this;
    }

    /// Opens `path` in the child as descriptor `fd` (posix_spawn_file_actions_addopen), after
    /// [#chdir]. `flags` are [OpenFlags]; close-on-exec would defeat the purpose and is refused.
    ///
    /// @throws IllegalArgumentException if `fd` is negative, `path` is empty or contains NUL,
    ///     `flags` include O_CLOEXEC, or `mode` is outside 07777
    public Spawn open(int fd, String path, int flags, int mode) {
        checkFd("fd", fd);
        CStrings.checkNonEmpty("path", path);
        if ((flags & FcntlH.O_CLOEXEC) != 0) {
            throw new IllegalArgumentException("flags must not include O_CLOEXEC: the child would lose fd " + fd);
        }
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode must be within 07777: " + Integer.toOctalString(mode));
        }
        actions.add(new Open(fd, path, flags, mode));
        return this;
    }

    /// Confines the program with a Landlock `ruleset` (or, with `null`, no longer). [#start()]
    /// then makes its posix_spawn call on a new platform thread that restricts itself with the
    /// ruleset ([Ruleset#restrictCurrentThread()], which also sets `PR_SET_NO_NEW_PRIVS`) and
    /// ends once the program is started; the program and everything it starts inherit the
    /// restriction, and no other thread of this JVM is affected. The files this spawn's
    /// redirects and [#open] actions name are opened by this process before the spawn, outside
    /// the ruleset, so a program can be handed a log file it could not open itself. The
    /// ruleset must stay open until [#start()] returns.
    ///
    /// Not for a [Spawn] given to `Sandbox.start`, which confines its program with its
    /// policy's own ruleset (that start throws IllegalStateException).
    public Spawn confine(Ruleset ruleset) {
        this.confinement = ruleset;
        return this;
    }

    /// Lets the child inherit this process's descriptor `fd` as it is, clearing its
    /// close-on-exec flag in the child only (an adddup2 of `fd` onto itself after the fd
    /// actions). [#start()] fails with EBADF if `fd` is not open.
    ///
    /// @throws IllegalArgumentException if `fd` is negative
    public Spawn keepFd(int fd) {
        kept.add(checkFd("fd", fd));
        return this;
    }

    /// Resets `signal` to its default action in the child (POSIX_SPAWN_SETSIGDEF), even if this
    /// process ignores it. Undoes [#ignoreSignal] for that signal. Equivalent to the seed's
    /// `Sig_default`.
    public Spawn defaultSignal(Signal signal) {
        return defaultSignal(Objects.requireNonNull(signal, "signal is null").number());
    }

    /// Like [#defaultSignal(Signal)] for signal number `signal`, a real-time one
    /// ([Signal#realTime(int)], [Signal#numberOf(String)]) included, as the seed's `Sig_default`
    /// takes any signal number.
    ///
    /// @throws IllegalArgumentException if `signal` is not within 1..31 or
    ///     [Signal#SIGRTMIN]..[Signal#SIGRTMAX]
    public Spawn defaultSignal(int signal) {
        SignalSet one = SignalSet.ofNumbers(signal);
        ignored = ignored.minus(one);
        defaults = defaults.union(one);
        return this;
    }

    /// Makes the child start with `signal` ignored (SIG_IGN survives execve). Equivalent to the
    /// seed's `Sig_ignore`.
    ///
    /// posix_spawn has no attribute for this: its child keeps SIG_IGN only where the parent has
    /// it. So [#start()] sets SIG_IGN in this process with sigaction(2) just around the
    /// posix_spawn call and then restores the previous action exactly, holding a lock that keeps
    /// every other posix4j spawn out of that window (until the child has called execve: well
    /// under a millisecond). During the window, an instance of `signal` sent to this JVM is
    /// discarded (including one already pending), and a process started by other means
    /// (`ProcessBuilder`) would also start with it ignored.
    /// Do not change the same signal's disposition from another thread meanwhile. Where blocking
    /// is enough, [#signalMask] needs no such window. Without native code run in the child
    /// between fork and exec (which posix4j does not bundle), there is no race-free way: going
    /// through `sh -c 'trap "" SIG; exec "$@"'` would avoid the window but turn exec failures
    /// back into a shell's exit status 127.
    ///
    /// @throws IllegalArgumentException for a signal that cannot or must not be ignored this
    ///     way: KILL and STOP (the kernel refuses), CHLD (ignoring it in this process, even
    ///     briefly, makes the kernel reap children itself and lose their status), SEGV, BUS, FPE,
    ///     ILL, TRAP, SYS and USR2 (the JVM relies on its handlers for them)
    public Spawn ignoreSignal(Signal signal) {
        return ignoreSignal(Objects.requireNonNull(signal, "signal is null").number());
    }

    /// Like [#ignoreSignal(Signal)] for signal number `signal`, a real-time one
    /// ([Signal#realTime(int)], [Signal#numberOf(String)]) included, as the seed's `Sig_ignore`
    /// takes any signal number.
    ///
    /// @throws IllegalArgumentException if `signal` is not within 1..31 or
    ///     [Signal#SIGRTMIN]..[Signal#SIGRTMAX], or is one [#ignoreSignal(Signal)] refuses, or is
    ///     SIGRTMAX-2 (the JDK interrupts threads blocked in I/O with it: one sent while it is
    ///     briefly ignored here would be lost and leave such a thread blocked)
    public Spawn ignoreSignal(int signal) {
        SignalSet one = SignalSet.ofNumbers(signal);
        if (signal == NIO_INTERRUPT_SIGNAL) {
            throw new IllegalArgumentException("signal " + Signal.nameOf(signal) + " cannot be ignored by a spawned"
                    + " child: the JDK interrupts threads blocked in I/O with it");
        }
        Signal standard = Signal.of(signal).orElse(null);
        if (standard != null && NOT_IGNORABLE.contains(standard)) {
            throw new IllegalArgumentException("signal " + standard.cName() + " cannot be ignored by a spawned child: "
                    + (standard == Signal.KILL || standard == Signal.STOP ? "the kernel refuses"
                    : standard == Signal.CHLD ? "ignoring it here, even briefly, would let the kernel reap children"
                    : "the JVM relies on its handler"));
        }
        defaults = defaults.minus(one);
        ignored = ignored.union(one);
        return this;
    }

    /// Sets the child's signal mask to exactly `blocked` (POSIX_SPAWN_SETSIGMASK). By default the
    /// mask is empty, whatever the calling thread blocks (JVM threads block SIGQUIT, for one).
    ///
    /// @throws NullPointerException if a signal is null
    public Spawn signalMask(Signal... blocked) {
        return signalMask(SignalSet.of(blocked));
    }

    /// Sets the child's signal mask to exactly `blocked`, real-time signals included
    /// (POSIX_SPAWN_SETSIGMASK).
    public Spawn signalMask(SignalSet blocked) {
        mask = Objects.requireNonNull(blocked, "blocked is null");
        return this;
    }

    /// Where the child's descriptor 0 reads from (default [Redirect#INHERIT]).
    ///
    /// @throws IllegalArgumentException for [Redirect#append(Path)]
    public Spawn stdin(Redirect r) {
        if (r instanceof Redirect.ToFile(Path p, boolean append) && append) {
            throw new IllegalArgumentException("r: stdin cannot append to " + p);
        }
        stdio[0] = Objects.requireNonNull(r, "r is null");
        return this;
    }

    /// Where the child's descriptor 1 writes to (default [Redirect#INHERIT]).
    public Spawn stdout(Redirect r) {
        stdio[1] = Objects.requireNonNull(r, "r is null");
        return this;
    }

    /// Where the child's descriptor 2 writes to (default [Redirect#INHERIT]).
    public Spawn stderr(Redirect r) {
        stdio[2] = Objects.requireNonNull(r, "r is null");
        return this;
    }

    /// Starts the child: posix_spawn(3) (posix_spawnp(3) for a program without `/`), then
    /// pidfd_open(2) on it, then hands it to the watcher thread, which reaps it when it ends.
    /// posix_spawn returns once the child has called execve, typically well under a millisecond;
    /// a virtual thread stays pinned to its carrier for that long.
    ///
    /// @return the running child
    /// @throws PosixException with posix_spawn's error number and the program as subject when
    ///     exec, chdir or a file action fails (ENOENT, EACCES, ENOEXEC, ENOTDIR, EBADF, EPERM for
    ///     a process group in another session...), followed by the action that most likely failed
    ///     (`/bin/true: open /missing as fd 3`, `dup2 7 5`, `keep fd 9`, `chdir /etc/passwd`);
    ///     open(2)'s for a [Redirect#file] that cannot
    ///     be opened; pipe2's or pidfd_open's EMFILE when descriptors run out (the child is then
    ///     killed and reaped before this throws)
    /// @throws IllegalStateException if [#newSession()] is combined with joining a group or a
    ///     foreground group, or an [Fd] given to this builder was closed
    /// @throws UnsupportedOperationException when libc lacks a function the settings need
    ///     (closefrom and chdir file actions: glibc 2.34+; foreground group: 2.35+) or the
    ///     kernel has no pidfds (Linux 5.4+)
    public Child start() throws PosixException {
        if (confinement != null && runner == null) {
            Ruleset ruleset = confinement;
            runner = call -> onConfinedThread(ruleset, call);
            try {
                return start();
            } finally {
                runner = null;
            }
        }
        checkConsistent();
        Watcher watcher = Watcher.get();
        Fd[] parentEnds = new Fd[3];
        List<Fd> temporary = new ArrayList<>();
        boolean started = false;
        try (Arena arena = runner == null ? Arena.ofConfined() : Arena.ofShared()) {
            MemorySegment pidOut = arena.allocate(JAVA_INT);
            MemorySegment attr = arena.allocate(SpawnH.POSIX_SPAWNATTR);
            MemorySegment fileActions = arena.allocate(SpawnH.POSIX_SPAWN_FILE_ACTIONS);
            MemorySegment errno = Libc.errnoSlot();
            Libc.checkReturned(SpawnH.ATTR_INIT.call(errno, attr.address()), "posix_spawnattr_init",
                    program);
            try {
                Libc.checkReturned(SpawnH.FA_INIT.call(errno, fileActions.address()),
                        "posix_spawn_file_actions_init", program);
                try {
                    setAttributes(arena, attr);
                    addFileActions(arena, fileActions, parentEnds, temporary);
                    spawn(arena, pidOut, fileActions, attr, argv(arena), envp(arena));
                } finally {
                    int destroyed = SpawnH.FA_DESTROY.call(errno, fileActions.address());
                }
            } finally {
                int destroyed = SpawnH.ATTR_DESTROY.call(errno, attr.address());
            }
            int pid = pidOut.get(JAVA_INT, 0);
            closeQuietly(temporary);
            Tracked tracked = track(watcher, pid, arena);
            int ours = Sessions.processGroup();
            int pgid = switch (group) {
                case ProcessGroup.Join(int joined) when !newSession -> joined;
                case ProcessGroup.Keep() when !newSession -> ours;
                default -> pid;
            };
            Child child = new Child(watcher, tracked, pgid, pgid != ours, parentEnds[0], parentEnds[1], parentEnds[2]);
            started = true;
            return child;
        } catch (Throwable t) {
            throw Libc.propagate(t);
        } finally {
            if (!started) {
                closeQuietly(temporary);
                closeQuietly(Arrays.stream(parentEnds).filter(Objects::nonNull).toList());
            }
        }
    }

    /// Runs `call` on a new platform thread restricted by `ruleset`, which then ends.
    private static int onConfinedThread(Ruleset ruleset, SpawnAccess.NativeCall call) throws Throwable {
        Throwable[] failure = {null};
        int[] rc = {0};
        Thread thread = Thread.ofPlatform().name("posix4j-confined-spawn").start(() -> {
            try {
                ruleset.restrictCurrentThread();
                rc[0] = call.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        Threads.joinUninterruptibly(thread);
        if (failure[0] != null) {
            throw failure[0];
        }
        return rc[0];
    }

    private void checkConsistent() {
        if (newSession && (group instanceof ProcessGroup.Join || group instanceof ProcessGroup.NewForeground)) {
            throw new IllegalStateException("newSession() cannot be combined with " + group
                    + ": a session leader leads its own group and has no controlling terminal");
        }
        require(SpawnH.FA_ADDCLOSEFROM_NP.isPresent(), "posix_spawn_file_actions_addclosefrom_np", "2.34");
        require(chdirPath == null || SpawnH.FA_ADDCHDIR_NP.isPresent(), "posix_spawn_file_actions_addchdir_np", "2.29");
        require(chdirFd == null || SpawnH.FA_ADDFCHDIR_NP.isPresent(), "posix_spawn_file_actions_addfchdir_np", "2.29");
        require(!(group instanceof ProcessGroup.NewForeground) || SpawnH.FA_ADDTCSETPGRP_NP.isPresent(),
                "posix_spawn_file_actions_addtcsetpgrp_np", "2.35");
    }

    private static void require(boolean present, String function, String glibc) {
        if (!present) {
            throw new UnsupportedOperationException("libc does not export " + function + " (glibc " + glibc + "+)");
        }
    }

    private void setAttributes(Arena arena, MemorySegment attr) throws Throwable {
        MemorySegment errno = Libc.errnoSlot();
        short flags = SpawnH.POSIX_SPAWN_SETSIGMASK | SpawnH.POSIX_SPAWN_SETSIGDEF;
        Libc.checkReturned(SpawnH.ATTR_SETSIGMASK.call(errno, attr.address(), sigset(arena, mask).address()),
                "posix_spawnattr_setsigmask", program);
        MemorySegment toDefault = sigset(arena, defaults);
        // glibc's child sets its two internal signals to SIG_IGN (a handler must not run in a
        // child sharing our memory), and SIG_IGN survives execve: the new program would start
        // with them ignored. Reset them like every other signal this process handles.
        toDefault.set(JAVA_LONG, 0, toDefault.get(JAVA_LONG, 0) | 1L << (SIGCANCEL - 1) | 1L << (SIGSETXID - 1));
        Libc.checkReturned(SpawnH.ATTR_SETSIGDEFAULT.call(errno, attr.address(), toDefault.address()),
                "posix_spawnattr_setsigdefault", program);
        if (newSession) {
            flags |= SpawnH.POSIX_SPAWN_SETSID;
        }
        int pgroup = switch (group) {
            case ProcessGroup.Keep() -> -1;
            // setsid already made the child lead a new group; setpgid would fail with EPERM.
            case ProcessGroup.NewBackground() -> newSession ? -1 : 0;
            case ProcessGroup.NewForeground(Fd tty) -> 0;
            case ProcessGroup.Join(int pgid) -> pgid;
        };
        if (pgroup >= 0) {
            flags |= SpawnH.POSIX_SPAWN_SETPGROUP;
            Libc.checkReturned(SpawnH.ATTR_SETPGROUP.call(errno, attr.address(), pgroup),
                    "posix_spawnattr_setpgroup", program);
        }
        Libc.checkReturned(SpawnH.ATTR_SETFLAGS.call(errno, attr.address(), flags),
                "posix_spawnattr_setflags", program);
    }

    /// A sigset_t holding `signals`: Linux has 64 signals, the first 64 bits of glibc's 1024-bit
    /// set, bit N - 1 for signal N as in the kernel's mask.
    private static MemorySegment sigset(Arena arena, SignalSet signals) {
        MemorySegment set = arena.allocate(SignalH.SIGSET);
        set.set(JAVA_LONG, 0, signals.kernelMask());
        return set;
    }

    private void addFileActions(Arena arena, MemorySegment fa, Fd[] parentEnds, List<Fd> temporary)
            throws Throwable {
        MemorySegment errno = Libc.errnoSlot();
        if (group instanceof ProcessGroup.NewForeground(Fd tty)) {
            int n = tty.intValue();
            Libc.checkReturned(SpawnH.FA_ADDTCSETPGRP_NP.orElseThrow().call(errno, fa.address(), n),
                    "posix_spawn_file_actions_addtcsetpgrp_np", "fd " + n);
        }
        if (chdirPath != null) {
            Libc.checkReturned(SpawnH.FA_ADDCHDIR_NP.orElseThrow().call(errno, fa.address(),
                    CStrings.of(arena, "dir", chdirPath.toString()).address()), "posix_spawn_file_actions_addchdir_np",
                    chdirPath.toString());
        } else if (chdirFd != null) {
            int n = chdirFd.intValue();
            Libc.checkReturned(SpawnH.FA_ADDFCHDIR_NP.orElseThrow().call(errno, fa.address(), n),
                    "posix_spawn_file_actions_addfchdir_np", "fd " + n);
        }
        Known known = new Known();
        TreeSet<Integer> inherited = new TreeSet<>(List.of(0, 1, 2));
        for (int target = 0; target < 3; target++) {
            if (redirect(arena, fa, target, parentEnds, temporary)) {
                known.opened(target);
            }
        }
        for (Action a : actions) {
            switch (a) {
                case Close(int fd, boolean ignoreBadFd) -> {
                    int rc = SpawnH.FA_ADDCLOSE.call(errno, fa.address(), fd);
                    if (!(ignoreBadFd && rc == Errno.EBADF.number())) {
                        Libc.checkReturned(rc, "posix_spawn_file_actions_addclose", "fd " + fd);
                    }
                    known.closed(fd);
                }
                case CloseAllExcept(TreeSet<Integer> except) -> closeAllBut(fa, except, known);
                case Dup2(Fd fromFd, int from, int to) -> {
                    dup2(fa, fromFd == null ? from : fromFd.intValue(), to);
                    inherited.add(to);
                    known.opened(to);
                }
                case Open(int fd, String path, int flags, int mode) when runner != null -> {
                    Fd opened = Fd.open(path, flags, mode);
                    temporary.add(opened);
                    dup2(fa, opened.intValue(), fd);
                    inherited.add(fd);
                    known.opened(fd);
                }
                case Open(int fd, String path, int flags, int mode) -> {
                    MemorySegment cpath = CStrings.of(arena, "path", path);
                    Libc.checkReturned(SpawnH.FA_ADDOPEN.call(errno, fa.address(), fd, cpath.address(),
                            flags, mode), "posix_spawn_file_actions_addopen", fd + ", " + path);
                    inherited.add(fd);
                    known.opened(fd);
                }
            }
        }
        for (int fd : kept) {
            dup2(fa, fd, fd);
            known.opened(fd);
        }
        inherited.addAll(kept);
        closeAllBut(fa, inherited, known);
    }

    /// Which of the child's descriptors are open at a point of its file actions: what the
    /// actions so far did, and for the rest what is open in this process now (the child starts
    /// with a copy of its descriptor table; close-on-exec acts only at exec).
    private static final class Known {
        private final Map<Integer, Boolean> open = new HashMap<>();
        private boolean othersClosed;

        void opened(int fd) {
            open.put(fd, true);
        }

        void closed(int fd) {
            open.put(fd, false);
        }

        boolean isOpen(int fd) {
            Boolean known = open.get(fd);
            if (known != null) {
                return known;
            }
            return !othersClosed && Calls.isOpen(fd);
        }

        /// Whether `fd` is known to be closed, without asking this process.
        boolean isClosed(int fd) {
            Boolean known = open.get(fd);
            return known != null ? !known : othersClosed;
        }

        void closedAllBut(Set<Integer> live) {
            open.clear();
            live.forEach(this::opened);
            othersClosed = true;
        }
    }

    /// Closes every descriptor of the child but `keep`, with a number of file actions that
    /// depends on the size of `keep`, not on its highest number or on RLIMIT_NOFILE.
    ///
    /// closefrom(`bound`) closes everything from `bound` on, so kept descriptors at or above
    /// `bound` are first parked in free slots below it (dup2), then put back (dup2) and the slots
    /// closed. `bound` is the lowest free number that leaves at least as many free slots below
    /// it as there are kept descriptors above it; every other free slot below it gets a single
    /// close (glibc ignores EBADF for those). Keeping 0, 1, 2 and 1,000,000 costs four actions
    /// beyond the closefrom, not a million closes.
    private static void closeAllBut(MemorySegment fa, Set<Integer> keep, Known known) throws Throwable {
        TreeSet<Integer> live = new TreeSet<>();
        for (int fd : keep) {
            if (!known.isClosed(fd)) {
                live.add(fd);
            }
        }
        List<Integer> slots;
        int bound;
        for (;;) {
            slots = new ArrayList<>();
            bound = freeFrom(live, 0);
            while (live.tailSet(bound).size() > slots.size()) {
                slots.add(bound);
                bound = freeFrom(live, bound + 1);
            }
            // Only a descriptor to be parked must really be open (dup2 from a closed one fails);
            // one that is not needs no keeping.
            Integer notOpen = live.tailSet(bound).stream().filter(fd -> !known.isOpen(fd)).findFirst().orElse(null);
            if (notOpen == null) {
                break;
            }
            live.remove(notOpen);
        }
        List<Integer> parked = new ArrayList<>(live.tailSet(bound));
        for (int i = 0; i < parked.size(); i++) {
            dup2(fa, parked.get(i), slots.get(i));
        }
        for (int i = parked.size(); i < slots.size(); i++) {
            addClose(fa, slots.get(i));
        }
        Libc.checkReturned(SpawnH.FA_ADDCLOSEFROM_NP.orElseThrow().call(Libc.errnoSlot(), fa.address(), bound),
                "posix_spawn_file_actions_addclosefrom_np", "fd " + bound);
        for (int i = 0; i < parked.size(); i++) {
            dup2(fa, slots.get(i), parked.get(i));
            addClose(fa, slots.get(i));
        }
        known.closedAllBut(live);
    }

    private static int freeFrom(Set<Integer> keep, int from) {
        int fd = from;
        while (keep.contains(fd)) {
            fd++;
        }
        return fd;
    }

    private static void addClose(MemorySegment fa, int fd) throws Throwable {
        Libc.checkReturned(SpawnH.FA_ADDCLOSE.call(Libc.errnoSlot(), fa.address(), fd),
                "posix_spawn_file_actions_addclose", "fd " + fd);
    }

    private static void dup2(MemorySegment fa, int from, int to) throws Throwable {
        Libc.checkReturned(SpawnH.FA_ADDDUP2.call(Libc.errnoSlot(), fa.address(), from, to),
                "posix_spawn_file_actions_adddup2", from + ", " + to);
    }

    /// Adds the file action for descriptor `target`; answers whether there is one.
    private boolean redirect(Arena arena, MemorySegment fa, int target, Fd[] parentEnds, List<Fd> temporary)
            throws Throwable {
        switch (stdio[target]) {
            case Redirect.Inherit() -> {
                return false;
            }
            case Redirect.Null() when runner != null -> {
                Fd devNull = Fd.open("/dev/null", target == 0 ? FcntlH.O_RDONLY : FcntlH.O_WRONLY, 0);
                temporary.add(devNull);
                dup2(fa, source(devNull, target, temporary), target);
            }
            case Redirect.Null() -> Libc.checkReturned(SpawnH.FA_ADDOPEN.call(Libc.errnoSlot(), fa.address(), target,
                    arena.allocateFrom("/dev/null").address(), target == 0 ? FcntlH.O_RDONLY : FcntlH.O_WRONLY, 0),
                    "posix_spawn_file_actions_addopen", target + ", /dev/null");
            case Redirect.Pipe() -> {
                Pipe pipe = Pipe.open();
                Fd childEnd = target == 0 ? pipe.readEnd() : pipe.writeEnd();
                parentEnds[target] = target == 0 ? pipe.writeEnd() : pipe.readEnd();
                temporary.add(childEnd);
                dup2(fa, source(childEnd, target, temporary), target);
            }
            case Redirect.ToFile(Path path, boolean append) -> {
                int flags = target == 0 ? OpenFlags.READ_ONLY
                        : OpenFlags.WRITE_ONLY | OpenFlags.CREATE | (append ? OpenFlags.APPEND : OpenFlags.TRUNCATE);
                Fd file = Fd.open(path.toAbsolutePath().toString(), flags, CREATE_MODE);
                temporary.add(file);
                dup2(fa, source(file, target, temporary), target);
            }
            case Redirect.ToFd(Fd fd) -> dup2(fa, source(fd, target, temporary), target);
        }
        return true;
    }

    /// The number to dup2 onto `target` for `fd`. A number below 3 other than `target` could be
    /// overwritten by an earlier redirection in the child (when this process has 0, 1 or 2
    /// closed, or for a redirection to another standard descriptor), so it is first duplicated
    /// above 2 in this process.
    private static int source(Fd fd, int target, List<Fd> temporary) throws PosixException {
        int n = fd.intValue();
        if (n >= 3 || n == target) {
            return n;
        }
        Fd copy = Fd.adopt(Calls.dupAbove2(n));
        temporary.add(copy);
        return copy.intValue();
    }

    private MemorySegment argv(Arena arena) {
        MemorySegment argv = arena.allocate(ADDRESS, args.size() + 2L);
        argv.setAtIndex(ADDRESS, 0, CStrings.of(arena, "argv0", argv0 == null ? program : argv0));
        for (int i = 0; i < args.size(); i++) {
            argv.setAtIndex(ADDRESS, i + 1, CStrings.of(arena, "args", args.get(i)));
        }
        return argv;
    }

    /// The child's environment: libc's `environ` itself when nothing changes it (read right
    /// before the call, as setenv may move it), else a new array.
    private MemorySegment envp(Arena arena) {
        if (environment == null && environmentEdits.isEmpty()) {
            return SpawnH.environ();
        }
        List<String> entries = new ArrayList<>();
        if (environment == null) {
            MemorySegment env = Libc.unbounded(SpawnH.environ());
            for (long i = 0; ; i++) {
                MemorySegment entry = env.getAtIndex(ADDRESS, i);
                if (entry.equals(MemorySegment.NULL)) {
                    break;
                }
                entries.add(CStrings.read(entry));
            }
        } else {
            environment.forEach((name, value) -> entries.add(name + "=" + value));
        }
        environmentEdits.forEach((name, value) -> {
            entries.removeIf(e -> e.startsWith(name + "="));
            if (value != null) {
                entries.add(name + "=" + value);
            }
        });
        MemorySegment envp = arena.allocate(ADDRESS, entries.size() + 1L);
        for (int i = 0; i < entries.size(); i++) {
            envp.setAtIndex(ADDRESS, i, CStrings.of(arena, "environment", entries.get(i)));
        }
        return envp;
    }

    private void spawn(Arena arena, MemorySegment pidOut, MemorySegment fa, MemorySegment attr, MemorySegment argv,
            MemorySegment envp) throws Throwable {
        boolean search = program.indexOf('/') < 0;
        CIntFunction call = search ? SpawnH.POSIX_SPAWNP : SpawnH.POSIX_SPAWN;
        MemorySegment path = CStrings.of(arena, "program", program);
        int[] ignore = ignored.numbers();
        Lock lock = ignore.length == 0 ? DISPOSITIONS.readLock() : DISPOSITIONS.writeLock();
        int rc;
        lock.lock();
        // The errno slot of the thread that makes the call: the runner's, when there is one.
        SpawnAccess.NativeCall posixSpawn = () -> call.call(Libc.errnoSlot(), pidOut.address(), path.address(),
                fa.address(), attr.address(), argv.address(), envp.address());
        try {
            if (runner != null) {
                rc = runner.run(posixSpawn);
            } else if (ignore.length == 0) {
                rc = posixSpawn.call();
            } else {
                MemorySegment saved = arena.allocate(SignalH.SIGACTION_T, ignore.length);
                ignoreInThisProcess(arena, ignore, saved);
                try {
                    rc = posixSpawn.call();
                } finally {
                    restore(ignore, saved, ignore.length);
                }
            }
        } finally {
            lock.unlock();
        }
        if (rc != 0) {
            throw new PosixException(search ? "posix_spawnp" : "posix_spawn", rc,
                    program + failedAction(rc).map(action -> ": " + action).orElse(""));
        }
    }

    /// The file action that most likely failed with `errno`, described as the shell would
    /// ("chdir /etc/passwd"), or empty when none would: then exec failed. glibc's posix_spawn
    /// returns the errno of whichever step failed in the child without saying which, so each
    /// action that touches a path or a descriptor is checked here, in the child's order, without
    /// side effects (O_PATH opens, no creation, no truncation). Another process changing the
    /// file system in between can mislead this; it only shapes the message.
    private Optional<String> failedAction(int errno) {
        if (chdirPath != null && errno == openErrno(chdirPath.toString(), FcntlH.O_DIRECTORY)) {
            return Optional.of("chdir " + chdirPath);
        }
        if (chdirFd != null && errno == openErrno("/proc/self/fd/" + chdirFd.intValue(), FcntlH.O_DIRECTORY)) {
            return Optional.of("fchdir fd " + chdirFd.intValue());
        }
        boolean badFd = errno == Errno.EBADF.number();
        Known known = new Known();
        for (int target = 0; target < 3; target++) {
            if (!(stdio[target] instanceof Redirect.Inherit)) {
                known.opened(target);
            }
        }
        for (Action a : actions) {
            switch (a) {
                case Open(int fd, String path, int flags, int mode) -> {
                    if (runner == null && errno == openErrno(inChildDirectory(path), flags)) {
                        return Optional.of("open " + path + " as fd " + fd);
                    }
                    known.opened(fd);
                }
                case Dup2(Fd fromFd, int from, int to) -> {
                    int source = fromFd == null ? from : fromFd.intValue();
                    if (badFd && !known.isOpen(source)) {
                        return Optional.of("dup2 " + source + " " + to);
                    }
                    known.opened(to);
                }
                case Close(int fd, boolean ignoreBadFd) -> known.closed(fd);
                case CloseAllExcept(TreeSet<Integer> except) -> known.closedAllBut(except);
            }
        }
        for (int fd : kept) {
            if (badFd && !known.isOpen(fd)) {
                return Optional.of("keep fd " + fd);
            }
        }
        return Optional.empty();
    }

    /// `path` as the child resolves it after its chdir.
    private String inChildDirectory(String path) {
        if (path.startsWith("/")) {
            return path;
        }
        if (chdirPath != null) {
            return chdirPath.resolve(path).toString();
        }
        return chdirFd != null ? "/proc/self/fd/" + chdirFd.intValue() + "/" + path : path;
    }

    /// The errno an open(2) of `path` with `flags` would most likely fail with, or 0, found
    /// without creating or truncating anything.
    private static int openErrno(String path, int flags) {
        int found = pathErrno(path, FcntlH.O_PATH | (flags & FcntlH.O_DIRECTORY));
        if ((flags & FcntlH.O_CREAT) != 0) {
            if (found == Errno.ENOENT.number()) {
                Path parent = Path.of(path).getParent();
                return pathErrno(parent == null ? "." : parent.toString(), FcntlH.O_PATH | FcntlH.O_DIRECTORY);
            }
            if (found == 0 && (flags & FcntlH.O_EXCL) != 0) {
                return Errno.EEXIST.number();
            }
        }
        if (found == 0 && (flags & (FcntlH.O_WRONLY | FcntlH.O_RDWR)) != 0
                && pathErrno(path, FcntlH.O_PATH | FcntlH.O_DIRECTORY) == 0) {
            return Errno.EISDIR.number();
        }
        return found;
    }

    private static int pathErrno(String path, int flags) {
        try {
            Fd.open(path, flags, 0).close();
            return 0;
        } catch (PosixException e) {
            return e.errnoValue();
        }
    }

    /// Sets SIG_IGN for `signals`, saving each previous action in `saved`; a failure part-way
    /// restores those already changed before it throws.
    private static void ignoreInThisProcess(Arena arena, int[] signals, MemorySegment saved) throws Throwable {
        MemorySegment ignore = arena.allocate(SignalH.SIGACTION_T);
        SignalH.SA_HANDLER.set(ignore, 0L, MemorySegment.ofAddress(SignalH.SIG_IGN));
        MemorySegment errno = Libc.errnoSlot();
        for (int i = 0; i < signals.length; i++) {
            int r = SignalH.SIGACTION.call(errno, signals[i], ignore.address(),
                    saved.address() + i * SignalH.SIGACTION_T.byteSize());
            if (r < 0) {
                restore(signals, saved, i);
                Libc.check(r, errno, "sigaction", Signal.nameOf(signals[i]));
            }
        }
    }

    private static void restore(int[] signals, MemorySegment saved, int count) throws Throwable {
        MemorySegment errno = Libc.errnoSlot();
        for (int i = 0; i < count; i++) {
            int ignored = SignalH.SIGACTION.call(errno, signals[i],
                    saved.address() + i * SignalH.SIGACTION_T.byteSize(), 0L);
        }
    }

    /// Opens the pidfd and hands it to the watcher; if either fails, the child is killed and
    /// reaped (it is still our unreaped child, so its pid is safe to use) before the error is
    /// thrown.
    private static Tracked track(Watcher watcher, int pid, Arena arena) throws PosixException {
        int pidfd;
        try {
            pidfd = Calls.pidfdOpen(pid);
        } catch (PosixException e) {
            Calls.killAndReap(pid, arena.allocate(WaitH.SIGINFO));
            throw e;
        }
        try {
            return watcher.track(pid, pidfd, true, arena.allocate(EpollH.EPOLL_EVENT));
        } catch (PosixException e) {
            Calls.close(pidfd);
            Calls.killAndReap(pid, arena.allocate(WaitH.SIGINFO));
            throw e;
        }
    }

    private static void closeQuietly(List<Fd> fds) {
        for (Fd fd : fds) {
            try {
                fd.close();
            } catch (PosixException e) {
                // close(2) of a pipe end or a file reports at most EIO from a network file system
                // for a file we only opened; the descriptor is released either way.
            }
        }
    }

    private static int checkFd(String argument, int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException(argument + " must not be negative: " + fd);
        }
        return fd;
    }

    private static String checkName(String name) {
        CStrings.checkNonEmpty("name", name);
        if (name.indexOf('=') >= 0) {
            throw new IllegalArgumentException("name must not contain '=': " + name);
        }
        return name;
    }

    @Override
    public String toString() {
        return "Spawn[" + program + (args.isEmpty() ? "" : " " + String.join(" ", args)) + "]";
    }
}
