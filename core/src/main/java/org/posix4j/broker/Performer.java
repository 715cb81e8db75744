package org.posix4j.broker;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.SysStatH;
import org.posix4j.signal.Signal;

/// Decides a [Call] under a [Policy] and performs it: the master's own operation, contained
/// below a descriptor on the allowed tree, whose result is what the program gets.
final class Performer {
    private static final int AT_FDCWD = -100;
    private static final int X_OK = 1;
    /// stx_size in a struct statx.
    private static final long STX_SIZE = 40;
    private static final int ENOENT = 2;
    private static final int EBADF = 9;
    private static final int EACCES = 13;
    private static final int EAFNOSUPPORT = 97;
    private static final int EPROTONOSUPPORT = 93;
    private static final int EBUSY = 16;
    private static final int ENXIO = 6;
    private static final int ENFILE = 23;
    private static final int O_NOCTTY = 0400;
    private static final int ENAMETOOLONG = 36;
    private static final int EINVAL = 22;
    private static final int ENOTDIR = 20;
    private static final int EXDEV = 18;
    private static final int ELOOP = 40;
    private static final int EFBIG = 27;
    private static final int EOPNOTSUPP = 95;
    private static final int F_SETFL = 4;
    private static final long CONTAINED = OpenFlag.R_BENEATH | OpenFlag.R_NO_SYMLINKS
            | OpenFlag.R_NO_MAGICLINKS;
    private static final int STATUS_FLAGS = OpenFlag.O_APPEND | OpenFlag.O_NONBLOCK | FcntlH.O_DIRECT | 01000000 | 020000;

    /// What the program needs the path for.
    private enum Need { STAT, READ, WRITE, CREATE, TEMPORARY }

    /// Where a decided path is operated on: `anchor` and the path below it; `searched`, the
    /// number of directories above the anchor whose search permission the program's credentials
    /// need first (0: none; see [#searchedAbove]).
    private record Place(String canonical, int anchor, String relative, Decision decision, boolean kernelResolved,
            int searched) {
        Place(String canonical, int anchor, String relative, Decision decision) {
            this(canonical, anchor, relative, decision, false, 0);
        }

        Place(String canonical, int anchor, String relative, Decision decision, boolean kernelResolved) {
            this(canonical, anchor, relative, decision, kernelResolved, 0);
        }

        Place resolvedByKernel() {
            return new Place(canonical, anchor, relative, decision, true, searched);
        }
    }

    private final Master master;
    private final Policy policy;
    private final AuditSink audit;
    private final Policy.Rule rootRule;
    private final String selfProc;
    private final AtomicInteger offloaded = new AtomicInteger();
    /// The credentials of the program thread whose call this thread performs.
    private static final ThreadLocal<ProgramCredentials> CALLER = new ThreadLocal<>();
    /// Whether this thread is a serving thread of [Sandbox#serve]: its working directory and
    /// umask are its own (unshare(CLONE_FS)), the umask 0 between calls.
    private static final ThreadLocal<Boolean> SERVING = ThreadLocal.withInitial(() -> false);
    /// The device number (major << 32 | minor) of /dev/userfaultfd, -1 without one.
    private final long userfaultfd;
    /// Whether the kernel holds what may be executed to `policy` (see [Sandbox#execBackedByKernel()]).
    private final boolean execBacked;
    /// Whether /dev/stdin, /dev/stdout, /dev/stderr and /dev/fd are the usual symbolic links into
    /// /proc/self/fd, which the master then reads as the caller's own descriptors.
    private final boolean devFdLinks;

    Performer(Master master, Policy policy, AuditSink audit, int self, boolean execBacked) {
        this.master = master;
        this.execBacked = execBacked;
        this.policy = policy;
        this.audit = audit;
        this.rootRule = new Policy.Rule("/", Policy.Level.CREATE, "/", policy.root(), null);
        this.selfProc = "/proc/" + self;
        Scratch s = Scratch.get();
        s.path2.setString(0, "/dev/userfaultfd", ISO_8859_1);
        this.userfaultfd = Kernel.statx(AT_FDCWD, s.path2, 0, s.statx) == 0 ? deviceOf(s.statx) : -1;
        this.devFdLinks = "/proc/self/fd/0".equals(Master.readlink(s, "/dev/stdin"))
                && "/proc/self/fd/1".equals(Master.readlink(s, "/dev/stdout"))
                && "/proc/self/fd/2".equals(Master.readlink(s, "/dev/stderr"))
                && "/proc/self/fd".equals(Master.readlink(s, "/dev/fd"));
        Sandbox.warmUp();
    }

    /// Performs each operation that runs with a program's credentials once on descriptor -1,
    /// where it fails with EBADF, with the switch made (see [ProgramCredentials#prewarm]), so
    /// that their classes and call sites are loaded and linked: part of [Sandbox#warmUp()].
    static void warmUp() {
        ProgramCredentials.prewarm(() -> prewarm(Scratch.get()));
    }

    private static void prewarm(Scratch s) {
        s.path2.setString(0, "x", ISO_8859_1);
        openat2(s, -1, "x", OpenFlag.O_PATH, 0, 0);
        int w = ProgramCredentials.enter();
        try {
            Kernel.faccessat(-1, s.path2, 0, SysStatH.AT_EACCESS);
            Kernel.mkdirat(-1, s.path2, 0);
            Kernel.unlinkat(-1, s.path2, 0);
            Kernel.renameat2(-1, s.path2, -1, s.path2, 0);
            Kernel.linkat(-1, s.path2, -1, s.path2, 0);
            Kernel.symlinkat(s.path2, -1, s.path2);
            Kernel.mknodat(-1, s.path2, 0, 0);
            Kernel.truncate(MemorySegment.NULL, 0);
            Kernel.fchmodat(-1, s.path2, 0);
            Kernel.utimensat(-1, s.path2, MemorySegment.NULL, 0);
            Sockets.connect(-1, new byte[] {1, 0});
            Sockets.bind(-1, new byte[] {1, 0});
            Sockets.listen(-1, 0);
            Sockets.create(-1, 0, 0);
        } finally {
            ProgramCredentials.leave(w);
        }
    }

    /// Performs `call` with the credentials of the thread that made it (read when the call was
    /// received, see [Caller#open]): the sandbox never grants what the kernel would refuse the
    /// program itself.
    void handle(Call call) {
        Scratch s = Scratch.get();
        ProgramCredentials creds = call.caller.credentials();
        CALLER.set(creds);
        ProgramCredentials.actAs(call.function() == Function.ACCESS ? creds.forAccess() : creds);
        try {
            perform(s, call);
        } finally {
            ProgramCredentials.actAs(null);
            CALLER.remove();
        }
    }

    private void perform(Scratch s, Call call) {
        switch (call.function()) {
            case OPEN, OPENAT -> open(s, call);
            case STAT, LSTAT -> stat(s, call);
            case ACCESS, EACCESS -> access(s, call);
            case READLINK -> readlink(s, call);
            case MKDIR, UNLINK, RMDIR, SYMLINK, MKNOD -> entry(s, call);
            case RENAME -> rename(s, call);
            case LINK -> link(s, call);
            case TRUNCATE -> truncate(s, call);
            case CHMOD -> chmod(s, call);
            case UTIMES -> utimes(s, call);
            case CONNECT_UNIX, CONNECT_INET, CONNECT_INET6, BIND_UNIX, BIND_INET, BIND_INET6 -> network(s, call);
            case GETADDRINFO -> getaddrinfo(s, call);
            case EXEC -> exec(s, call);
            case CHDIR -> chdir(s, call);
            case SOCKET -> socket(s, call);
            default -> finish(s, call, List.of(), Decision.DENY, -1, policy.denial().number());
        }
    }

    // ---- the calls ----

