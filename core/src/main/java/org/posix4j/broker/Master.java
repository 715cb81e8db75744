package org.posix4j.broker;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.event.EventFd;
import org.posix4j.internal.BrokerSyscalls;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.PollH;
import org.posix4j.internal.PrctlH;
import org.posix4j.internal.SeccompH;
import org.posix4j.internal.SocketH;
import org.posix4j.internal.SysStatH;
import org.posix4j.internal.Syscalls;
import org.posix4j.io.Fd;
import org.posix4j.spawn.Child;

/// The master end of the libc service: receives the calls a sandboxed program makes that need
/// ambient authority, and answers them. Equivalent to Emilua's `libc_service.master`:
/// [#receive()] is its `receive`, [#send(long, int)] its `send`, [#sendWithFds(long, List, int)]
/// its `send_with_fds`, and [Call#arguments()] its `arguments`.
///
/// The slave end is a seccomp user-notification filter ([Sandbox] installs it): the program's
/// brokered syscalls stop in the kernel until the master answers, and the master never lets one
/// continue: whatever the program gets (a descriptor, a stat result, an error) comes from an
/// operation the master performed itself. Arguments are copied out of the program's memory
/// once, and the notification is checked to be still alive after the copy.
///
/// Some calls are answered here without being returned by [#receive()], because they need no
/// decision or cannot be allowed: a stat of a descriptor the program already holds (glibc's
/// fstat is `newfstatat(fd, "", AT_EMPTY_PATH)`), a signal to a process (allowed to processes of
/// the sandbox, refused with EPERM otherwise), a connect to AF_UNSPEC (which only dissolves an
/// association, performed as asked), a connect, bind or send to an address family other than
/// unix, inet and inet6 (refused with EACCES; those three reach [#receive()] as `connect_*` and
/// `bind_*` calls), unreadable arguments (EFAULT, ENAMETOOLONG, EBADF).
///
/// Thread safety: several threads may call [#receive()] at once (one at a time reads the
/// listener; the rest of the work runs in parallel); each thread answers the call it received.
/// As in the seed, a single thread looping receive/send serves the calls one by one.
public final class Master implements AutoCloseable {
    private static final int AT_FDCWD = -100;
    private static final int ENOENT = 2;
    private static final int ESRCH = 3;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int EBADF = 9;
    private static final int EACCES = 13;
    private static final int EPERM = 1;
    private static final int EFAULT = 14;
    private static final int ENOTDIR = 20;
    private static final int EINVAL = 22;
    private static final int ENAMETOOLONG = 36;
    private static final int ENOSYS = 38;
    private static final int ENOTSOCK = 88;
    private static final int EOPNOTSUPP = 95;
    private static final int ENOBUFS = 105;
    private static final int RENAME_NOREPLACE = 1;
    private static final int RENAME_EXCHANGE = 2;

    private final Fd listener;
    private final int listenerFd;
    private final EventFd wakeup;
    private final ReentrantLock receiving = new ReentrantLock();
    private final ThreadLocal<Call> current = new ThreadLocal<>();
    /// The program's notifications received by [#bootstrap] while it served the spawn, in
    /// order, each decoded by a later [#receive()]; empty once taken.
    private final Queue<byte[]> early = new ConcurrentLinkedQueue<>();
    private final String arch = Syscalls.CURRENT.arch();
    /// The handles of each call decoded and not answered yet, by notification id.
    private final Map<Long, Caller> pending = new ConcurrentHashMap<>();
    /// The status files of the threads that made calls, kept open across calls.
    final StatusFiles statusFiles = new StatusFiles();
    private volatile Signals signals;
    private volatile Fd rootPidfd;
    private volatile boolean closed;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile AuditSink audit;

    /// A master of the calls `listener` receives; `execsNotified` says that the filter sends it
    /// every execve and execveat, so that the programs' `mem` descriptors may be kept across
    /// calls ([StatusFiles]).
    Master(Fd listener, boolean execsNotified) throws PosixException {
        this.listener = listener;
        this.listenerFd = listener.intValue();
        this.wakeup = EventFd.open(0, EventFd.NON_BLOCKING);
        if (execsNotified) {
            statusFiles.keepMemory();
        }
    }

    /// The process whose descendants the sandbox holds; signals to others are refused. The
    /// master keeps its own duplicate of the child's pidfd (closed with the master).
    void root(Child child) throws PosixException {
        Fd fd = child.pidfd().duplicate();
        rootPidfd = fd;
        signals = new Signals(this, Scratch.get(), fd.intValue());
    }

    /// Where the calls answered here (not returned by receive) are recorded.
    void audit(AuditSink sink) {
        this.audit = sink;
    }

    /// Blocks until the sandboxed program makes a brokered call, and returns it. Equivalent to
    /// the seed's `receive`. The caller must answer it with one of the `send` methods before
    /// this thread receives again.
    ///
    /// @return the call, or `null` once no process of the sandbox is left (or the master was
    ///     closed)
    /// @throws IllegalStateException if the call this thread received before is not answered
    /// @throws PosixException if the kernel refuses to deliver notifications
    public Call receive() throws PosixException {
        Call pending = current.get();
        if (pending != null && !pending.isAnswered() && !pending.isHandedOff()) {
            throw new IllegalStateException("the call this thread received before is not answered yet: " + pending);
        }
        current.remove();
        Scratch s = Scratch.get();
        byte[] first = closed ? null : early.poll();
        if (first != null) {
            MemorySegment.copy(first, 0, s.notif, JAVA_BYTE, 0, first.length);
            Call call = decode(s);
            if (call != null) {
                current.set(call);
                return call;
            }
        }
        for (;;) {
            int r;
            receiving.lock();
            try {
                if (closed || !waitForCall(s, wakeup.intValue())) {
                    return null;
                }
                s.notif.fill((byte) 0);
                r = Kernel.recv(listenerFd, s.notif);
            } finally {
                receiving.unlock();
            }
            if (r == -ENOENT || r == -EINTR) {
                continue;
            }
            if (r < 0) {
                throw new PosixException("ioctl(SECCOMP_IOCTL_NOTIF_RECV)", -r, "seccomp listener");
            }
            Call call = decode(s);
            if (call != null) {
                current.set(call);
                return call;
            }
        }
    }

    /// Serves the spawn itself until `ended` (an eventfd or a pidfd) is readable: the exec of
    /// the program, the search along PATH and a requested chdir, made by the spawning child
    /// before it runs any of the program's code, are let through as the caller of
    /// [Sandbox#start] asked for them. A call of the filtered JVM thread `spawnTid` itself is
    /// refused (EPERM): only the JVM makes that thread call anything once the filter is on. The
    /// first call of anything else comes from the program itself (its exec succeeded): it is
    /// kept, undecoded, for the first [#receive()]. Decoding it waits for [#root]: a signal, the
    /// program's first brokered call when the kernel enforces the file rules, is decided on the
    /// sandbox's processes, unknown until the spawn returns.
    void bootstrap(int ended, int spawnTid) throws PosixException {
        Scratch s = Scratch.get();
        while (waitForCall(s, ended)) {
            s.notif.fill((byte) 0);
            int r = Kernel.recv(listenerFd, s.notif);
            if (r == -ENOENT || r == -EINTR) {
                continue;
            }
            if (r < 0) {
                throw new PosixException("ioctl(SECCOMP_IOCTL_NOTIF_RECV)", -r, "seccomp listener");
            }
            long id = s.notif.get(JAVA_LONG, 0);
            if (s.notif.get(JAVA_INT, SeccompH.NOTIF_PID) == spawnTid) {
                reply(s, id, 0, EPERM);
                continue;
            }
            String name = BrokerSyscalls.nameOf(arch, s.notif.get(JAVA_INT, SeccompH.NOTIF_NR));
            if ("execve".equals(name) || "execveat".equals(name) || "chdir".equals(name)) {
                continueAsAsked(s, id);
                continue;
            }
            early.add(s.notif.toArray(JAVA_BYTE));
        }
    }

    /// Lets notification `id` continue into the kernel (SECCOMP_USER_NOTIF_FLAG_CONTINUE).
    void continueAsAsked(Scratch s, long id) {
        respond(s, id, 0, 0, SeccompH.USER_NOTIF_FLAG_CONTINUE);
    }

