package org.posix4j.broker;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.posix4j.internal.PrctlH;
import org.posix4j.internal.SysStatH;

/// The signals a sandboxed program sends (kill, tkill, tgkill, rt_sigqueueinfo,
/// rt_tgsigqueueinfo, pidfd_send_signal) and the owners it gives its descriptors for SIGIO
/// (fcntl F_SETOWN, F_SETOWN_EX): allowed only toward processes of the sandbox, that is
/// descendants of its root process, and delivered by the master through a pidfd of the proven
/// target, never by number.
///
/// A target is proven step by step: a pidfd of the process is opened by its number, its parent
/// is read from `/proc/PID/stat`, and the read is trusted only if the pidfd's process is still
/// there afterwards (a number names one process at a time, zombies included); the parent's own
/// pidfd is trusted only if the child still names the same parent after it was opened (a child
/// whose parent died is given another). The walk ends at the root, recognised by the identity
/// (pidfs inode) of the pidfd the master holds for it, not by its number.
final class Signals {
    private static final int EPERM = 1;
    private static final int ESRCH = 3;
    private static final int EBADF = 9;
    private static final int EFAULT = 14;
    private static final int EINVAL = 22;
    private static final int PIDFD_THREAD = 0200;
    private static final int PIDFD_SIGNAL_THREAD = 1;
    private static final int PIDFD_SIGNAL_THREAD_GROUP = 2;
    private static final int SI_TKILL = -6;
    private static final int SIGINFO = 128;
    private static final int F_OWNER_TID = 0;
    private static final int F_OWNER_PID = 1;
    private static final int F_OWNER_PGRP = 2;
    private static final int STX_INO = 32;
    private static final int MAX_DEPTH = 1024;

    private final Master master;
    private final int rootPidfd;
    private final long rootInode;

    /// Signals for the sandbox whose root process is `rootPidfd` (a pidfd the caller keeps open).
    Signals(Master master, Scratch s, int rootPidfd) {
        this.master = master;
        this.rootPidfd = rootPidfd;
        this.rootInode = inode(s, rootPidfd);
    }

    /// Decides and performs the signal syscall `syscall` with arguments `a`; answers the call
    /// and audits it.
    void signal(Scratch s, long id, Caller c, String syscall, long[] a) {
        Map<String, Object> args = new LinkedHashMap<>();
        int errno;
        ProgramCredentials.actAs(c.credentials());
        try {
            errno = switch (syscall) {
                case "kill" -> kill(s, c, (int) a[0], (int) a[1], args);
                case "tkill" -> thread(s, c, -1, (int) a[0], (int) a[1], 0, args);
                case "tgkill" -> thread(s, c, (int) a[0], (int) a[1], (int) a[2], 0, args);
                case "rt_sigqueueinfo" -> queue(s, c, (int) a[0], (int) a[1], a[2], args);
                case "rt_tgsigqueueinfo" -> thread(s, c, (int) a[0], (int) a[1], (int) a[2], a[3], args);
                case "pidfd_send_signal" -> pidfd(s, c, (int) a[0], (int) a[1], a[2], (int) a[3], args);
                default -> throw new IllegalArgumentException(syscall);
            };
        } catch (Refused r) {
            errno = r.errno;
        } finally {
            ProgramCredentials.actAs(null);
        }
        master.reply(s, id, errno == 0 ? 0 : -1, errno);
        master.automatic(c, syscall, "kill", args, errno == EPERM ? Decision.DENY : Decision.ALLOW,
                errno == 0 ? 0 : -1, errno);
    }