    private void open(Scratch s, Call call) {
        int flags = call.rawFlags;
        boolean temporary = (flags & OpenFlag.O_TMPFILE) == OpenFlag.O_TMPFILE;
        boolean create = (flags & OpenFlag.O_CREAT) != 0;
        boolean writes = (flags & OpenFlag.O_ACCMODE) != 0 || (flags & OpenFlag.O_TRUNC) != 0;
        Need need = temporary ? Need.TEMPORARY : create ? Need.CREATE : writes ? Need.WRITE : Need.READ;
        if ((flags & OpenFlag.O_PATH) != 0) {
            // ADDFD cannot install an O_PATH file, so the program gets the file opened for
            // reading instead (never blocking, never its controlling terminal): the same file, a
            // descriptor that can do more, hence the READ allowance it needs.
            flags = (flags & (OpenFlag.O_DIRECTORY | OpenFlag.O_NOFOLLOW | OpenFlag.O_CLOEXEC)) | OpenFlag.O_NONBLOCK
                    | O_NOCTTY;
        }
        boolean follow = (flags & OpenFlag.O_NOFOLLOW) == 0 && !(create && (flags & OpenFlag.O_EXCL) != 0);
        String path = call.absolutePathRaw();
        int own = call.resolve == 0 && !temporary ? ownDescriptor(call, path) : -1;
        if (own >= 0) {
            reopen(s, call, own, flags, writes ? Need.WRITE : Need.READ);
            return;
        }
        if (call.resolve != 0) {
            openResolving(s, call, need, flags);
            return;
        }
        int asked = flags | (path.endsWith("/") && !create ? OpenFlag.O_DIRECTORY : 0);
        int opened = asked;
        Place place = locate(s, call, path, need, follow, create || temporary, p -> openAt(s, call, p, asked));
        if (place.anchor < 0 && place.decision == Decision.DENY && create && !temporary
                && (flags & OpenFlag.O_EXCL) == 0) {
            // O_CREAT on a file that exists creates nothing (`> /dev/null`): where creating is
            // not allowed, the file is opened without O_CREAT if reading or writing it is, so a
            // missing one still cannot be made.
            int plain = asked & ~OpenFlag.O_CREAT;
            Place found = locate(s, call, path, writes ? Need.WRITE : Need.READ, follow, false,
                    p -> openAt(s, call, p, plain));
            if (found.anchor >= 0 && s.lastFd != -ENOENT) {
                place = found;
                opened = plain;
            }
        }
        if (place.anchor < 0) {
            finish(s, call, place, -1, -place.anchor);
            return;
        }
        int fd = s.lastFd;
        if (fd == -ELOOP && place.kernelResolved && follow && (create || temporary)) {
            // A dangling symbolic link: creating through it would make its target, which was
            // not decided on; refused rather than followed.
            fd = -policy.denial().number();
        }
        if (fd == -ELOOP && place.kernelResolved && !follow && (call.rawFlags & OpenFlag.O_PATH) != 0) {
            // O_PATH | O_NOFOLLOW of a symbolic link: the kernel gives a descriptor of the link
            // itself, which ADDFD cannot install. EOPNOTSUPP, not an ELOOP the kernel never gives
            // here: glibc's fchmodat(AT_SYMLINK_NOFOLLOW) opens a link so and answers EOPNOTSUPP
            // for it, which tar and cp take as "links have no mode".
            fd = -EOPNOTSUPP;
        }
        int blockingFlags = opened | Integer.MIN_VALUE;
        Place at = place;
        answerOpened(s, call, at, fd, flags, t -> openAt(t, call, at, blockingFlags), () -> { });
    }

    /// Answers an open with `fd`, opened without blocking (or -errno): delivered, or failed; or,
    /// when the program did not ask for O_NONBLOCK (`flags`) and it met a FIFO without a peer
    /// (ENXIO) or a FIFO it must wait on (see [#needsBlockingReopen]), opened again by
    /// `blockingOpener` off the serving thread, `after` running once it has. Answers whether the
    /// call was handed off that way (`after` is then the pool's to run).
    private boolean answerOpened(Scratch s, Call call, Place place, int fd, int flags,
            ToIntFunction<Scratch> blockingOpener, Runnable after) {
        boolean blocking = (flags & OpenFlag.O_NONBLOCK) == 0;
        if (fd == -ENXIO && blocking) {
            openBlocking(call, place, blockingOpener, after);
            return true;
        }
        if (fd < 0) {
            finish(s, call, place, -1, -fd);
            return false;
        }
        int type = typeOf(s, fd);
        if (blocking && needsBlockingReopen(fd, type, flags)) {
            Kernel.close(fd);
            openBlocking(call, place, blockingOpener, after);
            return true;
        }
        deliver(s, call, place, fd, type);
        return false;
    }

    /// The file type (the S_IFMT bits) of `fd`, with its whole statx left in `s.statx`; -1 when
    /// statx fails. One statx serves every check of an opened file.
    private static int typeOf(Scratch s, int fd) {
        s.path2.set(JAVA_BYTE, 0, (byte) 0);
        return Kernel.statx(fd, s.path2, SysStatH.AT_EMPTY_PATH, s.statx) == 0
                ? Short.toUnsignedInt(s.statx.get(JAVA_SHORT, 28)) & SysStatH.S_IFMT : -1;
    }

    /// Gives `fd` to the program (ADDFD with SEND) and closes the master's copy; `type` is
    /// [#typeOf] `fd`, taken just before (its statx still in `s.statx`). A file of the JVM's
    /// own /proc entries is checked for again once opened: a thread the JVM started between the
    /// decision and the open may have taken the number the program named.
    private void deliver(Scratch s, Call call, Place place, int fd, int type) {
        try {
            if (isUserfaultfd(s, type) || place.canonical != null && ownProc(place.canonical)) {
                finish(s, call, List.of(place.canonical), Decision.DENY, -1, EACCES);
                return;
            }
            if (!call.markAnswered()) {
                return;
            }
            int r = master.injectFdResult(s, call.id, fd, call.rawFlags);
            if (r < 0 && r != -ENOENT) {
                master.reply(s, call.id, -1, -r);
            }
            record(call, place, r < 0 ? -1 : r, r < 0 ? -r : 0);
        } finally {
            Kernel.close(fd);
        }
    }

    /// Whether the file of type `type`, whose statx is in `s.statx`, is /dev/userfaultfd (by
    /// device number, whatever its name): never given to a program, whatever the policy, since
    /// userfaultfd pages could stall the master's reads of the program's memory.
    private boolean isUserfaultfd(Scratch s, int type) {
        return userfaultfd >= 0 && type == SysStatH.S_IFCHR && deviceOf(s.statx) == userfaultfd;
    }

    /// stx_rdev_major and stx_rdev_minor of a struct statx.
    private static long deviceOf(MemorySegment statx) {
        return (Integer.toUnsignedLong(statx.get(JAVA_INT, 128)) << 32) | Integer.toUnsignedLong(statx.get(JAVA_INT, 132));
    }

    /// The descriptor is opened with O_NONBLOCK, so that a FIFO without a peer cannot hold a
    /// serving thread; unless the program asked for O_NONBLOCK it is cleared again (not on a
    /// regular file, where it changes nothing but what F_GETFL shows: one syscall less per
    /// open), and a FIFO opened only for reading, which the program expects to wait for a
    /// writer, is opened again, blocking, off the serving threads. One opened for writing found
    /// a reader already (or failed with ENXIO), and one opened for both never waits: handed off,
    /// it queued behind the program's blocked opens (found by an audit, 2026-12-07).
    private static boolean needsBlockingReopen(int fd, int type, int flags) {
        if (type == SysStatH.S_IFIFO && (flags & OpenFlag.O_ACCMODE) == 0) {
            return true;
        }
        if (type != SysStatH.S_IFREG) {
            Kernel.fcntl(fd, F_SETFL, flags & STATUS_FLAGS & ~OpenFlag.O_NONBLOCK);
        }
        return false;
    }

    /// Runs `opener` (blocking, with the caller's credentials) on the offload pool and answers
    /// the call with the descriptor it opens; `after` runs once it has returned or thrown. When
    /// the pool holds as many of the program's calls as it takes ([Offload]), the call fails
    /// with ENFILE at once, as an open does when the system's file table is full.
    private void openBlocking(Call call, Place place, ToIntFunction<Scratch> opener, Runnable after) {
        call.handOff();
        offloaded.incrementAndGet();
        ProgramCredentials caller = CALLER.get();
        ProgramCredentials acting = ProgramCredentials.acting();
        Offload.run(call.caller, () -> {
            CALLER.set(caller);
            ProgramCredentials.actAs(acting);
            try {
                Scratch s = Scratch.get();
                if (!master.stillWaiting(s, call.id)) {
                    // Answered while it waited for a thread (a signal, see Interrupts).
                    after.run();
                    master.release(call.id);
                    return;
                }
                int fd;
                try {
                    fd = opener.applyAsInt(s);
                } finally {
                    after.run();
                }
                if (fd < 0) {
                    finish(s, call, place, -1, -fd);
                } else {
                    deliver(s, call, place, fd, typeOf(s, fd));
                }
            } finally {
                ProgramCredentials.actAs(null);
                CALLER.remove();
                offloadEnded();
            }
        }, () -> {
            try {
                after.run();
                finish(Scratch.get(), call, place, -1, ENFILE);
            } finally {
                offloadEnded();
            }
        });
    }