    /// Whether a notification is waiting: false once every process under the filter is gone
    /// (the listener reports POLLHUP), the master is closed, or `stop` (an eventfd) is signalled.
    /// The descriptors of threads that ended are dropped while waiting ([StatusFiles#exits()]).
    private boolean waitForCall(Scratch s, int stop) {
        MemorySegment fds = s.pollfds;
        for (;;) {
            fds.set(JAVA_INT, 0, listenerFd);
            fds.set(JAVA_SHORT, 4, (short) PollH.POLLIN);
            fds.set(JAVA_SHORT, 6, (short) 0);
            fds.set(JAVA_INT, 8, stop);
            fds.set(JAVA_SHORT, 12, (short) PollH.POLLIN);
            fds.set(JAVA_SHORT, 14, (short) 0);
            fds.set(JAVA_INT, 16, statusFiles.exits());
            fds.set(JAVA_SHORT, 20, (short) PollH.POLLIN);
            fds.set(JAVA_SHORT, 22, (short) 0);
            int r = Kernel.poll(fds, 3, -1);
            if (r == -EINTR) {
                continue;
            }
            if (r < 0 || closed || fds.get(JAVA_SHORT, 14) != 0) {
                return false;
            }
            if (fds.get(JAVA_SHORT, 22) != 0) {
                statusFiles.reap();
            }
            short revents = fds.get(JAVA_SHORT, 6);
            if ((revents & PollH.POLLIN) != 0) {
                return true;
            }
            if ((revents & (PollH.POLLHUP | PollH.POLLERR | PollH.POLLNVAL)) != 0) {
                return false;
            }
        }
    }

    /// Answers this thread's call with `result` and no error. Equivalent to the seed's
    /// `send(result)`.
    ///
    /// @throws IllegalStateException if this thread has no call to answer
    public void send(long result) {
        send(result, 0);
    }

    /// Answers this thread's call: with `errno` when it is not 0 (the program's call then
    /// returns -1 with that errno), else with `result`. Equivalent to the seed's
    /// `send(result, errno)`. An `open` is answered with a descriptor only through
    /// [#sendWithFds(long, List, int)].
    ///
    /// @throws IllegalStateException if this thread has no call to answer
    /// @throws IllegalArgumentException if `errno` is negative, or `errno` is 0 for a call whose
    ///     success needs more than an integer (open, stat, readlink)
    public void send(long result, int errno) {
        if (errno < 0) {
            throw new IllegalArgumentException("errno must be 0 or a positive error number: " + errno);
        }
        Call call = current();
        if (errno == 0 && call.function() != null && needsMore(call)) {
            throw new IllegalArgumentException(call.function() + " succeeds with "
                    + (call.statFormat != Call.StatFormat.NONE ? "send(StatResult)"
                    : call.function() == Function.READLINK ? "sendLink(String)" : "sendWithFds") + ", not an integer");
        }
        answer(call);
        reply(Scratch.get(), call.id, result, errno);
    }

    /// [#send(long, int)] with an [Errno], `null` for none.
    public void send(long result, Errno errno) {
        send(result, errno == null ? 0 : errno.number());
    }

    /// Answers this thread's `stat` or `lstat` with `stat`, written into the program's struct
    /// stat or struct statx (whichever its syscall takes). Equivalent to the seed's
    /// `send(stat_table)`.
    ///
    /// @throws IllegalStateException if this thread has no call to answer, or it is not a stat
    public void send(StatResult stat) {
        Call call = current();
        if (call.statFormat == Call.StatFormat.NONE) {
            throw new IllegalStateException(call.function() + " is not answered with a stat result");
        }
        answer(call);
        writeStatResult(Scratch.get(), call.id, call.caller, call.buffer, call.statFormat, stat);
    }

    /// Answers this thread's `readlink` with the link's target, written into the program's
    /// buffer (truncated to its size, without a NUL, as readlink(2) does).
    ///
    /// @throws IllegalStateException if this thread has no call to answer, or it is no readlink
    public void sendLink(String target) {
        Call call = current();
        if (call.function() != Function.READLINK) {
            throw new IllegalStateException(call.function() + " is not answered with a link target");
        }
        answer(call);
        writeLinkResult(Scratch.get(), call, Paths.raw(target));
    }

    /// Answers this thread's call with descriptors. Equivalent to the seed's `send_with_fds`.
    /// For `open` and `openat` with `errno` 0, `fds` holds exactly the one descriptor to give the
    /// program: the kernel installs a copy in the program (close-on-exec when its flags asked
    /// for it) and its call returns that copy's number, in one step, so an interrupted program
    /// never receives a descriptor it does not know of (`result` is not used). With `errno` not
    /// 0, `fds` must be empty and this is [#send(long, int)]. The caller still owns and closes
    /// `fds`.
    ///
    /// The descriptor is checked before anything is answered, so that after an exception the
    /// call is still this thread's to answer: it must be open, and must not be an O_PATH
    /// descriptor (SECCOMP_IOCTL_NOTIF_ADDFD refuses those; open the file for reading or
    /// writing instead). A failure of the kernel to install it in the program (EMFILE there, for
    /// one) is the program's call's result, as it would be for its own open.
    ///
    /// @throws IllegalStateException if this thread has no call to answer, or the [Fd] is closed
    /// @throws IllegalArgumentException if `fds` does not fit the call as described, its
    ///     descriptor is not open, or it is an O_PATH descriptor
    public void sendWithFds(long result, List<Fd> fds, int errno) {
        Call call = current();
        if (errno != 0 || fds.isEmpty()) {
            if (!fds.isEmpty()) {
                throw new IllegalArgumentException("fds must be empty when errno is set");
            }
            send(result, errno);
            return;
        }
        if (call.function() != Function.OPEN && call.function() != Function.OPENAT) {
            throw new IllegalArgumentException(call.function() + " takes no descriptors");
        }
        if (fds.size() != 1) {
            throw new IllegalArgumentException("open returns one descriptor, not " + fds.size());
        }
        int fd = fds.getFirst().intValue();
        int status = Kernel.fcntl(fd, FcntlH.F_GETFL, 0);
        if (status < 0) {
            throw new IllegalArgumentException("fds: descriptor " + fd + " is not open");
        }
        if ((status & OpenFlag.O_PATH) != 0) {
            throw new IllegalArgumentException("fds: descriptor " + fd
                    + " is an O_PATH descriptor, which SECCOMP_IOCTL_NOTIF_ADDFD refuses; open the file for I/O");
        }
        answer(call);
        int r = injectFdResult(Scratch.get(), call.id, fd, call.rawFlags);
        if (r < 0 && r != -ENOENT) {
            reply(Scratch.get(), call.id, 0, -r);
        }
    }

    /// [#sendWithFds(long, List, int)] with an [Errno], `null` for none.
    public void sendWithFds(long result, List<Fd> fds, Errno errno) {
        sendWithFds(result, fds, errno == null ? 0 : errno.number());
    }