    /// fcntl(fd, F_SETOWN or F_SETOWN_EX, arg): the owner (who gets SIGIO/SIGURG, or the signal
    /// F_SETSIG chose) must be in the sandbox; set on the master's copy of the program's
    /// descriptor, which shares its open file description.
    void setOwner(Scratch s, long id, Caller c, int fd, int cmd, long arg) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("fd", fd);
        int errno;
        ProgramCredentials.actAs(c.credentials());
        try {
            errno = owner(s, c, fd, cmd, arg, args);
        } catch (Refused r) {
            errno = r.errno;
        } finally {
            ProgramCredentials.actAs(null);
        }
        master.reply(s, id, errno == 0 ? 0 : -1, errno);
        master.automatic(c, "fcntl", "kill", args, errno == EPERM ? Decision.DENY : Decision.ALLOW,
                errno == 0 ? 0 : -1, errno);
    }

    private int owner(Scratch s, Caller c, int fd, int cmd, long arg, Map<String, Object> args) throws Refused {
        int type;
        int pid;
        if (cmd == PrctlH.F_SETOWN) {
            int v = (int) arg;
            type = v < 0 ? F_OWNER_PGRP : F_OWNER_PID;
            pid = v < 0 ? -v : v;
        } else {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ex = arena.allocate(8, 4);
                if (c.read(ex, arg, 8) != 8) {
                    throw new Refused(EFAULT);
                }
                type = ex.get(JAVA_INT, 0);
                pid = ex.get(JAVA_INT, 4);
            }
            if (type < F_OWNER_TID || type > F_OWNER_PGRP) {
                throw new Refused(EINVAL);
            }
        }
        args.put(type == F_OWNER_PGRP ? "pgid" : type == F_OWNER_TID ? "tid" : "pid", pid);
        List<Integer> proofs = new ArrayList<>();
        try {
            if (pid != 0) {
                if (type == F_OWNER_PGRP) {
                    List<Integer> members = groupMembers(s, pid);
                    proofs.addAll(members);
                    if (members.isEmpty() || members.contains(-1)) {
                        throw new Refused(EPERM);
                    }
                } else {
                    int target = Kernel.pidfdOpen(pid, type == F_OWNER_TID ? PIDFD_THREAD : 0);
                    if (target < 0) {
                        throw new Refused(ESRCH);
                    }
                    proofs.add(target);
                    if (!inSandbox(s, target, pid)) {
                        throw new Refused(EPERM);
                    }
                }
            }
            int copy = c.copyFd(fd);
            if (copy < 0) {
                throw new Refused(-copy);
            }
            try {
                int r;
                // The kernel records the credentials of the thread setting the owner, and checks
                // them against the owner's when it sends SIGIO: the program's, not the JVM's.
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment ex = arena.allocate(8, 4);
                    ex.set(JAVA_INT, 0, type);
                    ex.set(JAVA_INT, 4, pid);
                    r = ProgramCredentials.asProgram(() -> cmd == PrctlH.F_SETOWN
                            ? Kernel.fcntl(copy, PrctlH.F_SETOWN, (int) arg)
                            : Kernel.fcntl(copy, PrctlH.F_SETOWN_EX, ex.address()));
                }
                if (r < 0) {
                    return -r;
                }
                // The owner was named by number: it was the proven process only if that
                // process is still there now.
                for (int proof : proofs) {
                    if (!alive(proof)) {
                        Kernel.fcntl(copy, PrctlH.F_SETOWN, 0);
                        return ESRCH;
                    }
                }
                return 0;
            } finally {
                Kernel.close(copy);
            }
        } finally {
            proofs.forEach(p -> {
                if (p >= 0) {
                    Kernel.close(p);
                }
            });
        }
    }

    private int kill(Scratch s, Caller c, int pid, int signal, Map<String, Object> args) throws Refused {
        args.put("pid", pid);
        args.put("signal", signal);
        checkSignal(signal);
        if (pid == -1) {
            throw new Refused(EPERM);
        }
        if (pid <= 0) {
            int group = pid == 0 ? groupOf(c.pid) : -pid;
            if (group <= 0) {
                throw new Refused(ESRCH);
            }
            return toGroup(s, group, signal);
        }
        int target = provenProcess(s, pid);
        try {
            return -send(target, signal, MemorySegment.NULL, 0);
        } finally {
            Kernel.close(target);
        }
    }

    /// pidfd_send_signal(2) with the credentials of the program's thread ([ProgramCredentials]),
    /// so that the kernel's own rule holds as for the program itself (a real or effective uid
    /// equal to the target's real or saved uid, or CAP_KILL); 0 or -errno.
    private static int send(int pidfd, int signal, MemorySegment info, int flags) {
        return ProgramCredentials.asProgram(() -> Kernel.pidfdSendSignal(pidfd, signal, info, flags));
    }

    /// A pidfd of process `pid`, proven to be in the sandbox; the caller closes it.
    ///
    /// @throws Refused ESRCH when there is no such process, EPERM when it is outside
    private int provenProcess(Scratch s, int pid) throws Refused {
        int target = Kernel.pidfdOpen(pid, 0);
        if (target < 0) {
            throw new Refused(ESRCH);
        }
        if (!inSandbox(s, target, pid)) {
            Kernel.close(target);
            throw new Refused(EPERM);
        }
        return target;
    }

    /// kill(-group): to the members of `group` that are in the sandbox; EPERM when none is (or
    /// the group has none: an outside group is not told apart from an empty one).
    private int toGroup(Scratch s, int group, int signal) throws Refused {
        List<Integer> members = groupMembers(s, group);
        int sent = 0;
        int last = 0;
        try {
            for (int fd : members) {
                if (fd >= 0) {
                    int r = send(fd, signal, MemorySegment.NULL, 0);
                    if (r == 0) {
                        sent++;
                    } else {
                        last = -r;
                    }
                }
            }
        } finally {
            members.forEach(fd -> {
                if (fd >= 0) {
                    Kernel.close(fd);
                }
            });
        }
        if (sent == 0) {
            throw new Refused(last != 0 ? last : EPERM);
        }
        return 0;
    }

    /// Pidfds of the processes in process group `group`: each opened by number and proven in
    /// the sandbox; -1 stands for a member outside it. Every returned pidfd is the caller's to
    /// close.
    private List<Integer> groupMembers(Scratch s, int group) {
        List<Integer> members = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : procs) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                int pid = Integer.parseInt(name);
                long[] stat = stat(pid);
                if (stat == null || stat[1] != group) {
                    continue;
                }
                int fd = Kernel.pidfdOpen(pid, 0);
                if (fd < 0) {
                    continue;
                }
                long[] again = stat(pid);
                if (again == null || again[1] != group || !alive(fd)) {
                    Kernel.close(fd);
                    continue;
                }
                if (inSandbox(s, fd, pid)) {
                    members.add(fd);
                } else {
                    Kernel.close(fd);
                    members.add(-1);
                }
            }
        } catch (IOException | RuntimeException e) {
            members.forEach(fd -> {
                if (fd >= 0) {
                    Kernel.close(fd);
                }
            });
            return List.of(-1);
        }
        return members;
    }

    /// tkill (`tgid` -1), tgkill and rt_tgsigqueueinfo (`info` not 0): thread `tid` of process
    /// `tgid`, delivered to that thread.
    private int thread(Scratch s, Caller c, int tgid, int tid, int signal, long info, Map<String, Object> args)
            throws Refused {
        if (tgid != -1) {
            args.put("pid", tgid);
        }
        args.put("tid", tid);
        args.put("signal", signal);
        checkSignal(signal);
        if (tid <= 0 || (tgid != -1 && tgid <= 0)) {
            throw new Refused(EINVAL);
        }
        int target = Kernel.pidfdOpen(tid, PIDFD_THREAD);
        if (target < 0) {
            throw new Refused(ESRCH);
        }
        try {
            if (tgid != -1) {
                long[] stat = stat(tid);
                if (stat == null || !Files.isDirectory(Path.of("/proc", Integer.toString(tgid), "task",
                        Integer.toString(tid))) || !alive(target)) {
                    throw new Refused(ESRCH);
                }
            }
            if (!inSandbox(s, target, tid)) {
                throw new Refused(EPERM);
            }
            return deliver(c, target, tid, signal, info, PIDFD_SIGNAL_THREAD);
        } finally {
            Kernel.close(target);
        }
    }

    private int queue(Scratch s, Caller c, int pid, int signal, long info, Map<String, Object> args)
            throws Refused {
        args.put("pid", pid);
        args.put("signal", signal);
        checkSignal(signal);
        if (pid <= 0) {
            throw new Refused(pid == 0 || pid == -1 ? EPERM : ESRCH);
        }
        int target = provenProcess(s, pid);
        try {
            return deliver(c, target, pid, signal, info, 0);
        } finally {
            Kernel.close(target);
        }
    }

    /// pidfd_send_signal(pidfd, ...) of the program: its pidfd (or /proc/PID directory) is
    /// copied, the process it refers to found and proven in the sandbox, and the signal sent
    /// through the copy, so it reaches the very process the program's descriptor names.
    private int pidfd(Scratch s, Caller c, int fd, int signal, long info, int flags, Map<String, Object> args)
            throws Refused {
        args.put("pidfd", fd);
        args.put("signal", signal);
        checkSignal(signal);
        if ((flags & ~(PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP)) != 0) {
            throw new Refused((flags & ~7) != 0 ? EINVAL : EPERM);
        }
        int copy = c.copyFd(fd);
        if (copy < 0) {
            throw new Refused(-copy);
        }
        try {
            int pid = pidOf(s, copy);
            if (pid <= 0) {
                throw new Refused(EBADF);
            }
            args.put("pid", pid);
            int target = Kernel.pidfdOpen(pid, PIDFD_THREAD);
            if (target < 0) {
                throw new Refused(ESRCH);
            }
            try {
                if (!inSandbox(s, target, pid) || !alive(copy)) {
                    throw new Refused(EPERM);
                }
            } finally {
                Kernel.close(target);
            }
            return deliver(c, copy, pid, signal, info, flags);
        } finally {
            Kernel.close(copy);
        }
    }

    /// The pid a pidfd (fdinfo's `Pid:`) or a /proc/PID directory descriptor refers to; 0 if
    /// neither.
    private static int pidOf(Scratch s, int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(fd)), ISO_8859_1)) {
                if (line.startsWith("Pid:")) {
                    return Integer.parseInt(line.substring(4).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        String link = Master.readlink(s, "/proc/self/fd/" + fd);
        if (link != null && link.matches("/proc/[0-9]{1,10}")) {
            try {
                return Integer.parseInt(link.substring(6));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /// Sends `signal` through `pidfd` (to `pid`), with the program's siginfo at `info` when not
    /// 0, under the kernel's rule for queued signals: a code that claims to come from the
    /// kernel (si_code >= 0) or from tkill only to the program itself.
    private static int deliver(Caller c, int pidfd, int pid, int signal, long info, int flags) throws Refused {
        if (info == 0) {
            return -send(pidfd, signal, MemorySegment.NULL, flags);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment si = arena.allocate(SIGINFO, 8);
            if (c.read(si, info, SIGINFO) != SIGINFO) {
                throw new Refused(EFAULT);
            }
            int code = si.get(JAVA_INT, 8);
            if ((code >= 0 || code == SI_TKILL) && pid != c.pid && pid != c.tid) {
                throw new Refused(EPERM);
            }
            si.set(JAVA_INT, 0, signal);
            return -send(pidfd, signal, si, flags);
        }
    }

    private static void checkSignal(int signal) throws Refused {
        if (signal < 0 || signal > 64) {
            throw new Refused(EINVAL);
        }
    }

    /// Whether the process (or thread) of pidfd `fd`, numbered `pid`, descends from the root.
    private boolean inSandbox(Scratch s, int fd, int pid) {
        int current = fd;
        int number = pid;
        List<Integer> opened = new ArrayList<>();
        try {
            int tgid = Caller.tgidOf(number);
            if (tgid <= 0) {
                return false;
            }
            if (tgid != number) {
                // A thread: its process is its thread group, whose leader's number stays taken
                // while the thread lives.
                int leader = Kernel.pidfdOpen(tgid, 0);
                if (leader < 0) {
                    return false;
                }
                opened.add(leader);
                if (!alive(current)) {
                    return false;
                }
                current = leader;
                number = tgid;
            }
            for (int depth = 0; depth < MAX_DEPTH; depth++) {
                if (inode(s, current) == rootInode && rootInode != 0 && alive(rootPidfd)) {
                    return true;
                }
                long[] stat = stat(number);
                if (stat == null || !alive(current)) {
                    return false;
                }
                int parent = (int) stat[0];
                if (parent <= 1) {
                    return false;
                }
                int parentFd = Kernel.pidfdOpen(parent, 0);
                if (parentFd < 0) {
                    return false;
                }
                opened.add(parentFd);
                long[] again = stat(number);
                if (again == null || again[0] != parent || !alive(current)) {
                    return false;
                }
                current = parentFd;
                number = parent;
            }
            return false;
        } finally {
            opened.forEach(Kernel::close);
        }
    }

    /// {ppid, pgrp} of `pid` from /proc/PID/stat, `null` if it cannot be read.
    private static long[] stat(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), ISO_8859_1);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
            return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int groupOf(int pid) {
        long[] stat = stat(pid);
        return stat == null ? 0 : (int) stat[1];
    }

    /// Whether the process of pidfd `fd` still exists (a zombie counts: its number is still
    /// taken).
    private static boolean alive(int fd) {
        return Kernel.pidfdSendSignal(fd, 0, MemorySegment.NULL, 0) == 0;
    }

    /// The pidfs inode of pidfd `fd`: one per process for as long as the system runs.
    private static long inode(Scratch s, int fd) {
        s.path2.set(JAVA_BYTE, 0, (byte) 0);
        if (Kernel.statxMask(fd, s.path2, SysStatH.AT_EMPTY_PATH, STX_INO, s.statx) < 0) {
            return 0;
        }
        return s.statx.get(JAVA_LONG, 32);
    }

    /// A signal that cannot be sent: answered with `errno`.
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        Refused(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }
}