    /// The number N when `path` names one of the caller's own descriptors: /proc/self/fd/N,
    /// /proc/thread-self/fd/N, /proc/PID/fd/N or /proc/PID/task/TID/fd/N of the calling thread,
    /// and /dev/fd/N, /dev/stdin, /dev/stdout and /dev/stderr where those are the usual links
    /// ([#devFdLinks]); -1 otherwise. Such a path ends in one of the kernel's magic links, which
    /// the master's own resolution refuses to follow: it would reach the master's descriptors.
    private int ownDescriptor(Call call, String path) {
        if (!path.startsWith("/proc/") && !(devFdLinks && path.startsWith("/dev/"))) {
            return -1;
        }
        String p = path;
        if (devFdLinks) {
            switch (p) {
                case "/dev/stdin" -> {
                    return 0;
                }
                case "/dev/stdout" -> {
                    return 1;
                }
                case "/dev/stderr" -> {
                    return 2;
                }
                default -> p = p.startsWith("/dev/fd/") ? "/proc/self/fd/" + p.substring("/dev/fd/".length()) : p;
            }
        }
        p = procSelf(call, p);
        String process = "/proc/" + call.pid() + "/fd/";
        String thread = "/proc/" + call.pid() + "/task/" + call.tid() + "/fd/";
        String number = p.startsWith(process) ? p.substring(process.length())
                : p.startsWith(thread) ? p.substring(thread.length()) : "";
        if (number.isEmpty() || number.length() > 9) {
            return -1;
        }
        for (int i = 0; i < number.length(); i++) {
            if (number.charAt(i) < '0' || number.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(number);
    }

    /// The master's copy of the caller's descriptor `n` (pidfd_getfd), or -errno: ENOENT when the
    /// program has no descriptor `n`, as its /proc/self/fd/n then does not exist.
    private static int ownCopy(Call call, int n) {
        int copy = call.caller.copyFd(n);
        return copy == -EBADF ? -ENOENT : copy;
    }

    /// How the file of one of the caller's own descriptors is decided, `target` being what the
    /// master's /proc/self/fd link to its copy reads: by its own path; without one (a pipe, a
    /// socket, an anonymous inode: "pipe:[N]"), allowed for the kernel to decide; deleted, or
    /// unreadable, refused.
    private Place ownFilePlace(Call call, String target, Need need) {
        if (target == null || target.startsWith("/") && target.endsWith(" (deleted)")) {
            return new Place(target, -policy.denial().number(), "", Decision.DENY);
        }
        return target.startsWith("/") ? decided(call, target, need, false) : new Place(target, 0, "", Decision.ALLOW);
    }

    /// The place of the caller's own descriptor `n` named by a path ([#ownDescriptor]) for a
    /// stat or an access, decided as [#reopen] decides it, with an O_PATH descriptor of its file
    /// (opened with the program's credentials) or -errno in `s.lastFd`.
    private Place ownPlace(Scratch s, Call call, int n, Need need) {
        int copy = ownCopy(call, n);
        if (copy < 0) {
            s.lastFd = copy;
            return new Place(null, 0, "", Decision.ALLOW);
        }
        try {
            String link = "/proc/self/fd/" + copy;
            Place place = ownFilePlace(call, Master.readlink(s, link), need);
            s.lastFd = place.anchor < 0 ? -1 : openat2(s, AT_FDCWD, link, OpenFlag.O_PATH, 0, 0);
            return place;
        } finally {
            Kernel.close(copy);
        }
    }

    /// Opens the caller's own descriptor `n` again, as the kernel does for a program that opens
    /// /proc/self/fd/N: the same file, with `flags`. A file with a path is decided by the policy
    /// on that path (reading a descriptor the program holds does not let it write the file); a
    /// pipe, socket or anonymous inode has none, and the kernel alone decides, as it does under
    /// Landlock. A deleted file is refused. The master takes the descriptor (pidfd_getfd) and opens
    /// its own /proc/self/fd link to it with the program's credentials.
    private void reopen(Scratch s, Call call, int n, int flags, Need need) {
        int copy = ownCopy(call, n);
        if (copy < 0) {
            finish(s, call, List.of(), Decision.ALLOW, -1, -copy);
            return;
        }
        boolean handedOff = false;
        try {
            String link = "/proc/self/fd/" + copy;
            Place place = ownFilePlace(call, Master.readlink(s, link), need);
            if (place.anchor < 0) {
                finish(s, call, place, -1, -place.anchor);
                return;
            }
            int fd = openat2(s, AT_FDCWD, link, flags | OpenFlag.O_NONBLOCK, 0, 0);
            handedOff = answerOpened(s, call, place, fd, flags, t -> openat2(t, AT_FDCWD, link, flags, 0, 0),
                    () -> Kernel.close(copy));
        } finally {
            if (!handedOff) {
                Kernel.close(copy);
            }
        }
    }

    private void offloadEnded() {
        if (offloaded.decrementAndGet() == 0) {
            synchronized (offloaded) {
                offloaded.notifyAll();
            }
        }
    }

    /// Waits up to `millis` for the calls handed to other threads to be answered and audited.
    void awaitOffloaded(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        synchronized (offloaded) {
            while (offloaded.get() > 0) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                offloaded.wait(left);
            }
        }
    }

    /// openat2 below the place's anchor. A `flags` with the sign bit set asks for a blocking open.
    private int openAt(Scratch s, Call call, Place place, int flags) {
        boolean blocking = flags < 0;
        int f = flags & Integer.MAX_VALUE;
        boolean creating = (f & OpenFlag.O_CREAT) != 0 || (f & OpenFlag.O_TMPFILE) == OpenFlag.O_TMPFILE;
        int mode = creating ? call.mode & 0777 & ~umask() : 0;
        return contained(s, place, place.relative, blocking ? f : f | OpenFlag.O_NONBLOCK, mode);
    }

    /// openat with the seed's `resolve_*` flags: resolved by the kernel below the program's
    /// directory exactly as it asked, then decided and opened as any other open.
    private void openResolving(Scratch s, Call call, Need need, int flags) {
        int dir = resolveToFd(s, call.rawBase, OpenFlag.O_DIRECTORY, 0, AT_FDCWD);
        if (dir < 0) {
            finish(s, call, List.of(), Decision.DENY, -1, denialOr(s, call, -dir, call.absolutePathRaw(), need));
            return;
        }
        String canonical;
        try {
            int fd = resolveToFd(s, call.rawPath(), (call.rawFlags & OpenFlag.O_NOFOLLOW) != 0 ? OpenFlag.O_NOFOLLOW : 0,
                    call.resolve | OpenFlag.R_NO_MAGICLINKS, dir);
            if (fd < 0) {
                finish(s, call, List.of(), Decision.DENY, -1, denialOr(s, call, -fd, call.absolutePathRaw(), need));
                return;
            }
            canonical = pathOf(s, fd);
            Kernel.close(fd);
        } finally {
            Kernel.close(dir);
        }
        Place place = decided(call, canonical, need, false);
        if (place.anchor < 0) {
            finish(s, call, place, -1, -place.anchor);
            return;
        }
        int fd = openAt(s, call, place, flags);
        if (fd < 0) {
            finish(s, call, place, -1, -fd);
        } else {
            deliver(s, call, place, fd, typeOf(s, fd));
        }
    }

    private void stat(Scratch s, Call call) {
        boolean follow = call.function() == Function.STAT;
        int flags = OpenFlag.O_PATH | (follow ? 0 : OpenFlag.O_NOFOLLOW)
                | (call.absolutePathRaw().endsWith("/") ? OpenFlag.O_DIRECTORY : 0);
        Place place = placeAndOpen(s, call, call.absolutePathRaw(), Need.STAT, follow, flags);
        if (place == null) {
            return;
        }
        int fd = s.lastFd;
        s.path2.set(JAVA_BYTE, 0, (byte) 0);
        int r = Kernel.statx(fd, s.path2, SysStatH.AT_EMPTY_PATH | SysStatH.AT_SYMLINK_NOFOLLOW, s.statx);
        Kernel.close(fd);
        if (r < 0) {
            finish(s, call, place, -1, -r);
            return;
        }
        if (call.markAnswered()) {
            int errno = master.writeStatResult(s, call.id, call.caller, call.buffer, call.statFormat,
                    StatWriter.fromStatx(s.statx));
            record(call, place, errno == 0 ? 0 : -1, errno);
        }
    }

    private void access(Scratch s, Call call) {
        boolean follow = (call.extraFlags & SysStatH.AT_SYMLINK_NOFOLLOW) == 0;
        int amode = call.mode;
        Need need = (amode & 2) != 0 ? Need.WRITE : (amode & 4) != 0 ? Need.READ : Need.STAT;
        Place place = placeAndOpen(s, call, call.absolutePathRaw(), need, follow,
                OpenFlag.O_PATH | (follow ? 0 : OpenFlag.O_NOFOLLOW));
        if (place == null) {
            return;
        }
        int fd = s.lastFd;
        s.path2.set(JAVA_BYTE, 0, (byte) 0);
        // The thread acts with the credentials access(2) checks (the real ids for ACCESS, see
        // handle), so the check is made with them as they are: AT_EACCESS.
        int w = ProgramCredentials.enter();
        int r;
        try {
            r = w < 0 ? w : Kernel.faccessat(fd, s.path2, amode, SysStatH.AT_EMPTY_PATH | SysStatH.AT_EACCESS);
        } finally {
            ProgramCredentials.leave(w);
        }
        Kernel.close(fd);
        finish(s, call, place, r < 0 ? -1 : 0, r < 0 ? -r : 0);
    }

    /// execve/execveat, decided like an open for reading of the file the path resolves to
    /// (AT_SYMLINK_NOFOLLOW honoured): refused with the policy's denial whether or not the file
    /// exists (ENOENT only when the policy reveals missing paths). When allowed the call
    /// continues: the kernel executes the path itself, re-resolving it, so a racing thread could
    /// swap what it names after the decision; what the kernel may execute is held to the same
    /// rule by the policy's Landlock ruleset installed at spawn (EXECUTE only where reading is allowed),
    /// and the kernel checks the program's own execute permission. Where no such ruleset holds
    /// (no Landlock, or a policy other than the one the sandbox was started with), every exec is
    /// refused with EACCES: a checked call is never let continue unbacked.
    private void exec(Scratch s, Call call) {
        if (!execBacked && !policy.isDryRun()) {
            finish(s, call, List.of(), Decision.DENY, -1, EACCES);
            return;
        }
        boolean follow = (call.extraFlags & SysStatH.AT_SYMLINK_NOFOLLOW) == 0;
        Place place = placeAndOpen(s, call, call.absolutePathRaw(), Need.READ, follow,
                OpenFlag.O_PATH | (follow ? 0 : OpenFlag.O_NOFOLLOW));
        if (place != null) {
            Kernel.close(s.lastFd);
            proceed(s, call, place);
        }
    }

    /// chdir, decided like a stat of a directory: a denied directory is refused with the
    /// policy's denial whether or not it exists. When allowed the call continues and the kernel
    /// changes the program's directory itself; a path swapped meanwhile grants nothing, since
    /// every later relative path is resolved from the directory the program really has and
    /// decided again.
    private void chdir(Scratch s, Call call) {
        Place place = placeAndOpen(s, call, call.absolutePathRaw(), Need.STAT, true,
                OpenFlag.O_PATH | OpenFlag.O_DIRECTORY);
        if (place != null) {
            Kernel.close(s.lastFd);
            proceed(s, call, place);
        }
    }

    /// Lets an allowed exec or chdir continue: the only calls the kernel performs itself.
    private void proceed(Scratch s, Call call, Place place) {
        if (call.markAnswered()) {
            master.continueAsAsked(s, call.id);
            record(call, place, 0, 0);
        }
    }

    // ---- network ----

    /// socket(2) of a kind the filter sends here: created with the program's credentials (raw
    /// and packet sockets need its CAP_NET_RAW) when the policy allows the kind, and injected;
    /// refused with EAFNOSUPPORT (EPROTONOSUPPORT for an IPv4/IPv6 kind), what a kernel without
    /// that kind answers, so programs fall back.
    private void socket(Scratch s, Call call) {
        Arguments.Socket a = (Arguments.Socket) call.arguments();
        boolean allowed = a.kind() != null && policy.allowsSocket(a.kind());
        if (!allowed && (a.kind() == null || !policy.isDryRun())) {
            boolean inet = a.domain() == 2 || a.domain() == 10;
            finish(s, call, List.of(), Decision.DENY, -1, inet ? EPROTONOSUPPORT : EAFNOSUPPORT);
            return;
        }
        Decision decision = allowed ? Decision.ALLOW : Decision.WOULD_DENY;
        int fd = ProgramCredentials.asProgram(() -> Sockets.create(a.domain(), a.type(), a.protocol()));
        if (fd < 0) {
            finish(s, call, List.of(), decision, -1, -fd);
            return;
        }
        try {
            if (!call.markAnswered()) {
                return;
            }
            int r = master.injectFdResult(s, call.id, fd, a.type() & OpenFlag.O_CLOEXEC);
            if (r < 0 && r != -ENOENT) {
                master.reply(s, call.id, -1, -r);
            }
            record(call, List.of(), decision, r < 0 ? -1 : r, r < 0 ? -r : 0);
        } finally {
            Kernel.close(fd);
        }
    }

    /// A socket call: decided on what the program named (a unix path after the kernel's
    /// resolution), performed on the program's own socket.
    private void network(Scratch s, Call call) {
        Endpoint e = call.endpoint;
        boolean bind = call.netOp == Call.NetOp.BIND || call.netOp == Call.NetOp.LISTEN;
        byte[] address = e.raw();
        List<String> resolved = new ArrayList<>();
        Decision decision;
        List<Integer> helpers = new ArrayList<>();
        if (e.isUnixPath()) {
            String path = procSelf(call, call.absolutePathRaw());
            String canonical = canonicalize(s, path, !bind, bind);
            if (canonical.startsWith("-")) {
                // The kernel's errno, when the walk stopped where the program may be told of
                // (see [#tellable]): a link of an allowed name to a missing path outside said so.
                int errno = Integer.parseInt(canonical.substring(1));
                String stop = policy.unixRule(lexicallyNormal(path), bind) != null ? whereWalkStops(s, call, path) : null;
                denyNetwork(s, call, List.of(call.absolutePathRaw()),
                        answer(errno, stop != null && (policy.unixRule(stop, bind) != null || mayTell(call, stop)), EACCES));
                return;
            }
            resolved.add(canonical);
            Policy.Rule rule = policy.unixRule(canonical, bind);
            decision = Decision.ALLOW;
            if (rule == null || ownProc(canonical)) {
                if (!policy.isDryRun() || ownProc(canonical)) {
                    denyNetwork(s, call, resolved, EACCES);
                    return;
                }
                rule = rootRule;
                decision = Decision.WOULD_DENY;
            }
            Place place = below(rule, canonical, decision);
            int fd = bind ? parentFd(s, place) : pathFd(s, place, OpenFlag.O_PATH);
            if (fd < 0) {
                finish(s, call, resolved, decision, -1, -fd);
                return;
            }
            helpers.add(fd);
            address = Sockets.unixAddress(bind ? "/proc/self/fd/" + fd + "/" + Paths.name(canonical)
                    : "/proc/self/fd/" + fd);
            if (address == null) {
                helpers.forEach(Kernel::close);
                finish(s, call, resolved, decision, -1, ENAMETOOLONG);
                return;
            }
        } else {
            boolean allowed = switch (e.family()) {
                case Endpoint.AF_UNIX -> e.unixPath().isEmpty()
                        ? !bind || policy.allowsUnnamed()
                        : policy.allowsAbstract(e.unixPath().substring(1), bind);
                default -> policy.allowsInet(e.decidedAddress(), e.port(), bind);
            };
            decision = allowed ? Decision.ALLOW : Decision.WOULD_DENY;
            if (!allowed && !policy.isDryRun()) {
                denyNetwork(s, call, resolved, EACCES);
                return;
            }
        }
        List<byte[]> destinations = null;
        if (call.netOp == Call.NetOp.SENDMMSG) {
            destinations = new ArrayList<>();
            for (Object[] m : batch(call)) {
                if (m.length < 4) {
                    destinations.add(null);
                    continue;
                }
                int[] errno = {0};
                Endpoint d = Endpoint.decode((byte[]) m[3], errno);
                boolean ok = d != null && (d.family() == Endpoint.AF_INET || d.family() == Endpoint.AF_INET6)
                        && policy.allowsInet(d.decidedAddress(), d.port(), false);
                if (!ok && !policy.isDryRun()) {
                    helpers.forEach(Kernel::close);
                    denyNetwork(s, call, resolved, d == null ? errno[0] : EACCES);
                    return;
                }
                destinations.add((byte[]) m[3]);
            }
        }
        Decision decided = decision;
        offloaded.incrementAndGet();
        long[] r = NetworkCalls.perform(master, s, call, address, destinations, done -> {
            try {
                record(call, resolved, decided, done[0], (int) done[1]);
            } finally {
                offloadEnded();
            }
        }, () -> helpers.forEach(Kernel::close));
        if (r != null) {
            offloadEnded();
        }
        if (r != null && call.markAnswered()) {
            master.reply(s, call.id, r[0], (int) r[1]);
            record(call, resolved, decision, r[0], (int) r[1]);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> batch(Call call) {
        return (List<Object[]>) ((Object[]) call.payload)[1];
    }

    private void denyNetwork(Scratch s, Call call, List<String> resolved, int errno) {
        NetworkCalls.closePayload(call);
        finish(s, call, resolved, errno == EACCES ? Decision.DENY : Decision.ALLOW, -1, errno);
    }

    /// A lookup through [BrokerResolverProvider]: allowed names are resolved by the master.
    private void getaddrinfo(Scratch s, Call call) {
        Arguments.GetAddrInfo lookup = (Arguments.GetAddrInfo) call.arguments();
        boolean allowed = policy.allowsResolve(lookup.node());
        Decision decision = allowed ? Decision.ALLOW : policy.isDryRun() ? Decision.WOULD_DENY : Decision.DENY;
        String answer;
        long result;
        int error;
        if (decision == Decision.DENY) {
            answer = AddrInfoError.EAI_NONAME.name();
            result = -1;
            error = AddrInfoError.EAI_NONAME.code();
        } else {
            int port = 0;
            if (lookup.service() != null) {
                try {
                    port = Integer.parseInt(lookup.service());
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 0 || port > 65535) {
                answer = AddrInfoError.EAI_SERVICE.name();
                result = -1;
                error = AddrInfoError.EAI_SERVICE.code();
            } else {
                List<InetSocketAddress> found = new ArrayList<>();
                try {
                    for (InetAddress a : InetAddress.getAllByName(lookup.node())) {
                        found.add(new InetSocketAddress(a, port));
                    }
                    answer = BrokerResolverProvider.encodeAnswer(found);
                    result = found.size();
                    error = 0;
                } catch (UnknownHostException e) {
                    answer = AddrInfoError.EAI_NONAME.name();
                    result = -1;
                    error = AddrInfoError.EAI_NONAME.code();
                }
            }
        }
        if (call.markAnswered()) {
            master.writeLinkResult(s, call, answer);
            record(call, List.of(), decision, result, error);
        }
    }

    /// chmod through the contained O_PATH descriptor's /proc/self/fd link, which names exactly
    /// the inode that was decided on. Setuid and setgid bits are dropped: the master may be
    /// root, and the program must not make a file that runs with its owner's rights.
    private void chmod(Scratch s, Call call) {
        Place place = placeAndOpen(s, call, call.absolutePathRaw(), Need.WRITE, true, OpenFlag.O_PATH);
        if (place == null) {
            return;
        }
        int fd = s.lastFd;
        s.path2.setString(0, "/proc/self/fd/" + fd, ISO_8859_1);
        int w = ProgramCredentials.enter();
        int r;
        try {
            r = w < 0 ? w : Kernel.fchmodat(AT_FDCWD, s.path2, call.mode & 01777);
        } finally {
            ProgramCredentials.leave(w);
        }
        Kernel.close(fd);
        finish(s, call, place, r < 0 ? -1 : 0, r < 0 ? -r : 0);
    }

    /// utimensat on the contained O_PATH descriptor itself (AT_EMPTY_PATH), which is exactly the
    /// inode that was decided on (the link itself with AT_SYMLINK_NOFOLLOW): setting times is a
    /// metadata write, allowed where writing is.
    private void utimes(Scratch s, Call call) {
        boolean follow = (call.extraFlags & SysStatH.AT_SYMLINK_NOFOLLOW) == 0;
        Place place = placeAndOpen(s, call, call.absolutePathRaw(), Need.WRITE, follow,
                follow ? OpenFlag.O_PATH : OpenFlag.O_PATH | OpenFlag.O_NOFOLLOW);
        if (place == null) {
            return;
        }
        int fd = s.lastFd;
        Arguments.Utimes times = (Arguments.Utimes) call.arguments();
        s.times.set(JAVA_LONG, 0, times.access().seconds());
        s.times.set(JAVA_LONG, 8, times.access().nanoseconds());
        s.times.set(JAVA_LONG, 16, times.modification().seconds());
        s.times.set(JAVA_LONG, 24, times.modification().nanoseconds());
        s.path2.set(JAVA_BYTE, 0, (byte) 0);
        int w = ProgramCredentials.enter();
        int r;
        try {
            r = w < 0 ? w : Kernel.utimensat(fd, s.path2, s.times, SysStatH.AT_EMPTY_PATH);
        } finally {
            ProgramCredentials.leave(w);
        }
        Kernel.close(fd);
        finish(s, call, place, r < 0 ? -1 : 0, r < 0 ? -r : 0);
    }

    private void readlink(Scratch s, Call call) {
        Place place = placeAndOpen(s, call, call.absolutePathRaw(), Need.STAT, false,
                OpenFlag.O_PATH | OpenFlag.O_NOFOLLOW);
        if (place == null) {
            return;
        }
        int fd = s.lastFd;
        s.path2.set(JAVA_BYTE, 0, (byte) 0);
        long n = Kernel.readlinkat(fd, s.path2, s.link);
        if (n == -ENOENT && Kernel.statx(fd, s.path2, SysStatH.AT_EMPTY_PATH | SysStatH.AT_SYMLINK_NOFOLLOW, s.statx) == 0) {
            n = -EINVAL;
        }
        Kernel.close(fd);
        if (n < 0) {
            finish(s, call, place, -1, (int) -n);
            return;
        }
        if (call.markAnswered()) {
            String target = new String(s.link.asSlice(0, n).toArray(JAVA_BYTE), ISO_8859_1);
            int[] out = master.writeLinkResult(s, call, target);
            record(call, place, out[0], out[1]);
        }
    }

    /// Resolves and decides `path`, then opens it `O_PATH` below its anchor into `s.lastFd`;
    /// answers the place, or `null` when the call was answered with an error.
    private Place placeAndOpen(Scratch s, Call call, String path, Need need, boolean follow, int flags) {
        int own = follow ? ownDescriptor(call, path) : -1;
        Place place = own >= 0 ? ownPlace(s, call, own, need)
                : locate(s, call, path, need, follow, false, p -> pathFd(s, p, flags));
        if (place.anchor < 0 || s.lastFd < 0) {
            finish(s, call, place, -1, place.anchor < 0 ? -place.anchor : -s.lastFd);
            return null;
        }
        return place;
    }

    /// Decides `path` on its lexical form and applies `open` below the place (a descriptor or
    /// -errno, left in `s.lastFd`); when that meets a symbolic link (ELOOP), decides and applies
    /// it once more on the kernel's resolution. A place with a negative anchor was refused.
    private Place locate(Scratch s, Call call, String path, Need need, boolean follow, boolean mayBeMissing,
            ToIntFunction<Place> open) {
        Place place = place(s, call, path, need, follow, mayBeMissing, false);
        if (place.anchor < 0) {
            return place;
        }
        s.lastFd = open.applyAsInt(place);
        if (s.lastFd == -ELOOP && !place.kernelResolved) {
            place = slowPlace(s, call, path, need, follow, mayBeMissing, false);
            if (place.anchor >= 0) {
                s.lastFd = open.applyAsInt(place);
            }
        }
        return place;
    }

    private static int pathFd(Scratch s, Place place, int flags) {
        return contained(s, place, place.relative, flags, 0);
    }

    /// openat2(2) of `path` below `dirfd`, close-on-exec; the master's only way to open.
    private static int openat2(Scratch s, int dirfd, String path, int flags, int mode, long resolve) {
        return openat2(s, dirfd, path, flags, mode, resolve, 0);
    }

    /// [#openat2(Scratch, int, String, int, int, long)] below `dirfd`, an anchor, after checking
    /// with the same credentials that they may search the `searched` directories above it
    /// (none when 0). The check walks up from the anchor by `..` (faccessat(X_OK) of `../..`),
    /// so it checks the directories that hold the anchor now, whatever they are called: checked
    /// by path, it passed on directories a program made in place of ones it had renamed, in
    /// kernel mode, where the kernel renames for it (found by an audit, 2026-12-07). A walk from
    /// the anchor needs its search permission too, which a call on the anchor itself (`.`)
    /// does not: that walk starts from the anchor's parent, opened first.
    private static int openat2(Scratch s, int dirfd, String path, int flags, int mode, long resolve, int searched) {
        int parent = -1;
        if (searched > 0 && path.equals(".")) {
            s.how.set(JAVA_LONG, 0, Integer.toUnsignedLong(OpenFlag.O_PATH | OpenFlag.O_DIRECTORY | OpenFlag.O_CLOEXEC));
            s.how.set(JAVA_LONG, 8, 0);
            s.how.set(JAVA_LONG, 16, 0);
            s.anchorParent.setString(0, "..", ISO_8859_1);
            parent = Kernel.openat2(dirfd, s.anchorParent, s.how);
            if (parent < 0) {
                return parent;
            }
        }
        s.how.set(JAVA_LONG, 0, Integer.toUnsignedLong(flags | OpenFlag.O_CLOEXEC));
        s.how.set(JAVA_LONG, 8, mode);
        s.how.set(JAVA_LONG, 16, resolve);
        s.path1.setString(0, path, ISO_8859_1);
        if (searched > 0) {
            s.anchorParent.setString(0, up(parent >= 0 ? searched - 1 : searched), ISO_8859_1);
        }
        int w = ProgramCredentials.enter();
        try {
            if (w < 0) {
                return w;
            }
            int r = searched == 0 ? 0
                    : Kernel.faccessat(parent >= 0 ? parent : dirfd, s.anchorParent, X_OK, SysStatH.AT_EACCESS);
            return r < 0 ? r : Kernel.openat2(dirfd, s.path1, s.how);
        } finally {
            ProgramCredentials.leave(w);
            if (parent >= 0) {
                Kernel.close(parent);
            }
        }
    }

    /// `..` `levels` times (`.` for none), joined by slashes.
    private static String up(int levels) {
        return levels == 0 ? "." : UP.substring(0, 3 * levels - 1);
    }

    /// The most levels [#searchedAbove] asks for: well within PATH_MAX as `../../..`.
    private static final int MAX_LEVELS = 1000;
    private static final String UP = "../".repeat(MAX_LEVELS);

    /// [#openat2] of `relative` below the place's anchor, never leaving it: an attempt to
    /// (EXDEV) is the denial it is. The directories above the anchor are searched first as the
    /// program (see [#searchedAbove]).
    private static int contained(Scratch s, Place place, String relative, int flags, int mode) {
        int fd = openat2(s, place.anchor, relative, flags, mode, CONTAINED, place.searched);
        return fd == -EXDEV ? -EACCES : fd;
    }

    /// mkdir, unlink, rmdir, symlink and mknod: one directory entry, made or removed below its
    /// parent. A device node is never made, not even in a dry run (kernel mode grants no tree
    /// MAKE_CHAR or MAKE_BLOCK either).
    private void entry(Scratch s, Call call) {
        String path = call.absolutePathRaw();
        int type = call.mode & SysStatH.S_IFMT;
        if (call.function() == Function.MKNOD && (type == SysStatH.S_IFCHR || type == SysStatH.S_IFBLK)) {
            finish(s, call, List.of(lexicallyNormal(path)), Decision.DENY, -1, policy.denial().number());
            return;
        }
        Place place = entryPlace(s, call, path);
        if (place.anchor < 0) {
            finish(s, call, place, -1, -place.anchor);
            return;
        }
        int r = withParent(s, place, (parent, name) -> switch (call.function()) {
            case MKDIR -> Kernel.mkdirat(parent, name, call.mode & 01777 & ~umask());
            case RMDIR -> Kernel.unlinkat(parent, name, SysStatH.AT_REMOVEDIR);
            case MKNOD -> Kernel.mknodat(parent, name, type | call.mode & 01777 & ~umask(), 0);
            case SYMLINK -> {
                s.path1.setString(0, (String) call.payload, ISO_8859_1);
                yield Kernel.symlinkat(s.path1, parent, name);
            }
            default -> Kernel.unlinkat(parent, name, 0);
        });
        finish(s, call, place, r < 0 ? -1 : 0, r < 0 ? -r : 0);
    }

    private void rename(Scratch s, Call call) {
        Place from = entryPlace(s, call, call.absolutePathRaw());
        Place to = entryPlace(s, call, call.absolutePath2Raw());
        betweenParents(s, call, from, to, from.anchor < 0 ? -from.anchor : -to.anchor,
                (p1, name1, p2, name2) -> Kernel.renameat2(p1, name1, p2, name2, call.extraFlags));
    }

    /// A new name for a file, decided like a rename: both the file and the new name must be where
    /// the policy allows creating, so that the new name gives no more than the old one had. A
    /// file the policy lets the program only read is EXDEV, as Landlock answers in kernel mode
    /// (a program such as cp or a package manager then copies it). With AT_SYMLINK_FOLLOW a
    /// symbolic link at path1 is resolved, by the kernel, and the file it leads to is linked.
    private void link(Scratch s, Call call) {
        String path1 = call.absolutePathRaw();
        Place from = (call.extraFlags & SysStatH.AT_SYMLINK_FOLLOW) != 0
                ? slowPlace(s, call, path1, Need.CREATE, true, false, false) : entryPlace(s, call, path1);
        Place to = entryPlace(s, call, call.absolutePath2Raw());
        int refused = from.anchor < 0 ? -from.anchor : -to.anchor;
        if (from.decision == Decision.DENY && to.anchor >= 0 && from.canonical != null
                && allowFor(call, from.canonical, Need.READ, false) != null) {
            refused = EXDEV;
        }
        betweenParents(s, call, from, to, refused,
                (p1, name1, p2, name2) -> Kernel.linkat(p1, name1, p2, name2, 0));
    }

    /// truncate(2) by path: the file is decided like an open for writing and truncated, with the
    /// program's credentials, through the master's `/proc/self/fd` link to an `O_PATH` descriptor
    /// of it: the kernel's own checks (write permission, EISDIR, EINVAL for what is not a regular
    /// file, ETXTBSY, append-only) apply, and nothing is opened for writing.
    private void truncate(Scratch s, Call call) {
        Place place = placeAndOpen(s, call, call.absolutePathRaw(), Need.WRITE, true, OpenFlag.O_PATH);
        if (place == null) {
            return;
        }
        int fd = s.lastFd;
        long length = ((Arguments.Truncate) call.arguments()).length();
        int r = beyondFileSizeLimit(s, call, fd, length);
        if (r == 0) {
            s.path2.setString(0, "/proc/self/fd/" + fd, ISO_8859_1);
            int w = ProgramCredentials.enter();
            try {
                r = w < 0 ? w : Kernel.truncate(s.path2, length);
            } finally {
                ProgramCredentials.leave(w);
            }
        }
        Kernel.close(fd);
        finish(s, call, place, r < 0 ? -1 : 0, r < 0 ? -r : 0);
    }

    /// -EFBIG when truncating the file open as `fd` to `length` would grow it past the calling
    /// process's RLIMIT_FSIZE, which the kernel checks against the process that truncates (the
    /// master, here); the calling thread then gets SIGXFSZ, as the kernel sends it. 0 otherwise;
    /// -errno when the limit of a file that would grow cannot be read (the caller is gone). The
    /// limit is read only for a file that would grow.
    private int beyondFileSizeLimit(Scratch s, Call call, int fd, long length) {
        if (typeOf(s, fd) < 0 || s.statx.get(JAVA_LONG, STX_SIZE) >= length) {
            return 0;
        }
        long limit = fileSizeLimit(s, call);
        if (limit < 0) {
            return (int) limit;
        }
        if (length <= limit) {
            return 0;
        }
        call.caller.signalThread(Signal.XFSZ.number());
        return -EFBIG;
    }

    /// The caller's soft RLIMIT_FSIZE (Long.MAX_VALUE when unlimited), or -errno, read from the
    /// "Max file size" line of its `/proc/TID/limits` through the proven `/proc/TID` (see
    /// [Caller#procDir]): prlimit(2) of a process of another user needs CAP_SYS_RESOURCE, which a
    /// root JVM in a container may not have.
    private static long fileSizeLimit(Scratch s, Call call) {
        int proc = call.caller.procDir(s);
        int fd = proc < 0 ? proc : openat2(s, proc, "limits", 0, 0, CONTAINED);
        if (fd < 0) {
            return fd;
        }
        long n = Kernel.pread(fd, s.link, s.link.byteSize() - 1, 0);
        Kernel.close(fd);
        if (n < 0) {
            return n;
        }
        String limits = new String(s.link.asSlice(0, n).toArray(JAVA_BYTE), ISO_8859_1);
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max file size")) {
                String soft = line.substring("Max file size".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return -EINVAL;
    }

    @FunctionalInterface
    private interface BetweenOp {
        int apply(int parent1, MemorySegment name1, int parent2, MemorySegment name2);
    }

    /// Applies `op` with the program's credentials to the two entries' parents and last
    /// components, or answers `refused` when either place was refused.
    private void betweenParents(Scratch s, Call call, Place from, Place to, int refused, BetweenOp op) {
        List<String> resolved = new ArrayList<>();
        resolved.add(from.canonical == null ? "" : from.canonical);
        resolved.add(to.canonical == null ? "" : to.canonical);
        Decision decision = from.decision == Decision.WOULD_DENY || to.decision == Decision.WOULD_DENY
                ? Decision.WOULD_DENY : Decision.ALLOW;
        if (from.anchor < 0 || to.anchor < 0) {
            finish(s, call, resolved, Decision.DENY, -1, refused);
            return;
        }
        int p1 = parentFd(s, from);
        if (p1 < 0) {
            finish(s, call, resolved, decision, -1, -p1);
            return;
        }
        int p2 = parentFd(s, to);
        if (p2 < 0) {
            Kernel.close(p1);
            finish(s, call, resolved, decision, -1, -p2);
            return;
        }
        s.path1.setString(0, Paths.name(from.canonical), ISO_8859_1);
        s.path2.setString(0, Paths.name(to.canonical), ISO_8859_1);
        int w = ProgramCredentials.enter();
        int r;
        try {
            r = w < 0 ? w : op.apply(p1, s.path1, p2, s.path2);
        } finally {
            ProgramCredentials.leave(w);
        }
        Kernel.close(p1);
        Kernel.close(p2);
        finish(s, call, resolved, decision, r < 0 ? -1 : 0, r < 0 ? -r : 0);
    }

    @FunctionalInterface
    private interface EntryOp {
        int apply(int parent, MemorySegment name);
    }

    private static int withParent(Scratch s, Place place, EntryOp op) {
        int parent = parentFd(s, place);
        if (parent < 0) {
            return parent;
        }
        s.path2.setString(0, Paths.name(place.canonical), ISO_8859_1);
        int w = ProgramCredentials.enter();
        int r;
        try {
            r = w < 0 ? w : op.apply(parent, s.path2);
        } finally {
            ProgramCredentials.leave(w);
        }
        Kernel.close(parent);
        return r;
    }

    /// The directory holding the place's last component, opened below its anchor.
    private static int parentFd(Scratch s, Place place) {
        String rel = place.relative;
        int slash = rel.lastIndexOf('/');
        return contained(s, place, slash < 0 ? "." : rel.substring(0, slash), OpenFlag.O_PATH | OpenFlag.O_DIRECTORY,
                0);
    }

    /// The place of a call that acts on a directory entry (mkdir, unlink, rmdir, rename): its
    /// parent directory is resolved by the kernel, its last component is taken as it is.
    private Place entryPlace(Scratch s, Call call, String path) {
        Place fast = place(s, call, path, Need.CREATE, false, true, true);
        if (fast.anchor < 0 || fast.kernelResolved) {
            return fast;
        }
        int parent = parentFd(s, fast);
        if (parent == -ELOOP) {
            return slowPlace(s, call, path, Need.CREATE, false, true, true);
        }
        if (parent >= 0) {
            Kernel.close(parent);
        }
        return fast;
    }

    // ---- resolution and decision ----

    /// The place for `path` decided on its lexical form, when it has no `..`: the anchor is
    /// then opened with RESOLVE_NO_SYMLINKS, so a symbolic link anywhere makes the open fail
    /// with ELOOP and the caller falls back to [#slowPlace], the kernel's resolution. A place
    /// whose decision is `null` came from the kernel's resolution already.
    private Place place(Scratch s, Call call, String path, Need need, boolean follow, boolean mayBeMissing,
            boolean entry) {
        String rewritten = procSelf(call, path);
        String lexical = Paths.lexical(rewritten);
        if (lexical == null) {
            return slowPlace(s, call, path, need, follow, mayBeMissing, entry);
        }
        String candidate = dealias(lexical);
        return revealMissing(s, decided(call, candidate, need, entry), need, mayBeMissing || entry);
    }

    /// A denial of a path that does not exist becomes ENOENT unless the policy hides that.
    private Place revealMissing(Scratch s, Place p, Need need, boolean creating) {
        if (p.anchor != -policy.denial().number() || !policy.revealsMissing() || creating || need == Need.CREATE
                || p.canonical == null) {
            return p;
        }
        int fd = resolveToFd(s, p.canonical, 0, OpenFlag.R_NO_MAGICLINKS, AT_FDCWD);
        if (fd >= 0) {
            Kernel.close(fd);
            return p;
        }
        return fd == -ENOENT || fd == -ENOTDIR ? new Place(p.canonical, fd, "", Decision.DENY) : p;
    }

    private Place slowPlace(Scratch s, Call call, String path, Need need, boolean follow, boolean mayBeMissing,
            boolean entry) {
        String rewritten = procSelf(call, path);
        String canonical = canonicalize(s, rewritten, follow && !entry, mayBeMissing || entry);
        if (canonical.startsWith("-")) {
            return unresolvable(s, call, Integer.parseInt(canonical.substring(1)), rewritten, need);
        }
        if (!policy.isDryRun() && leavesHidden(s, call, rewritten)) {
            return new Place(canonical, -policy.denial().number(), "", Decision.DENY, true);
        }
        Place p = revealMissing(s, decided(call, canonical, need, entry), need, mayBeMissing || entry);
        return p.resolvedByKernel();
    }

    /// The place of a path the kernel could not resolve: the call fails with the kernel's errno
    /// when the path (taken lexically) is allowed and so is where the kernel's walk stopped
    /// ([#tellable]), or in a dry run; else with the policy's denial, or ENOENT/ENOTDIR unless
    /// the policy hides missing paths.
    private Place unresolvable(Scratch s, Call call, int errno, String path, Need need) {
        String lexical = lexicallyNormal(path);
        if (errno == ELOOP && Paths.isUnder(lexical, "/proc")) {
            return new Place(lexical, -policy.denial().number(), "", Decision.DENY, true);
        }
        boolean allowed = tellable(s, call, path, need);
        Decision decision = allowed ? Decision.ALLOW : policy.isDryRun() ? Decision.WOULD_DENY : Decision.DENY;
        return new Place(lexical, -answer(errno, allowed), "", decision, true);
    }

    /// `errno`, the kernel's answer for `path`, when the program may be told it (see [#tellable]);
    /// else the policy's denial.
    private int denialOr(Scratch s, Call call, int errno, String path, Need need) {
        return answer(errno, tellable(s, call, path, need));
    }

    /// `errno`, a failure of the kernel's resolution, when it is `tellable`, in a dry run, or a
    /// missing path where the policy reveals those; else the policy's denial.
    private int answer(int errno, boolean tellable) {
        return answer(errno, tellable, policy.denial().number());
    }

    /// [#answer(int, boolean)] with `denial` for the policy's (EACCES for a socket's address).
    private int answer(int errno, boolean tellable, int denial) {
        return tellable || policy.isDryRun() || policy.revealsMissing() && (errno == ENOENT || errno == ENOTDIR) ? errno
                : denial;
    }

    /// Whether the kernel's failure to resolve `path` tells the program nothing the policy hides:
    /// the path, taken lexically, is allowed, and so is where the walk stopped. A symbolic link
    /// or a `..` takes the walk elsewhere than the path's spelling says: an allowed link to a
    /// missing file outside (ENOENT) against one to an existing file there (the denial), or
    /// `HIDDEN/../ALLOWED` (ENOENT, ENOTDIR or success, by what HIDDEN is), told whether a path
    /// outside the allowances existed.
    private boolean tellable(Scratch s, Call call, String path, Need need) {
        String lexical = lexicallyNormal(path);
        if (lexical == null || allowFor(call, lexical, need, false) == null) {
            return false;
        }
        String stop = whereWalkStops(s, call, path);
        return stop != null && mayTell(call, stop);
    }

    /// Whether the program may learn that the canonical `path` exists (or not), and what it is: it
    /// may stat it, or it is a directory above an allowance (which exists, so they do too).
    private boolean mayTell(Call call, String path) {
        if (allowFor(call, path, Need.STAT, false) != null) {
            return true;
        }
        for (Policy.Rule r : policy.allows()) {
            if (Paths.isUnder(r.path(), path)) {
                return true;
            }
        }
        return false;
    }

    /// Whether the kernel's walk of `path`, which resolved, left by `..` a directory that the
    /// program may not be told of ([#mayTell]): whether the path resolves depends on what that
    /// directory is. The directory before each run of `..` is resolved by the kernel; those that
    /// the run then goes through are above it, so they exist.
    private boolean leavesHidden(Scratch s, Call call, String path) {
        String[] parts = path.split("/");
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].equals("..") && !parts[i - 1].equals("..")) {
                String prefix = String.join("/", Arrays.copyOfRange(parts, 0, i));
                String dir = canonicalize(s, prefix.isEmpty() ? "/" : prefix, true, false);
                if (dir.startsWith("-") || !mayTell(call, dir)) {
                    return true;
                }
            }
        }
        return false;
    }

    /// Where the kernel's walk of the absolute `path` (with the master's view of the file system)
    /// stops, walked here one component at a time from canonical directories: the canonical name
    /// of the first entry that cannot be reached or gone through, or of a directory the walk
    /// leaves by `..` without the program being told of it; the last directory reached when the
    /// walk goes through (the failure lay elsewhere, or the tree changed meanwhile). `null` when
    /// it cannot be told (more than 40 symbolic links, or a link of /proc to no path).
    private String whereWalkStops(Scratch s, Call call, String path) {
        ArrayDeque<String> pending = new ArrayDeque<>(List.of(path.split("/")));
        String current = "/";
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.removeFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!mayTell(call, current)) {
                    return current;
                }
                current = Paths.parent(current);
                continue;
            }
            String next = current.equals("/") ? "/" + part : current + "/" + part;
            // `current` is canonical, so only `part` is looked at: EINVAL says it exists and is
            // no symbolic link, any other failure that the walk stops there.
            s.path2.setString(0, next, ISO_8859_1);
            long n = Kernel.readlinkat(AT_FDCWD, s.path2, s.link);
            if (n == -EINVAL) {
                current = next;
                continue;
            }
            if (n < 0 || n > Scratch.PATH_MAX) {
                return next;
            }
            String target = new String(s.link.asSlice(0, n).toArray(JAVA_BYTE), ISO_8859_1);
            if (++links > 40 || target.isEmpty() || !target.startsWith("/") && target.contains(":")) {
                return null;
            }
            List<String> parts = List.of(target.split("/"));
            for (int i = parts.size() - 1; i >= 0; i--) {
                pending.addFirst(parts.get(i));
            }
            if (target.startsWith("/")) {
                current = "/";
            }
        }
        return current;
    }

    private Place decided(Call call, String canonical, Need need, boolean entry) {
        Policy.Rule rule = allowFor(call, canonical, need, entry);
        Decision decision = Decision.ALLOW;
        if (rule == null) {
            if (!policy.isDryRun() || ownProc(canonical)) {
                return new Place(canonical, -policy.denial().number(), "", Decision.DENY);
            }
            rule = rootRule;
            decision = Decision.WOULD_DENY;
        }
        if (entry && canonical.equals(rule.anchorPath())) {
            return new Place(canonical, -EBUSY, "", decision);
        }
        return below(rule, canonical, decision);
    }

    /// `canonical`, at or below the anchor of `rule`, as a place relative to that anchor.
    private static Place below(Policy.Rule rule, String canonical, Decision decision) {
        String rel = canonical.equals(rule.anchorPath()) ? "."
                : rule.anchorPath().equals("/") ? canonical.substring(1) : canonical.substring(rule.anchorPath().length() + 1);
        return new Place(canonical, rule.anchor().intValue(), rel, decision, false, searchedAbove(rule.anchorPath()));
    }

    /// How many directories above `anchor` the program must be able to search to reach it (0:
    /// nothing to check). The master resolves a path from the anchor, a descriptor the JVM opened
    /// once, so the kernel checks search permission on the anchor and below it but not on the
    /// directories above it: [#contained] checks those with faccessat(X_OK) under the program's
    /// credentials, in the same switch of credentials as the open, unless they pass every search
    /// check (CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH, a root program's) or the anchor is the
    /// root. As many as the anchor's path has, and 8 more in case the program moved the anchor
    /// deeper (`..` at the root stays there).
    private static int searchedAbove(String anchor) {
        ProgramCredentials creds = ProgramCredentials.current();
        if (anchor.equals("/") || creds != null && creds.searchesAnywhere()) {
            return 0;
        }
        int levels = 8;
        for (int i = 0; i < anchor.length(); i++) {
            levels += anchor.charAt(i) == '/' ? 1 : 0;
        }
        return Math.min(levels, MAX_LEVELS);
    }

    private Policy.Rule allowFor(Call call, String canonical, Need need, boolean entry) {
        if (ownProc(canonical)) {
            return null;
        }
        for (String d : policy.denies()) {
            if (Paths.isUnder(canonical, d) || (entry && Paths.isUnder(d, canonical))) {
                return null;
            }
        }
        if (entry) {
            // Renaming or removing an allowance's anchor or a directory above it would move the
            // tree the anchor holds (a descriptor the JVM opened at the start) away from its
            // path: a program that renamed a directory it may not search, and made a new one in
            // its place, had the master open below the old one while the search check of the
            // directories above the anchor, made by path, passed on the new.
            for (Policy.Rule r : policy.allows()) {
                if (Paths.isUnder(r.anchorPath(), canonical)) {
                    return null;
                }
            }
        }
        for (Policy.Rule r : policy.allows()) {
            if (Paths.isUnder(canonical, r.path()) && sufficient(r.level(), need)
                    && !(entry && canonical.equals(r.path()))) {
                return r;
            }
        }
        if ((need == Need.STAT || need == Need.READ) && policy.ownProc() && Paths.isUnder(canonical, "/proc/" + call.pid())
                && !hostNetwork(canonical.substring(("/proc/" + call.pid()).length()))) {
            return rootRule;
        }
        if (need == Need.STAT && policy.statParents()) {
            for (Policy.Rule r : policy.allows()) {
                if (Paths.isUnder(r.path(), canonical)) {
                    return rootRule;
                }
            }
        }
        return null;
    }

    /// Whether `rest` (a path below /proc/PID) is a network file of the whole network namespace
    /// other than the few that name no other process's endpoint: net/unix lists every unix socket's
    /// path (denied trees included), net/tcp and friends every connection of the machine.
    private static boolean hostNetwork(String rest) {
        int net = rest.startsWith("/task/") ? rest.indexOf("/net", "/task/".length()) : rest.startsWith("/net") ? 0 : -1;
        if (net < 0 || !Paths.isUnder(rest.substring(net), "/net")) {
            return false;
        }
        String file = rest.substring(net + "/net".length());
        return !file.isEmpty() && !PROC_NET_ALLOWED.contains(file);
    }

    /// The files of /proc/PID/net a program may read: interfaces and routes (the JVM reads
    /// if_inet6 to decide on IPv6).
    private static final List<String> PROC_NET_ALLOWED = List.of("/if_inet6", "/dev", "/route", "/ipv6_route");

    private static boolean sufficient(Policy.Level level, Need need) {
        return switch (need) {
            case STAT, READ -> level.compareTo(Policy.Level.READ) >= 0;
            case WRITE -> level.compareTo(Policy.Level.READ_WRITE) >= 0;
            case CREATE -> level == Policy.Level.CREATE;
            case TEMPORARY -> level == Policy.Level.CREATE || level == Policy.Level.TEMPORARY;
        };
    }

    /// Whether `canonical` is in the /proc directory of the master or of one of its threads
    /// (each thread id has a /proc entry of its own, not listed but reachable): never, whatever
    /// the policy, since those give the JVM's memory, environment and descriptors.
    private boolean ownProc(String canonical) {
        if (!canonical.startsWith("/proc/")) {
            return false;
        }
        if (Paths.isUnder(canonical, selfProc)) {
            return true;
        }
        int end = canonical.indexOf('/', 6);
        String id = canonical.substring(6, end < 0 ? canonical.length() : end);
        return !id.isEmpty() && id.chars().allMatch(Character::isDigit) && id.length() < 10
                && Files.exists(Path.of(selfProc, "task", id));
    }

    /// A lexical path through an allowed path's other spelling (`/lib` for `/usr/lib`) in its
    /// real form.
    private String dealias(String candidate) {
        for (Policy.Rule r : policy.allows()) {
            String alias = r.alias();
            if (alias != null && Paths.isUnder(candidate, alias)) {
                return r.path() + candidate.substring(alias.length());
            }
        }
        return candidate;
    }

    /// The program's /proc/self and /proc/thread-self (and /proc/net and /proc/mounts, links to
    /// `self/`), which the master would otherwise read as its own.
    private String procSelf(Call call, String path) {
        if (!path.startsWith("/proc/")) {
            return path;
        }
        if (Paths.isUnder(path, "/proc/self")) {
            return "/proc/" + call.pid() + path.substring("/proc/self".length());
        }
        if (Paths.isUnder(path, "/proc/thread-self")) {
            return "/proc/" + call.pid() + "/task/" + call.tid() + path.substring("/proc/thread-self".length());
        }
        for (String link : SELF_LINKS) {
            if (Paths.isUnder(path, link)) {
                return "/proc/" + call.pid() + path.substring("/proc".length());
            }
        }
        return path;
    }

    /// The kernel's symbolic links in /proc that point into `self/`.
    private static final List<String> SELF_LINKS = List.of("/proc/net", "/proc/mounts");

    /// The kernel's name for `path`: resolved with the master's view of the file system (the
    /// program's, since both share the mount namespace and root), without magic links. For a
    /// call that does not follow its last component, only the parent is resolved. Answers `-N`
    /// for errno N.
    private String canonicalize(Scratch s, String path, boolean follow, boolean mayBeMissing) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.replaceAll("/+$", "") : path;
        String name = Paths.name(trimmed);
        boolean normalName = !name.isEmpty() && !name.equals(".") && !name.equals("..");
        if (follow || !normalName) {
            int fd = resolveToFd(s, trimmed, 0, OpenFlag.R_NO_MAGICLINKS, AT_FDCWD);
            if (fd >= 0) {
                String canonical = pathOf(s, fd);
                Kernel.close(fd);
                return canonical;
            }
            if (fd != -ENOENT || !mayBeMissing || !normalName) {
                return "-" + -fd;
            }
        }
        String parent = trimmed.substring(0, trimmed.length() - name.length());
        int fd = resolveToFd(s, parent.isEmpty() ? "/" : parent, OpenFlag.O_DIRECTORY, OpenFlag.R_NO_MAGICLINKS,
                AT_FDCWD);
        if (fd < 0) {
            return "-" + -fd;
        }
        String dir = pathOf(s, fd);
        Kernel.close(fd);
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    private static int resolveToFd(Scratch s, String path, int flags, long resolve, int dirfd) {
        return openat2(s, dirfd, path, OpenFlag.O_PATH | flags, 0, resolve);
    }

    /// The path the kernel gives the master's descriptor `fd`; "-2" (ENOENT) for a file that no
    /// longer has one.
    private static String pathOf(Scratch s, int fd) {
        String p = Master.readlink(s, "/proc/self/fd/" + fd);
        if (p == null || !p.startsWith("/") || p.endsWith(" (deleted)")) {
            return "-" + ENOENT;
        }
        return p;
    }

    private static String lexicallyNormal(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty()) {
                    out.removeLast();
                }
            } else {
                out.add(part);
            }
        }
        return Paths.of(out);
    }

    /// Marks this thread as a serving thread, once it has a working directory and umask of its
    /// own with umask 0.
    static void servingThread() {
        SERVING.set(true);
    }

    /// Runs `op`, a native call that creates a file and takes no mode for it (bind(2) of a unix
    /// socket, which the kernel creates with 0777 less the umask), with the umask of the program
    /// whose call this serving thread performs, then 0 again. On any other thread (a raw
    /// [Master] loop's, whose umask is the whole JVM's) `op` runs with the thread's umask.
    static int withProgramUmask(IntSupplier op) {
        if (!SERVING.get()) {
            return op.getAsInt();
        }
        int previous = Kernel.umask(umask());
        try {
            return op.getAsInt();
        } finally {
            Kernel.umask(previous);
        }
    }

    /// The umask of the process whose call this thread performs (0777 when unknown: nothing
    /// is created with more than the program allows).
    private static int umask() {
        ProgramCredentials caller = CALLER.get();
        return caller == null ? 0777 : caller.umask;
    }

    // ---- answering and audit ----

    private void finish(Scratch s, Call call, Place place, long result, int errno) {
        finish(s, call, place.canonical == null ? List.of() : List.of(place.canonical),
                place.decision, result, errno);
    }

    private void finish(Scratch s, Call call, List<String> resolved, Decision decision, long result, int errno) {
        if (!call.markAnswered()) {
            return;
        }
        master.reply(s, call.id, result, errno);
        record(call, resolved, decision, result, errno);
    }

    private void record(Call call, Place place, long result, int errno) {
        record(call, place.canonical == null ? List.of() : List.of(place.canonical), place.decision, result, errno);
    }

    private void record(Call call, List<String> resolved, Decision decision, long result, int errno) {
        if (audit == null) {
            return;
        }
        List<String> shown = resolved.stream().map(Paths::display).toList();
        Map<String, Object> args = arguments(call.arguments());
        if (call.netOp != null) {
            Map<String, Object> withFd = new LinkedHashMap<>();
            withFd.put("fd", call.socketFd);
            withFd.putAll(args);
            args = withFd;
        }
        audit.record(new AuditEvent(Instant.now(), call.pid(), call.tid(), call.syscall(), call.function().seedName(),
                args, shown, decision, result, errno));
    }

    static Map<String, Object> arguments(Arguments args) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (args) {
            case Arguments.Open(String path, var flags, var mode) -> {
                m.put("path", path);
                m.put("flags", flags.stream().sorted().map(OpenFlag::seedName).toList());
                mode.ifPresent(v -> m.put("mode", v));
            }
            case Arguments.Path(String path) -> m.put("path", path);
            case Arguments.Rename(String path1, String path2, boolean noReplace, boolean exchange) -> {
                m.put("path1", path1);
                m.put("path2", path2);
            }
            case Arguments.Access(String path, var amode) -> {
                m.put("path", path);
                m.put("amode", amode.isEmpty() ? "f" : amode.stream().sorted().map(AccessMode::seedName).toList());
            }
            case Arguments.Unix(String path) -> m.put("path", path);
            case Arguments.Inet(InetAddress address, int port) -> {
                m.put(address instanceof Inet6Address ? "ipv6_addr" : "ipv4_addr", address);
                m.put("port", port);
            }
            case Arguments.GetAddrInfo(String node, String service, String protocol) -> {
                m.put("node", node);
                m.put("service", service);
                m.put("protocol", protocol);
            }
            case Arguments.Chmod(String path, int mode) -> {
                m.put("path", path);
                m.put("mode", mode);
            }
            case Arguments.Utimes(String path, var access, var modification) -> {
                m.put("path", path);
                m.put("atime", access.toString());
                m.put("mtime", modification.toString());
            }
            case Arguments.Mkdir(String path, int mode) -> {
                m.put("path", path);
                m.put("mode", mode);
            }
            case Arguments.Symlink(String target, String path) -> {
                m.put("target", target);
                m.put("path", path);
            }
            case Arguments.Link(String path1, String path2, boolean follow) -> {
                m.put("path1", path1);
                m.put("path2", path2);
            }
            case Arguments.Truncate(String path, long length) -> {
                m.put("path", path);
                m.put("length", length);
            }
            case Arguments.Mknod(String path, int mode, long device) -> {
                m.put("path", path);
                m.put("mode", mode);
            }
            case Arguments.Socket(int domain, int type, int protocol, SocketKind kind) -> {
                m.put("domain", domain);
                m.put("type", type);
                m.put("protocol", protocol);
                m.put("kind", kind == null ? "other" : kind.optionName());
            }
        }
        return m;
    }
}