    /// Performs this thread's socket call (connect, bind, or a send with a destination) exactly
    /// as the program asked, on the program's own socket, and answers it with the kernel's
    /// result: the raw loop's way to allow a network call. A relative unix path is taken from
    /// the program's working directory; nothing is contained (use [Sandbox#serve] with a
    /// [Policy] for that), and a bound unix socket's file gets this JVM's umask, which the
    /// calling thread shares ([Sandbox#serve]'s threads apply the program's). An exec or chdir
    /// is let continue: the kernel performs it itself, with the program's own credentials (see
    /// [Function#EXEC]).
    ///
    /// @throws IllegalStateException if this thread has no call, or it is no socket call, exec
    ///     or chdir
    public void performAsAsked() {
        Call call = current();
        if (call.function() == Function.EXEC || call.function() == Function.CHDIR) {
            answer(call);
            continueAsAsked(Scratch.get(), call.id);
            return;
        }
        if (call.netOp == null) {
            throw new IllegalStateException(call.function() + " is not a socket call");
        }
        answer(call);
        Scratch s = Scratch.get();
        byte[] address = call.endpoint.raw();
        if (call.endpoint.isUnixPath()) {
            address = Sockets.unixAddress(call.absolutePathRaw());
        }
        List<byte[]> destinations = null;
        if (call.netOp == Call.NetOp.SENDMMSG) {
            destinations = new ArrayList<>();
            for (Object[] m : batchOf(call)) {
                destinations.add(m.length > 3 ? (byte[]) m[3] : null);
            }
        }
        long[] r = address == null ? new long[] {-1, ENAMETOOLONG}
                : NetworkCalls.perform(this, s, call, address, destinations, null, () -> { });
        if (r != null) {
            reply(s, call.id, r[0], (int) r[1]);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> batchOf(Call call) {
        return (List<Object[]>) ((Object[]) call.payload)[1];
    }

    /// Answers this thread's `getaddrinfo` with its addresses (possibly none: the seed's
    /// successful reply of zero elements).
    ///
    /// @throws IllegalStateException if this thread has no call, or it is no getaddrinfo
    public void sendAddresses(List<InetSocketAddress> addresses) {
        Call call = current();
        if (call.function() != Function.GETADDRINFO) {
            throw new IllegalStateException(call.function() + " is not answered with addresses");
        }
        answer(call);
        writeLinkResult(Scratch.get(), call, BrokerResolverProvider.encodeAnswer(addresses));
    }

    /// Answers this thread's `getaddrinfo` with an error. Equivalent to the seed's string
    /// results of a failed getaddrinfo.
    ///
    /// @throws IllegalStateException if this thread has no call, or it is no getaddrinfo
    public void sendAddrInfoError(AddrInfoError error) {
        Call call = current();
        if (call.function() != Function.GETADDRINFO) {
            throw new IllegalStateException(call.function() + " is not answered with an EAI error");
        }
        answer(call);
        writeLinkResult(Scratch.get(), call, error.name());
    }

    /// The call this thread received and has not answered.
    Call current() {
        Call call = current.get();
        if (call == null || call.isAnswered() || call.isHandedOff()) {
            throw new IllegalStateException("this thread has no call to answer: receive() first");
        }
        return call;
    }

    private static void answer(Call call) {
        if (!call.markAnswered()) {
            throw new IllegalStateException("the call is already answered: " + call);
        }
    }

    private static boolean needsMore(Call call) {
        return call.function() == Function.OPEN || call.function() == Function.OPENAT
                || call.statFormat != Call.StatFormat.NONE || call.function() == Function.READLINK;
    }

    /// Stops every [#receive()] (they return `null`) and closes the listener. The sandboxed
    /// processes' brokered calls fail with ENOSYS from then on: they are never let through.
    /// Closing again, from any thread, does nothing.
    @Override
    public void close() throws PosixException {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        // A notification kept from the bootstrap holds no handles: closing the listener fails it.
        early.clear();
        try {
            wakeup.signal();
        } finally {
            receiving.lock();
            try {
                try {
                    statusFiles.close();
                    listener.close();
                } finally {
                    try {
                        wakeup.close();
                    } finally {
                        Fd root = rootPidfd;
                        if (root != null) {
                            root.close();
                        }
                    }
                }
            } finally {
                receiving.unlock();
            }
        }
    }

    // ---- decoding ----

    /// An argument the program passed is unusable: the call is answered with `errno`.
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        Refused(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }

    /// Decodes the notification in `s`; answers it here and returns `null`, or returns the call
    /// for the policy. The caller's handles are opened first and released when the call is
    /// answered ([#reply]) or, when it is gone unanswered, here.
    private Call decode(Scratch s) {
        long id = s.notif.get(JAVA_LONG, 0);
        int tid = s.notif.get(JAVA_INT, SeccompH.NOTIF_PID);
        int nr = s.notif.get(JAVA_INT, SeccompH.NOTIF_NR);
        String name = BrokerSyscalls.nameOf(arch, nr);
        statusFiles.heardFrom(tid);
        Caller c = Caller.open(this, s, id, tid, createsNothing(s, name), checkedLater(name));
        if (c == null) {
            reply(s, id, 0, EPERM);
            return null;
        }
        pending.put(id, c);
        Call call = null;
        try {
            call = decode(s, id, c, nr, name);
            return call;
        } finally {
            if (call == null && !c.isHandedOff()) {
                release(id);
            }
        }
    }

    /// Whether the notification in `s`, of syscall `name` (`null` for one the table does not
    /// know), is a call that cannot create a file (the stat and access families, readlink, an
    /// open without O_CREAT or O_TMPFILE, a connect or a send), whose caller's umask therefore
    /// does not matter.
    private static boolean createsNothing(Scratch s, String name) {
        if (name == null) {
            return false;
        }
        return switch (name) {
            case "stat", "lstat", "newfstatat", "statx", "access", "faccessat", "faccessat2", "readlink",
                    "readlinkat", "connect", "sendto", "sendmsg", "sendmmsg" -> true;
            case "open" -> createsNothing(s.notif.get(JAVA_LONG, SeccompH.NOTIF_ARGS + 8));
            case "openat" -> createsNothing(s.notif.get(JAVA_LONG, SeccompH.NOTIF_ARGS + 16));
            default -> false;
        };
    }

    /// Whether the decoding of syscall `name` (`null` for one the table does not know) does
    /// nothing with its caller before it checks the notification but read the caller's memory
    /// by number and open handles proven by checks of their own, so that the check made after
    /// the caller's credentials are read can be left to it ([Caller#open]): the calls with a path,
    /// which every file-heavy program makes most.
    private static boolean checkedLater(String name) {
        if (name == null) {
            return false;
        }
        return switch (name) {
            case "open", "openat", "openat2", "stat", "lstat", "newfstatat", "statx", "access", "faccessat",
                    "faccessat2", "readlink", "readlinkat" -> true;
            default -> false;
        };
    }

    private static boolean createsNothing(long openFlags) {
        return (openFlags & (OpenFlag.O_CREAT | OpenFlag.O_TMPFILE & ~OpenFlag.O_DIRECTORY)) == 0;
    }

    private Call decode(Scratch s, long id, Caller c, int nr, String name) {
        long[] a = new long[6];
        for (int i = 0; i < 6; i++) {
            a[i] = s.notif.get(JAVA_LONG, SeccompH.NOTIF_ARGS + 8L * i);
        }
        String syscall = name == null ? "syscall " + nr : name;
        try {
            return switch (syscall) {
                case "open" -> open(s, id, c, syscall, AT_FDCWD, a[0], (int) a[1], (int) a[2], 0);
                case "creat" -> open(s, id, c, syscall, AT_FDCWD, a[0],
                        OpenFlag.O_CREAT | OpenFlag.O_WRONLY | OpenFlag.O_TRUNC, (int) a[1], 0);
                case "openat" -> open(s, id, c, syscall, (int) a[0], a[1], (int) a[2], (int) a[3], 0);
                case "openat2" -> openat2(s, id, c, (int) a[0], a[1], a[2], a[3]);
                case "stat" -> stat(s, id, c, syscall, AT_FDCWD, a[0], 0, a[1], Call.StatFormat.STAT);
                case "lstat" -> stat(s, id, c, syscall, AT_FDCWD, a[0], SysStatH.AT_SYMLINK_NOFOLLOW, a[1],
                        Call.StatFormat.STAT);
                case "newfstatat" -> stat(s, id, c, syscall, (int) a[0], a[1], (int) a[3], a[2], Call.StatFormat.STAT);
                case "statx" -> stat(s, id, c, syscall, (int) a[0], a[1], (int) a[2], a[4], Call.StatFormat.STATX);
                case "access" -> access(s, id, c, syscall, AT_FDCWD, a[0], (int) a[1], 0);
                case "faccessat" -> access(s, id, c, syscall, (int) a[0], a[1], (int) a[2], 0);
                case "faccessat2" -> access(s, id, c, syscall, (int) a[0], a[1], (int) a[2], (int) a[3]);
                case "mkdir" -> mkdir(s, id, c, syscall, AT_FDCWD, a[0], (int) a[1]);
                case "mkdirat" -> mkdir(s, id, c, syscall, (int) a[0], a[1], (int) a[2]);
                case "rmdir" -> onePath(s, id, c, syscall, Function.RMDIR, AT_FDCWD, a[0]);
                case "unlink" -> onePath(s, id, c, syscall, Function.UNLINK, AT_FDCWD, a[0]);
                case "unlinkat" -> unlinkat(s, id, c, (int) a[0], a[1], (int) a[2]);
                case "rename" -> rename(s, id, c, syscall, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
                case "renameat" -> rename(s, id, c, syscall, (int) a[0], a[1], (int) a[2], a[3], 0);
                case "renameat2" -> rename(s, id, c, syscall, (int) a[0], a[1], (int) a[2], a[3], (int) a[4]);
                case "symlink" -> symlink(s, id, c, syscall, a[0], AT_FDCWD, a[1]);
                case "symlinkat" -> symlink(s, id, c, syscall, a[0], (int) a[1], a[2]);
                case "link" -> link(s, id, c, syscall, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
                case "linkat" -> link(s, id, c, syscall, (int) a[0], a[1], (int) a[2], a[3], (int) a[4]);
                case "truncate" -> truncate(s, id, c, syscall, a[0], a[1]);
                case "mknod" -> mknod(s, id, c, syscall, AT_FDCWD, a[0], (int) a[1], a[2]);
                case "mknodat" -> mknod(s, id, c, syscall, (int) a[0], a[1], (int) a[2], a[3]);
                case "readlink" -> readlink(s, id, c, syscall, AT_FDCWD, a[0], a[1], a[2]);
                case "readlinkat" -> readlink(s, id, c, syscall, (int) a[0], a[1], a[2], a[3]);
                case "kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal" -> {
                    signals.signal(s, id, c, syscall, a);
                    yield null;
                }
                case "fcntl" -> {
                    if ((int) a[1] != PrctlH.F_SETOWN && (int) a[1] != PrctlH.F_SETOWN_EX) {
                        throw new Refused(EPERM);
                    }
                    signals.setOwner(s, id, c, (int) a[0], (int) a[1], a[2]);
                    yield null;
                }
                case "chmod" -> chmod(s, id, c, syscall, AT_FDCWD, a[0], (int) a[1], 0);
                case "fchmodat" -> chmod(s, id, c, syscall, (int) a[0], a[1], (int) a[2], 0);
                case "fchmodat2" -> chmod(s, id, c, syscall, (int) a[0], a[1], (int) a[2], (int) a[3]);
                case "fchmod" -> fchmod(s, id, c, (int) a[0], (int) a[1]);
                case "utimensat" -> utimensat(s, id, c, (int) a[0], a[1], a[2], (int) a[3]);
                case "connect" -> socketCall(s, id, c, syscall, (int) a[0], a[1], a[2], Call.NetOp.CONNECT, null);
                case "bind" -> socketCall(s, id, c, syscall, (int) a[0], a[1], a[2], Call.NetOp.BIND, null);
                case "sendto" -> sendto(s, id, c, (int) a[0], a[1], a[2], (int) a[3], a[4], a[5]);
                case "sendmsg" -> sendmsg(s, id, c, (int) a[0], a[1], (int) a[2]);
                case "sendmmsg" -> sendmmsg(s, id, c, (int) a[0], a[1], (int) a[2], (int) a[3]);
                case "listen" -> listen(s, id, c, syscall, (int) a[0], (int) a[1]);
                case "socket" -> stillValid(s, new Call(id, c, syscall, Function.SOCKET,
                        new Arguments.Socket((int) a[0], (int) a[1], (int) a[2],
                                SocketKind.of((int) a[0], (int) a[1], (int) a[2])),
                        null, null, null, null, (int) a[1], 0, 0, 0, 0, Call.StatFormat.NONE, 0));
                case "setgroups" -> {
                    // Let through once noted: the kernel checks the program's own right to it.
                    statusFiles.groupsChanging();
                    continueAsAsked(s, id);
                    yield null;
                }
                case "execve", "execveat" -> {
                    // Before anything lets it through: the caller's memory is about to change.
                    statusFiles.execStarting(c.tid);
                    yield "execve".equals(syscall) ? exec(s, id, c, syscall, AT_FDCWD, a[0], 0)
                            : exec(s, id, c, syscall, (int) a[0], a[1], (int) a[4]);
                }
                case "chdir" -> onePath(s, id, c, syscall, Function.CHDIR, AT_FDCWD, a[0]);
                default -> throw new Refused(ENOSYS);
            };
        } catch (Refused r) {
            // A caller whose check was left to the decoding is recorded only if its call still
            // waits: the thread group its credentials named may be another's.
            boolean record = audit != null && (!checkedLater(name) || stillWaiting(s, id));
            reply(s, id, 0, r.errno);
            if (record) {
                automatic(c, syscall, syscall, Map.of(), Decision.DENY, -1, r.errno);
            }
            return null;
        }
    }

    void automatic(Caller c, String syscall, String function, Map<String, Object> arguments,
            Decision decision, long result, int errno) {
        AuditSink sink = audit;
        if (sink != null) {
            sink.record(new AuditEvent(Instant.now(), c.pid, c.tid, syscall, function, arguments, List.of(),
                    decision, result, errno));
        }
    }

    /// `call` if its notification is still waiting for an answer after its arguments were read,
    /// else `null`: the thread was killed (or its call interrupted) while we read its memory,
    /// and what we read may belong to another process by now.
    private Call stillValid(Scratch s, Call call) {
        return stillWaiting(s, call.id) ? call : null;
    }

    private String readPath(Scratch s, Caller c, long address) throws Refused {
        if (address == 0) {
            throw new Refused(EFAULT);
        }
        long got = 0;
        while (got < Scratch.PATH_MAX) {
            long at = address + got;
            long want = Math.min(4096 - (at & 4095), Scratch.PATH_MAX - got);
            long r = c.peek(s, s.remote.asSlice(got, want), at, want);
            if (r <= 0) {
                throw new Refused(EFAULT);
            }
            // Scanned in a Java array: byte by byte, a native segment costs several times more.
            MemorySegment.copy(s.remote, JAVA_BYTE, got, s.bytes, (int) got, (int) r);
            for (int i = (int) got; i < got + r; i++) {
                if (s.bytes[i] == 0) {
                    return new String(s.bytes, 0, i, ISO_8859_1);
                }
            }
            got += r;
            if (r < want) {
                throw new Refused(EFAULT);
            }
        }
        throw new Refused(ENAMETOOLONG);
    }

    /// The directory the program's relative paths start from: its working directory or what
    /// `dirfd` refers to, as the kernel names it.
    private String base(Scratch s, Caller c, int dirfd) throws Refused {
        if (dirfd != AT_FDCWD && dirfd < 0) {
            throw new Refused(EBADF);
        }
        String target = readlinkAt(s, c.procDir(s), dirfd == AT_FDCWD ? "cwd" : "fd/" + dirfd);
        if (target == null) {
            throw new Refused(dirfd == AT_FDCWD ? ENOENT : EBADF);
        }
        if (!target.startsWith("/")) {
            throw new Refused(ENOTDIR);
        }
        if (target.endsWith(" (deleted)")) {
            throw new Refused(ENOENT);
        }
        return target;
    }

    /// readlink(2) of one of the master's own paths (raw), `null` when it fails.
    static String readlink(Scratch s, String rawPath) {
        return readlinkAt(s, AT_FDCWD, rawPath);
    }

    /// readlinkat(2) of `rawPath` under `dirfd` (a negative one other than AT_FDCWD fails).
    private static String readlinkAt(Scratch s, int dirfd, String rawPath) {
        if (dirfd < 0 && dirfd != AT_FDCWD) {
            return null;
        }
        s.path2.setString(0, rawPath, ISO_8859_1);
        long n = Kernel.readlinkat(dirfd, s.path2, s.link);
        if (n < 0 || n > Scratch.PATH_MAX) {
            return null;
        }
        return new String(s.link.asSlice(0, n).toArray(JAVA_BYTE), ISO_8859_1);
    }

    private Call open(Scratch s, long id, Caller c, String syscall, int dirfd, long pathAddress, int flags, int mode,
            long resolve) throws Refused {
        String raw = readPath(s, c, pathAddress);
        if (raw.isEmpty()) {
            throw new Refused(ENOENT);
        }
        String base = raw.startsWith("/") && resolve == 0 ? null : base(s, c, dirfd);
        boolean creating = (flags & OpenFlag.O_CREAT) != 0 || (flags & OpenFlag.O_TMPFILE) == OpenFlag.O_TMPFILE;
        Function function = dirfd == AT_FDCWD && syscall.equals("openat2") == false ? Function.OPEN : Function.OPENAT;
        Arguments args = new Arguments.Open(Paths.display(raw), OpenFlag.decode(flags, resolve),
                creating ? OptionalInt.of(mode & 07777) : OptionalInt.empty());
        return stillValid(s, new Call(id, c, syscall, function, args, raw, base == null ? raw : Paths.join(base, raw),
                null, base, flags, resolve, mode, 0, 0, Call.StatFormat.NONE, 0));
    }

    private Call openat2(Scratch s, long id, Caller c, int dirfd, long pathAddress, long howAddress, long size)
            throws Refused {
        if (size < 24 || size > 4096) {
            throw new Refused(size < 24 ? EINVAL : 7);
        }
        long r = c.peek(s, s.remote, howAddress, size);
        if (r != size) {
            throw new Refused(EFAULT);
        }
        for (long i = 24; i < size; i++) {
            if (s.remote.get(JAVA_BYTE, i) != 0) {
                throw new Refused(7);
            }
        }
        long flags = s.remote.get(JAVA_LONG, 0);
        long mode = s.remote.get(JAVA_LONG, 8);
        long resolve = s.remote.get(JAVA_LONG, 16);
        if ((flags >>> 32) != 0 || (mode & ~07777L) != 0 || (resolve & ~0x3fL) != 0) {
            throw new Refused(EINVAL);
        }
        return open(s, id, c, "openat2", dirfd, pathAddress, (int) flags, (int) mode, resolve);
    }

    private Call stat(Scratch s, long id, Caller c, String syscall, int dirfd, long pathAddress, int flags, long buffer,
            Call.StatFormat format) throws Refused {
        String raw = readPath(s, c, pathAddress);
        if (raw.isEmpty()) {
            if ((flags & SysStatH.AT_EMPTY_PATH) == 0) {
                throw new Refused(ENOENT);
            }
            // Answered here, with the caller's credentials proven first ([#checkedLater]).
            if (stillWaiting(s, id)) {
                fstat(s, id, c, syscall, dirfd, buffer, format);
            }
            return null;
        }
        boolean noFollow = (flags & SysStatH.AT_SYMLINK_NOFOLLOW) != 0;
        return stillValid(s, new Call(id, c, syscall, noFollow ? Function.LSTAT : Function.STAT,
                new Arguments.Path(Paths.display(raw)), raw, absolute(s, c, dirfd, raw), null, null, 0, 0, 0, buffer, 0,
                format, flags));
    }

    /// [#absolute] of `raw`, or with an empty `raw` and AT_EMPTY_PATH in `flags` what `dirfd`
    /// names; an empty path without AT_EMPTY_PATH is ENOENT.
    private String absoluteOrEmpty(Scratch s, Caller c, int dirfd, String raw, int flags) throws Refused {
        if (!raw.isEmpty()) {
            return absolute(s, c, dirfd, raw);
        }
        if ((flags & SysStatH.AT_EMPTY_PATH) == 0) {
            throw new Refused(ENOENT);
        }
        return base(s, c, dirfd);
    }

    private String absolute(Scratch s, Caller c, int dirfd, String raw) throws Refused {
        return raw.startsWith("/") ? raw : Paths.join(base(s, c, dirfd), raw);
    }

    /// A stat of a descriptor the program holds: the master stats the same open file through
    /// `/proc/TID/fd/N`, which needs no policy (the program has the descriptor already).
    private void fstat(Scratch s, long id, Caller c, String syscall, int fd, long buffer, Call.StatFormat format) {
        int proc = c.procDir(s);
        s.path2.setString(0, fd == AT_FDCWD ? "cwd" : "fd/" + fd, ISO_8859_1);
        int r = fd != AT_FDCWD && fd < 0 ? -EBADF : proc < 0 ? proc : Kernel.statx(proc, s.path2, 0, s.statx);
        Map<String, Object> args = Map.of("fd", fd);
        if (r < 0) {
            int errno = r == -ENOENT ? EBADF : -r;
            reply(s, id, 0, errno);
            automatic(c, syscall, "fstat", args, Decision.ALLOW, -1, errno);
            return;
        }
        int errno = writeStatResult(s, id, c, buffer, format, StatWriter.fromStatx(s.statx));
        automatic(c, syscall, "fstat", args, Decision.ALLOW, errno == 0 ? 0 : -1, errno);
    }

    private Call access(Scratch s, long id, Caller c, String syscall, int dirfd, long pathAddress, int mode, int flags)
            throws Refused {
        if ((mode & ~7) != 0 || (flags & ~(SysStatH.AT_EACCESS | SysStatH.AT_SYMLINK_NOFOLLOW | SysStatH.AT_EMPTY_PATH)) != 0) {
            throw new Refused(EINVAL);
        }
        String raw = readPath(s, c, pathAddress);
        String absolute = absoluteOrEmpty(s, c, dirfd, raw, flags);
        Function function = (flags & SysStatH.AT_EACCESS) != 0 ? Function.EACCESS : Function.ACCESS;
        return stillValid(s, new Call(id, c, syscall, function,
                new Arguments.Access(Paths.display(raw), AccessMode.decode(mode)), raw, absolute, null, null, 0, 0, mode, 0,
                0, Call.StatFormat.NONE, flags));
    }

    private Call mkdir(Scratch s, long id, Caller c, String syscall, int dirfd, long pathAddress, int mode)
            throws Refused {
        String raw = readPath(s, c, pathAddress);
        if (raw.isEmpty()) {
            throw new Refused(ENOENT);
        }
        return stillValid(s, new Call(id, c, syscall, Function.MKDIR,
                new Arguments.Mkdir(Paths.display(raw), mode & 07777), raw, absolute(s, c, dirfd, raw), null, null, 0, 0,
                mode & 07777, 0, 0, Call.StatFormat.NONE, 0));
    }

    private Call chmod(Scratch s, long id, Caller c, String syscall, int dirfd, long pathAddress, int mode, int flags)
            throws Refused {
        if ((flags & ~(SysStatH.AT_SYMLINK_NOFOLLOW | SysStatH.AT_EMPTY_PATH)) != 0) {
            throw new Refused(EINVAL);
        }
        if ((flags & SysStatH.AT_SYMLINK_NOFOLLOW) != 0) {
            throw new Refused(EOPNOTSUPP);
        }
        String raw = readPath(s, c, pathAddress);
        String absolute = absoluteOrEmpty(s, c, dirfd, raw, flags);
        return stillValid(s, new Call(id, c, syscall, Function.CHMOD,
                new Arguments.Chmod(Paths.display(raw), mode & 07777), raw, absolute, null, null, 0, 0, mode & 07777, 0,
                0, Call.StatFormat.NONE, 0));
    }

    /// fchmod(2): decided on the path the kernel gives the descriptor; a descriptor without one
    /// (a pipe, a socket, an unlinked file) cannot be checked and is refused.
    private Call fchmod(Scratch s, long id, Caller c, int fd, int mode) throws Refused {
        String path;
        try {
            path = base(s, c, fd);
        } catch (Refused r) {
            throw new Refused(r.errno == EBADF ? EBADF : EPERM);
        }
        return stillValid(s, new Call(id, c, "fchmod", Function.CHMOD,
                new Arguments.Chmod(Paths.display(path), mode & 07777), path, path, null, null, 0, 0, mode & 07777, 0, 0,
                Call.StatFormat.NONE, 0));
    }

    /// utimensat(2), and futimens(3) (a descriptor with a NULL path), decided on the path the
    /// kernel gives the descriptor, as fchmod is. The kernel's order is kept: the times are
    /// copied (EFAULT), two UTIME_OMIT change nothing and succeed before anything is looked up,
    /// then the flags (EINVAL), the descriptor or path, and the nanoseconds (EINVAL).
    private Call utimensat(Scratch s, long id, Caller c, int dirfd, long pathAddress, long timesAddress, int flags)
            throws Refused {
        long[] t = {0, Arguments.Utimes.Time.UTIME_NOW, 0, Arguments.Utimes.Time.UTIME_NOW};
        if (timesAddress != 0) {
            if (c.peek(s, s.times, timesAddress, 32) != 32) {
                throw new Refused(EFAULT);
            }
            for (int i = 0; i < 4; i++) {
                t[i] = s.times.get(JAVA_LONG, 8L * i);
            }
        }
        if (t[1] == Arguments.Utimes.Time.UTIME_OMIT && t[3] == Arguments.Utimes.Time.UTIME_OMIT) {
            if (!stillWaiting(s, id)) {
                return null;
            }
            reply(s, id, 0, 0);
            automatic(c, "utimensat", Function.UTIMES.seedName(), Map.of("atime", "omit", "mtime", "omit"),
                    Decision.ALLOW, 0, 0);
            return null;
        }
        String raw;
        String absolute;
        if (pathAddress == 0 && dirfd != AT_FDCWD) {
            if (flags != 0) {
                throw new Refused(EINVAL);
            }
            try {
                absolute = base(s, c, dirfd);
            } catch (Refused r) {
                throw new Refused(r.errno == EBADF ? EBADF : EPERM);
            }
            raw = absolute;
        } else {
            if ((flags & ~(SysStatH.AT_SYMLINK_NOFOLLOW | SysStatH.AT_EMPTY_PATH)) != 0) {
                throw new Refused(EINVAL);
            }
            raw = readPath(s, c, pathAddress);
            absolute = absoluteOrEmpty(s, c, dirfd, raw, flags);
        }
        if (!Arguments.Utimes.Time.valid(t[1]) || !Arguments.Utimes.Time.valid(t[3])) {
            throw new Refused(EINVAL);
        }
        return stillValid(s, new Call(id, c, "utimensat", Function.UTIMES,
                new Arguments.Utimes(Paths.display(raw), new Arguments.Utimes.Time(t[0], t[1]),
                        new Arguments.Utimes.Time(t[2], t[3])),
                raw, absolute, null, null, 0, 0, 0, 0, 0, Call.StatFormat.NONE, flags & SysStatH.AT_SYMLINK_NOFOLLOW));
    }

    private Call socketCall(Scratch s, long id, Caller c, String syscall, int fd, long address, long length,
            Call.NetOp op, Object payload) throws Refused {
        if (length < 0 || length > Endpoint.MAX) {
            throw new Refused(EINVAL);
        }
        // Read by number, without opening the caller's mem: the notification check of
        // stillValid below, or the one right here for AF_UNSPEC, proves it was the caller's.
        byte[] raw = new byte[(int) length];
        if (length > 0 && c.peek(s, s.remote, address, length) != length) {
            throw new Refused(EFAULT);
        }
        MemorySegment.copy(s.remote, JAVA_BYTE, 0, raw, 0, raw.length);
        int[] errno = {0};
        Endpoint endpoint = Endpoint.decode(raw, errno);
        if (endpoint == null) {
            throw new Refused(errno[0]);
        }
        if (endpoint.family() == Endpoint.AF_UNSPEC && op == Call.NetOp.CONNECT) {
            if (!stillWaiting(s, id)) {
                return null;
            }
            int copy = c.copyFd(fd);
            int r = copy < 0 ? copy : Sockets.connect(copy, raw);
            if (copy >= 0) {
                Kernel.close(copy);
            }
            reply(s, id, r < 0 ? -1 : 0, r < 0 ? -r : 0);
            automatic(c, syscall, "connect", Map.of("fd", fd, "family", "unspec"), Decision.ALLOW, r < 0 ? -1 : 0,
                    r < 0 ? -r : 0);
            return null;
        }
        Function function = endpoint.function(op == Call.NetOp.BIND);
        if (function == null) {
            throw new Refused(EACCES);
        }
        Arguments args;
        String absolute = null;
        if (endpoint.family() == Endpoint.AF_UNIX) {
            args = new Arguments.Unix(Paths.display(endpoint.unixPath()));
            if (endpoint.isUnixPath()) {
                absolute = absolute(s, c, AT_FDCWD, endpoint.unixPath());
            }
        } else {
            args = new Arguments.Inet(endpoint.address(), endpoint.port());
        }
        Call call = new Call(id, c, syscall, function, args, endpoint.unixPath(), absolute, null, null, 0, 0,
                0, 0, 0, Call.StatFormat.NONE, 0);
        call.socketFd = fd;
        call.endpoint = endpoint;
        call.netOp = op;
        call.payload = payload;
        return stillValid(s, call);
    }

    /// listen(2). On a socket already bound (its bind was decided) or a unix socket (which listen
    /// never binds) it is performed at once. On an unbound inet socket the kernel would bind an
    /// ephemeral port on every address, so it becomes a [Function#BIND_INET] (or INET6) of that
    /// address, the socket's own (`0.0.0.0:0` or `[::]:0`, as getsockname reports it), decided
    /// like bind(2) and then performed as the listen asked.
    private Call listen(Scratch s, long id, Caller c, String syscall, int fd, int backlog) throws Refused {
        int copy = c.copyFd(fd);
        if (copy < 0) {
            throw new Refused(-copy);
        }
        Endpoint endpoint;
        try {
            int socket = Sockets.checkSocket(s, copy);
            byte[] local = socket < 0 ? null : Sockets.localAddress(copy);
            if (local == null) {
                throw new Refused(socket < 0 ? -socket : ENOTSOCK);
            }
            endpoint = Endpoint.decode(local, new int[1]);
            boolean unbound = endpoint != null && endpoint.port() == 0
                    && (endpoint.family() == Endpoint.AF_INET || endpoint.family() == Endpoint.AF_INET6);
            if (!unbound) {
                int r = Sockets.listen(copy, backlog);
                reply(s, id, r < 0 ? -1 : 0, r < 0 ? -r : 0);
                automatic(c, syscall, "listen", Map.of("fd", fd), Decision.ALLOW, r < 0 ? -1 : 0, r < 0 ? -r : 0);
                return null;
            }
        } finally {
            Kernel.close(copy);
        }
        Call call = new Call(id, c, syscall, endpoint.function(true),
                new Arguments.Inet(endpoint.address(), endpoint.port()), null, null, null, null, 0, 0, 0, 0, 0,
                Call.StatFormat.NONE, 0);
        call.socketFd = fd;
        call.endpoint = endpoint;
        call.netOp = Call.NetOp.LISTEN;
        call.payload = backlog;
        return stillValid(s, call);
    }

    private Call sendto(Scratch s, long id, Caller c, int fd, long buffer, long length, int flags, long address,
            long addressLength) throws Refused {
        byte[] data = Sockets.readData(c, buffer, length);
        if (data == null) {
            throw new Refused(c.copyError());
        }
        Sockets.Message message = new Sockets.Message(data, new byte[0], List.of(), flags, length > data.length);
        if (address == 0) {
            sendNow(s, id, c, "sendto", fd, message, flags);
            return null;
        }
        return socketCall(s, id, c, "sendto", fd, address, addressLength, Call.NetOp.SENDTO, message);
    }

    private Call sendmsg(Scratch s, long id, Caller c, int fd, long msghdr, int flags) throws Refused {
        int[] errno = {0};
        Object[] read = Sockets.readMsghdr(c, msghdr, Sockets.MAX_DATA, errno);
        if (read == null) {
            throw new Refused(errno[0]);
        }
        Sockets.Message read2 = (Sockets.Message) read[2];
        Sockets.Message message = new Sockets.Message(read2.data(), read2.control(), read2.fds(), flags, read2.truncated());
        long name = (long) read[0];
        if (name == 0) {
            sendNow(s, id, c, "sendmsg", fd, message, flags);
            return null;
        }
        try {
            return socketCall(s, id, c, "sendmsg", fd, name, clampedNameLength((int) read[1]), Call.NetOp.SENDMSG,
                    message);
        } catch (Refused r) {
            message.fds().forEach(Kernel::close);
            throw r;
        }
    }

    /// sendmmsg(2): messages without a destination are sent here; when one has a destination,
    /// the call goes to the policy as that destination's `connect_*` and is sent whole or not at
    /// all (every destination must be allowed).
    private Call sendmmsg(Scratch s, long id, Caller c, int fd, long vector, int count, int flags) throws Refused {
        if (count < 0) {
            throw new Refused(EINVAL);
        }
        int n = Math.min(count, 1024);
        List<Object[]> messages = new ArrayList<>();
        int named = -1;
        long left = Sockets.MAX_DATA;
        for (int i = 0; i < n; i++) {
            int[] errno = {0};
            Object[] read = Sockets.readMsghdr(c, vector + (long) i * Sockets.mmsgSize(), left, errno);
            if (read == null) {
                messages.forEach(m -> ((Sockets.Message) m[2]).fds().forEach(Kernel::close));
                throw new Refused(errno[0]);
            }
            Sockets.Message message = (Sockets.Message) read[2];
            if (message.truncated() && i > 0) {
                // The copy limit is for the whole call: the messages that fit are sent, and
                // sendmmsg answers how many, as it does when a socket takes only some.
                message.fds().forEach(Kernel::close);
                break;
            }
            left -= message.data().length;
            if ((long) read[0] != 0) {
                int length = clampedNameLength((int) read[1]);
                byte[] name = length < 0 || length > Endpoint.MAX ? null : Sockets.readData(c, (long) read[0], length);
                if (name == null) {
                    ((Sockets.Message) read[2]).fds().forEach(Kernel::close);
                    messages.forEach(m -> ((Sockets.Message) m[2]).fds().forEach(Kernel::close));
                    throw new Refused(length >= 0 && length <= Endpoint.MAX ? c.copyError() : EINVAL);
                }
                read = new Object[] {read[0], read[1], read[2], name};
                named = named < 0 ? i : named;
            }
            messages.add(read);
        }
        Object[] batch = {vector, messages, flags};
        if (named < 0) {
            sendBatchNow(s, id, c, fd, vector, messages, flags);
            return null;
        }
        Object[] first = messages.get(named);
        try {
            return socketCall(s, id, c, "sendmmsg", fd, (long) first[0], clampedNameLength((int) first[1]),
                Call.NetOp.SENDMMSG, batch);
        } catch (Refused r) {
            messages.forEach(m -> ((Sockets.Message) m[2]).fds().forEach(Kernel::close));
            throw r;
        }
    }

    /// A msghdr's msg_namelen as the kernel takes it: longer than a sockaddr_storage is cut to
    /// one (a negative length stays, and is EINVAL).
    private static int clampedNameLength(int length) {
        return Math.min(length, Endpoint.MAX);
    }

    /// Sends `message` (no destination: nothing to decide) on the program's socket `fd`: here
    /// when the socket takes it at once, else on the offload pool when the program's socket
    /// blocks (a peer that never reads holds no serving thread).
    private void sendNow(Scratch s, long id, Caller c, String syscall, int fd, Sockets.Message message, int flags) {
        ProgramCredentials creds = c.credentials();
        int copy = c.copyFd(fd);
        if (copy < 0) {
            message.fds().forEach(Kernel::close);
            answerSend(s, id, c, syscall, fd, copy);
            return;
        }
        boolean blocking = (flags & SocketH.MSG_DONTWAIT) == 0 && Sockets.isBlocking(copy);
        long r = NetworkCalls.asCaller(creds, () -> NetworkCalls.send(copy, message, null, flags | SocketH.MSG_DONTWAIT));
        if (r == -EAGAIN && blocking) {
            c.handOff();
            Offload.run(c, () -> {
                Scratch o = Scratch.get();
                long w = NetworkCalls.asCaller(creds, () -> Sockets.sendWaiting(this, o, id, copy, message, null, flags));
                Kernel.close(copy);
                message.fds().forEach(Kernel::close);
                answerSend(o, id, c, syscall, fd, w);
            }, () -> {
                Kernel.close(copy);
                message.fds().forEach(Kernel::close);
                answerSend(s, id, c, syscall, fd, -ENOBUFS);
            });
            return;
        }
        Kernel.close(copy);
        message.fds().forEach(Kernel::close);
        answerSend(s, id, c, syscall, fd, r);
    }

    private void answerSend(Scratch s, long id, Caller c, String syscall, int fd, long r) {
        reply(s, id, r < 0 ? -1 : r, r < 0 ? (int) -r : 0);
        automatic(c, syscall, "send", Map.of("fd", fd), Decision.ALLOW, r < 0 ? -1 : r, r < 0 ? (int) -r : 0);
    }

    /// A sendmmsg batch without a destination: sent here as far as the socket takes it at once;
    /// when not even the first message fits and the program's socket blocks, sent on the
    /// offload pool, waiting.
    private void sendBatchNow(Scratch s, long id, Caller c, int fd, long vector, List<Object[]> messages, int flags) {
        ProgramCredentials creds = c.credentials();
        long[] r = NetworkCalls.asCaller(creds, () -> sendBatch(this, s, c, id, fd, vector, messages, flags, null, false));
        if (r == null) {
            c.handOff();
            Offload.run(c, () -> {
                Scratch o = Scratch.get();
                long[] w = NetworkCalls.asCaller(creds,
                        () -> sendBatch(this, o, c, id, fd, vector, messages, flags, null, true));
                reply(o, id, w[0], (int) w[1]);
                automatic(c, "sendmmsg", "send", Map.of("fd", fd), Decision.ALLOW, w[0], (int) w[1]);
            }, () -> {
                messages.forEach(m -> ((Sockets.Message) m[2]).fds().forEach(Kernel::close));
                reply(s, id, -1, ENOBUFS);
                automatic(c, "sendmmsg", "send", Map.of("fd", fd), Decision.ALLOW, -1, ENOBUFS);
            });
            return;
        }
        reply(s, id, r[0], (int) r[1]);
        automatic(c, "sendmmsg", "send", Map.of("fd", fd), Decision.ALLOW, r[0], (int) r[1]);
    }

    /// Sends a sendmmsg batch, each message to its own destination (`destinations.get(i)`, or
    /// none), and writes each msg_len back, each time only while the call still waits (the
    /// check is made right before the write, through the caller's own `mem`).
    ///
    /// Without `wait`, no send blocks: the batch stops at the first message the socket does not
    /// take at once (a valid partial sendmmsg), and when that is the first message of a
    /// blocking socket the answer is `null`: send it again with `wait`, off the serving thread.
    /// Answers {result, errno}: the number sent, or -1; ESRCH when the caller went away while
    /// the batch was sent (its msg_len was then not written: the memory may be another's).
    /// Closes the messages' descriptors unless it answers `null`.
    static long[] sendBatch(Master master, Scratch s, Caller c, long id, int fd, long vector, List<Object[]> messages,
            int flags, List<byte[]> destinations, boolean wait) {
        int copy = c.copyFd(fd);
        long sent = 0;
        int errno = copy < 0 ? -copy : 0;
        if (copy >= 0) {
            boolean blocking = (flags & SocketH.MSG_DONTWAIT) == 0 && Sockets.isBlocking(copy);
            for (int i = 0; i < messages.size(); i++) {
                Sockets.Message m = (Sockets.Message) messages.get(i)[2];
                byte[] to = destinations == null ? null : destinations.get(i);
                long r = wait && blocking ? Sockets.sendWaiting(master, s, id, copy, m, to, flags)
                        : NetworkCalls.send(copy, m, to, flags | SocketH.MSG_DONTWAIT);
                if (r == -EAGAIN && blocking && i == 0 && !wait) {
                    Kernel.close(copy);
                    return null;
                }
                if (r < 0) {
                    errno = (int) -r;
                    break;
                }
                s.stat.set(JAVA_INT, 0, (int) r);
                if (c.write(s, s.stat, vector + (long) i * Sockets.mmsgSize() + 56, 4) == -ENOENT) {
                    sent = 0;
                    errno = ESRCH;
                    break;
                }
                sent++;
            }
            Kernel.close(copy);
        }
        messages.forEach(m -> ((Sockets.Message) m[2]).fds().forEach(Kernel::close));
        return sent > 0 ? new long[] {sent, 0} : new long[] {-1, errno};
    }

    private Call onePath(Scratch s, long id, Caller c, String syscall, Function function, int dirfd, long pathAddress)
            throws Refused {
        String raw = readPath(s, c, pathAddress);
        if (raw.isEmpty()) {
            throw new Refused(ENOENT);
        }
        return stillValid(s, new Call(id, c, syscall, function, new Arguments.Path(Paths.display(raw)),
                raw, absolute(s, c, dirfd, raw), null, null, 0, 0, 0, 0, 0, Call.StatFormat.NONE, 0));
    }

    /// execve(2) and execveat(2) become [Function#EXEC] on the path; execveat of the descriptor
    /// itself (AT_EMPTY_PATH with an empty path) runs a file the program already holds open and
    /// continues without a decision.
    private Call exec(Scratch s, long id, Caller c, String syscall, int dirfd, long pathAddress, int flags)
            throws Refused {
        if ((flags & ~(SysStatH.AT_SYMLINK_NOFOLLOW | SysStatH.AT_EMPTY_PATH)) != 0) {
            throw new Refused(EINVAL);
        }
        String raw = readPath(s, c, pathAddress);
        if (raw.isEmpty()) {
            if ((flags & SysStatH.AT_EMPTY_PATH) == 0) {
                throw new Refused(ENOENT);
            }
            if (stillWaiting(s, id)) {
                continueAsAsked(s, id);
                automatic(c, syscall, Function.EXEC.seedName(), Map.of("fd", dirfd), Decision.ALLOW, 0, 0);
            }
            return null;
        }
        return stillValid(s, new Call(id, c, syscall, Function.EXEC, new Arguments.Path(Paths.display(raw)),
                raw, absolute(s, c, dirfd, raw), null, null, 0, 0, 0, 0, 0, Call.StatFormat.NONE, flags));
    }

    private Call unlinkat(Scratch s, long id, Caller c, int dirfd, long pathAddress, int flags) throws Refused {
        if ((flags & ~SysStatH.AT_REMOVEDIR) != 0) {
            throw new Refused(EINVAL);
        }
        Function function = flags == SysStatH.AT_REMOVEDIR ? Function.RMDIR : Function.UNLINK;
        return onePath(s, id, c, "unlinkat", function, dirfd, pathAddress);
    }

    private Call rename(Scratch s, long id, Caller c, String syscall, int olddirfd, long oldAddress, int newdirfd,
            long newAddress, int flags) throws Refused {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) != 0) {
            throw new Refused((flags & ~7) != 0 ? EINVAL : EPERM);
        }
        if (flags == (RENAME_NOREPLACE | RENAME_EXCHANGE)) {
            throw new Refused(EINVAL);
        }
        String raw1 = readPath(s, c, oldAddress);
        String raw2 = readPath(s, c, newAddress);
        if (raw1.isEmpty() || raw2.isEmpty()) {
            throw new Refused(ENOENT);
        }
        return stillValid(s, new Call(id, c, syscall, Function.RENAME,
                new Arguments.Rename(Paths.display(raw1), Paths.display(raw2), (flags & RENAME_NOREPLACE) != 0,
                        (flags & RENAME_EXCHANGE) != 0),
                raw1, absolute(s, c, olddirfd, raw1), absolute(s, c, newdirfd, raw2), null, 0, 0, 0, 0, 0,
                Call.StatFormat.NONE, flags));
    }

    /// symlink(2) and symlinkat(2): the target is read as it is (the kernel refuses an empty one
    /// with ENOENT), the link's path is decided like a mkdir's.
    private Call symlink(Scratch s, long id, Caller c, String syscall, long targetAddress, int newdirfd,
            long pathAddress) throws Refused {
        String target = readPath(s, c, targetAddress);
        String raw = readPath(s, c, pathAddress);
        if (target.isEmpty() || raw.isEmpty()) {
            throw new Refused(ENOENT);
        }
        Call call = new Call(id, c, syscall, Function.SYMLINK,
                new Arguments.Symlink(Paths.display(target), Paths.display(raw)), raw, absolute(s, c, newdirfd, raw),
                null, null, 0, 0, 0, 0, 0, Call.StatFormat.NONE, 0);
        call.payload = target;
        return stillValid(s, call);
    }

    /// link(2) and linkat(2). AT_EMPTY_PATH (a link to a descriptor, which needs
    /// CAP_DAC_READ_SEARCH) names no path the master could decide, and is refused with EPERM.
    private Call link(Scratch s, long id, Caller c, String syscall, int olddirfd, long oldAddress, int newdirfd,
            long newAddress, int flags) throws Refused {
        if ((flags & ~(SysStatH.AT_SYMLINK_FOLLOW | SysStatH.AT_EMPTY_PATH)) != 0) {
            throw new Refused(EINVAL);
        }
        if ((flags & SysStatH.AT_EMPTY_PATH) != 0) {
            throw new Refused(EPERM);
        }
        String raw1 = readPath(s, c, oldAddress);
        String raw2 = readPath(s, c, newAddress);
        if (raw1.isEmpty() || raw2.isEmpty()) {
            throw new Refused(ENOENT);
        }
        return stillValid(s, new Call(id, c, syscall, Function.LINK,
                new Arguments.Link(Paths.display(raw1), Paths.display(raw2),
                        (flags & SysStatH.AT_SYMLINK_FOLLOW) != 0), raw1,
                absolute(s, c, olddirfd, raw1), absolute(s, c, newdirfd, raw2), null, 0, 0, 0, 0, 0,
                Call.StatFormat.NONE, flags));
    }

    /// truncate(2); a negative length is EINVAL, as the kernel has it before it looks at the path.
    private Call truncate(Scratch s, long id, Caller c, String syscall, long pathAddress, long length)
            throws Refused {
        if (length < 0) {
            throw new Refused(EINVAL);
        }
        String raw = readPath(s, c, pathAddress);
        if (raw.isEmpty()) {
            throw new Refused(ENOENT);
        }
        return stillValid(s, new Call(id, c, syscall, Function.TRUNCATE,
                new Arguments.Truncate(Paths.display(raw), length), raw, absolute(s, c, AT_FDCWD, raw), null, null, 0,
                0, 0, 0, 0, Call.StatFormat.NONE, 0));
    }

    /// mknod(2) and mknodat(2), checked first as the kernel does (may_mknod): a directory type
    /// is EPERM, an unknown type EINVAL. A set-user-ID or set-group-ID mode is refused with
    /// EPERM, as the filter refuses it in kernel mode.
    private Call mknod(Scratch s, long id, Caller c, String syscall, int dirfd, long pathAddress, int mode,
            long device) throws Refused {
        switch (mode & SysStatH.S_IFMT) {
            case 0, SysStatH.S_IFREG, SysStatH.S_IFIFO, SysStatH.S_IFSOCK, SysStatH.S_IFCHR, SysStatH.S_IFBLK -> { }
            case SysStatH.S_IFDIR -> throw new Refused(EPERM);
            default -> throw new Refused(EINVAL);
        }
        if ((mode & (SysStatH.S_ISUID | SysStatH.S_ISGID)) != 0) {
            throw new Refused(EPERM);
        }
        String raw = readPath(s, c, pathAddress);
        if (raw.isEmpty()) {
            throw new Refused(ENOENT);
        }
        int kept = mode & (SysStatH.S_IFMT | 07777);
        return stillValid(s, new Call(id, c, syscall, Function.MKNOD, new Arguments.Mknod(Paths.display(raw), kept,
                device), raw, absolute(s, c, dirfd, raw), null, null, 0, 0, kept, 0, 0, Call.StatFormat.NONE, 0));
    }

    private Call readlink(Scratch s, long id, Caller c, String syscall, int dirfd, long pathAddress, long buffer,
            long size) throws Refused {
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new Refused(EINVAL);
        }
        String raw = readPath(s, c, pathAddress);
        if (raw.isEmpty()) {
            throw new Refused(ENOENT);
        }
        if (raw.startsWith(BrokerResolverProvider.PREFIX)) {
            Arguments.GetAddrInfo lookup = BrokerResolverProvider.decode(raw);
            if (lookup == null) {
                throw new Refused(EINVAL);
            }
            return stillValid(s, new Call(id, c, syscall, Function.GETADDRINFO, lookup, raw, raw, null, null, 0,
                    0, 0, buffer, size, Call.StatFormat.NONE, 0));
        }
        return stillValid(s, new Call(id, c, syscall, Function.READLINK, new Arguments.Path(Paths.display(raw)),
                raw, absolute(s, c, dirfd, raw), null, null, 0, 0, 0, buffer, size, Call.StatFormat.NONE, 0));
    }

    // ---- answering ----

    boolean stillWaiting(Scratch s, long id) {
        s.id.set(JAVA_LONG, 0, id);
        return Kernel.idValid(listenerFd, s.id) == 0;
    }

    /// Installs `fd` in the program with ADDFD|SEND: answers the call with the new number.
    /// Returns that number, or -errno (ENOENT: the call is gone).
    int injectFdResult(Scratch s, long id, int fd, int openFlags) {
        s.addfd.set(JAVA_LONG, 0, id);
        s.addfd.set(JAVA_INT, 8, SeccompH.ADDFD_FLAG_SEND);
        s.addfd.set(JAVA_INT, 12, fd);
        s.addfd.set(JAVA_INT, 16, 0);
        s.addfd.set(JAVA_INT, 20, openFlags & OpenFlag.O_CLOEXEC);
        int r = Kernel.addfdWithSignalsBlocked(listenerFd, s.addfd, s.allSignals, s.savedSignals);
        if (r >= 0 || r == -ENOENT) {
            release(id);
        }
        return r;
    }

    /// Writes `stat` into the program and answers the call; returns the errno it got (0).
    int writeStatResult(Scratch s, long id, Caller c, long address, Call.StatFormat format, StatResult stat) {
        long size = StatWriter.write(s.stat, format, stat);
        long w = c.write(s, s.stat, address, size);
        if (w == -ENOENT) {
            release(id);
            return ENOENT;
        }
        int errno = w == size ? 0 : EFAULT;
        reply(s, id, 0, errno);
        return errno;
    }

    /// Writes a link target into the program and answers the call; returns {result, errno}.
    int[] writeLinkResult(Scratch s, Call call, String rawTarget) {
        byte[] bytes = rawTarget.getBytes(ISO_8859_1);
        int n = (int) Math.min(bytes.length, Math.min(call.bufferSize, Scratch.PATH_MAX));
        MemorySegment.copy(bytes, 0, s.link, JAVA_BYTE, 0, n);
        long w = n == 0 ? 0 : call.caller.write(s, s.link, call.buffer, n);
        if (w == -ENOENT || (n == 0 && !stillWaiting(s, call.id))) {
            release(call.id);
            return new int[] {-1, ENOENT};
        }
        int errno = w == n ? 0 : EFAULT;
        reply(s, call.id, n, errno);
        return new int[] {errno == 0 ? n : -1, errno};
    }

    /// Answers notification `id` on this master's listener.
    void reply(Scratch s, long id, long value, int errno) {
        respond(s, id, value, errno, 0);
    }

    /// SECCOMP_IOCTL_NOTIF_SEND of notification `id` with `flags`; the caller's handles are released.
    private void respond(Scratch s, long id, long value, int errno, int flags) {
        s.resp.set(JAVA_LONG, 0, id);
        s.resp.set(JAVA_LONG, 8, errno == 0 ? value : 0);
        s.resp.set(JAVA_INT, 16, -errno);
        s.resp.set(JAVA_INT, 20, flags);
        Kernel.ioctl(listenerFd, SeccompH.IOCTL_NOTIF_SEND, s.resp);
        release(id);
    }

    /// Closes the handles of call `id`'s caller, once: the call is answered or gone.
    void release(long id) {
        Caller c = pending.remove(id);
        if (c != null) {
            c.close();
        }
    }
}
