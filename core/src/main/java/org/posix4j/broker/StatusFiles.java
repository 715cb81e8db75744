package org.posix4j.broker;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.posix4j.internal.EpollH;

/// The `/proc/TID/status` descriptors of the threads that made calls, kept open across calls so
/// that each call costs one pread of its thread's credentials, not an open, a pread and a close.
///
/// A descriptor of `/proc/TID/status` is bound to the kernel's struct pid it was opened with,
/// not to the number: reading it renders the thread attached to that struct pid, whose number is
/// always TID, or fails (ESRCH) once that thread is gone, even when another thread has been given
/// the number since. So a read that succeeds shows the live thread numbered TID, and a
/// notification check made after the read proves it was the thread whose call waits (a waiting
/// thread keeps its number). A read that fails drops the descriptor and opens the number afresh
/// once.
///
/// A descriptor is closed when its thread ends: each is kept with a pidfd of the thread
/// (PIDFD_THREAD), watched once (EPOLLONESHOT) by an epoll descriptor ([#exits()]) that the
/// serving threads wait on with the listener, and [#reap] drops the ended ones. At most [#LIMIT] are kept in any case
/// (the least recently used goes first), and one in use by a serving thread is closed when that
/// thread gives it back, never under it.
///
/// Most calls do not read the status file at all: once a thread's was read, a call that creates
/// nothing takes the thread's ids and capabilities as they are now from its pidfd and capget(2),
/// and its supplementary groups from that first read ([ProgramCredentials#current]). Groups
/// change only through setgroups(2), which the filter sends to the master: from the first such
/// call of any program thread on ([#groupsChanging()]), every call reads its status file again.
/// That covers a thread whose groups differ from its process's leader and which then execs,
/// taking over the leader's number and struct pid (and so this entry) with its own groups.
///
/// ## Kept `mem` descriptors
///
/// Where every exec of the programs reaches the master as a notification (broker mode), an
/// entry also keeps the thread's `/proc/TID/mem` once a call has opened and proven it ([#keep]),
/// so that a stat answered later is one check and one write, not an open, a check, a write and
/// a close. Such a descriptor is bound to the memory the thread had when it was opened, and a
/// thread's memory changes only by an exec: its own, or another thread's of its process, which
/// takes over the leader's number and struct pid (and so the leader's entry). So every exec
/// notification ([#execStarting]) retires every kept descriptor before the exec is let through,
/// and until the exec is over no descriptor is kept: it is over when its thread makes another
/// call (the exec failed, or succeeded in the leader, whose number it keeps), or when that
/// thread's pidfd says it ended (killed, or the exec succeeded in another thread: the number
/// went to the old leader, which ended; the process's one thread left is still inside the exec
/// then, so nothing of the process reaches the master until its new memory is in place). A
/// descriptor opened while an exec was under way, or before one began, is never kept ([#keep]
/// compares the exec count of before its open).
///
/// Thread-safe: every serving thread of a [Master] shares one.
final class StatusFiles implements AutoCloseable {
    /// Threads whose descriptors are kept at once.
    static final int LIMIT = 64;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;
    private static final int PIDFD_THREAD = 0200;
    private static final int EVENTS = 16;
    /// The most execs under way at once that still let descriptors be kept: past it (execs
    /// whose end was never seen), none is kept any more.
    private static final int EXECS = 1024;

    /// One thread's open status file, the pidfd that tells its end, and the serving threads
    /// reading it.
    private static final class Entry {
        final int tid;
        final int fd;
        final int pidfd;
        private int users;
        private boolean dropped;
        /// The credentials of the last full read of [#fd], whose groups later calls reuse.
        private volatile ProgramCredentials known;
        /// The thread's kept `mem`, -1 for none; guarded by the StatusFiles.
        private int mem = -1;
        /// Kept `mem` descriptors an exec retired while a call used them: closed once no call
        /// holds the entry. Guarded by the StatusFiles.
        private int[] retired = new int[0];

        private Entry(int tid, int fd, int pidfd) {
            this.tid = tid;
            this.fd = fd;
            this.pidfd = pidfd;
        }
    }

    private final Map<Integer, Entry> open = new LinkedHashMap<>(16, 0.75f, true);
    private final int exits;
    private final MemorySegment events;
    private boolean closed;
    /// Whether a program thread has called setgroups: no call reuses groups read before.
    private volatile boolean groupsMayHaveChanged;
    /// Whether `mem` descriptors are kept (see the class comment); guarded by this.
    private boolean keepsMemory;
    /// The exec notifications seen; guarded by this.
    private long execs;
    /// The threads whose exec is under way; guarded by this.
    private final Set<Integer> execing = new HashSet<>();
    /// Whether [#execing] may hold a thread: read without the lock on every call.
    private volatile boolean anyExecing;

    /// A thread's entry, held for one call, and the credentials read through it for the call;
    /// [#close()] gives the entry back.
    final class Lease implements AutoCloseable {
        final ProgramCredentials credentials;
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry, ProgramCredentials credentials) {
            this.entry = entry;
            this.credentials = credentials;
        }

        /// The thread's status file as it reads now (its pending signals, say), `null` when its
        /// thread is gone: through the entry's descriptor, open while this lease is held.
        String status() {
            return ProgramCredentials.statusText(entry.fd);
        }

        /// The thread's kept `mem`, or -1 when none is kept since the last exec; stays open
        /// while this lease is held.
        int keptMemory() {
            synchronized (StatusFiles.this) {
                return closed ? -1 : entry.mem;
            }
        }

        /// Keeps `fd`, the thread's `mem` opened and proven by this lease's call after
        /// [#memoryStamp()] answered `stamp`, for later calls: true when it is kept (it is then
        /// the entry's to close); false when `stamp` is -1, an exec has been seen since, the
        /// entry has one already, is dropped, or still holds one an exec retired (a call of the
        /// thread that waits long, a FIFO's open, holds the entry: each exec would otherwise
        /// leave one more open until it ends). The caller then closes `fd`.
        boolean keep(int fd, long stamp) {
            synchronized (StatusFiles.this) {
                if (closed || stamp < 0 || stamp != execs || !keepsMemory || !execing.isEmpty() || entry.dropped
                        || entry.mem >= 0 || entry.retired.length > 0) {
                    return false;
                }
                entry.mem = fd;
                return true;
            }
        }

        @Override
        public void close() {
            synchronized (StatusFiles.this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(entry, false);
        }
    }

    StatusFiles() {
        exits = Kernel.epollCreate();
        events = Arena.ofAuto().allocate(EpollH.EPOLL_EVENT, EVENTS);
    }

    /// Keeps `mem` descriptors from now on: only for a master to which every exec of its
    /// programs is a notification ([#execStarting] is called for each).
    synchronized void keepMemory() {
        keepsMemory = true;
    }

    /// What [Lease#keep] compares to before it keeps a `mem` opened after this: -1 when none
    /// may be kept (an exec is under way, or none is kept at all).
    synchronized long memoryStamp() {
        return keepsMemory && execing.isEmpty() ? execs : -1;
    }

    /// Notes that thread `tid` is calling execve or execveat, before the call is decided: every
    /// kept `mem` is retired, and none is kept until the exec is over (see the class comment).
    synchronized void execStarting(int tid) {
        if (!keepsMemory) {
            return;
        }
        execs++;
        execing.add(tid);
        anyExecing = true;
        if (execing.size() > EXECS) {
            keepsMemory = false;
        }
        for (Entry e : open.values()) {
            retireMemory(e);
        }
    }

    /// Notes a notification of thread `tid`: an exec of its is over.
    void heardFrom(int tid) {
        if (anyExecing) {
            execOver(tid);
        }
    }

    private synchronized void execOver(int tid) {
        if (execing.remove(tid) && execing.isEmpty()) {
            anyExecing = false;
        }
    }

    private static void retireMemory(Entry e) {
        if (e.mem < 0) {
            return;
        }
        if (e.users == 0) {
            Kernel.close(e.mem);
        } else {
            e.retired = Arrays.copyOf(e.retired, e.retired.length + 1);
            e.retired[e.retired.length - 1] = e.mem;
        }
        e.mem = -1;
    }

    /// The epoll descriptor that is readable when a thread with a kept descriptor has ended
    /// (then call [#reap]); negative when the kernel gave none (descriptors are then dropped
    /// only by the limit).
    int exits() {
        return exits;
    }

    /// The credentials of thread `tid` read from its status file: through the kept descriptor,
    /// or when that fails (its thread is gone) through one opened afresh; `null` when the thread
    /// numbered `tid` cannot be read. With `createsNothing` (the call cannot create a file, so
    /// the umask does not matter), without the status file when the thread's was read before
    /// and no program thread has called setgroups since. Unproven: the caller checks its
    /// notification afterwards. The entry stays held by the lease until it is closed.
    Lease credentials(Scratch s, int tid, boolean createsNothing) {
        for (int attempt = 0; attempt < 2; attempt++) {
            Entry e = acquire(s, tid);
            if (e == null) {
                return null;
            }
            ProgramCredentials c = null;
            try {
                ProgramCredentials known = e.known;
                if (createsNothing && known != null && e.pidfd >= 0 && !groupsMayHaveChanged) {
                    c = ProgramCredentials.current(known, e.pidfd, tid);
                }
                if (c == null) {
                    c = ProgramCredentials.read(e.fd);
                    e.known = c;
                }
            } finally {
                if (c == null) {
                    release(e, true);
                }
            }
            if (c != null) {
                return new Lease(e, c);
            }
        }
        return null;
    }

    /// Notes that a program thread is calling setgroups(2), before the call is let through: no
    /// later call takes groups read before this one.
    void groupsChanging() {
        groupsMayHaveChanged = true;
    }

    /// Drops the descriptors of the threads that have ended, as [#exits()] reports them. An
    /// event names its entry by tid and pidfd: an entry dropped while in use keeps its pidfd
    /// registered until given back, when its thread may already have a newer entry.
    synchronized void reap() {
        if (closed || exits < 0) {
            return;
        }
        int n;
        while ((n = Kernel.epollReady(exits, events, EVENTS)) > 0) {
            for (int i = 0; i < n; i++) {
                long data = (long) EpollH.DATA.get(events, 0L, (long) i);
                Entry e = open.get((int) data);
                if (e != null && e.pidfd == (int) (data >>> 32)) {
                    open.remove(e.tid);
                    drop(e);
                    execOver(e.tid);
                }
            }
        }
    }

    /// The status file of thread `tid`, opened by number (with a pidfd of the same number)
    /// when none is kept; `null` when it cannot be opened (the thread is gone) or this is
    /// closed. Give it back with [#release]. Should the thread have ended between the two
    /// opens and its number gone to another, the pidfd may be the other's: it only decides when
    /// the descriptor is dropped, while what is read is checked on every read.
    private synchronized Entry acquire(Scratch s, int tid) {
        if (closed) {
            return null;
        }
        Entry e = open.get(tid);
        if (e == null) {
            s.path2.setString(0, "/proc/" + tid + "/status", ISO_8859_1);
            int fd = Kernel.open(s.path2, O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                return null;
            }
            int pidfd = exits < 0 ? -1 : Kernel.pidfdOpen(tid, PIDFD_THREAD);
            if (pidfd >= 0 && Kernel.epollAddOnce(exits, pidfd, (long) pidfd << 32 | tid, s.epollEvent) < 0) {
                Kernel.close(pidfd);
                pidfd = -1;
            }
            e = new Entry(tid, fd, pidfd);
            open.put(tid, e);
            trim();
        }
        e.users++;
        return e;
    }

    /// Gives back an entry of [#acquire]; `stale` drops it (its read failed: the thread it
    /// was opened for is gone).
    private synchronized void release(Entry e, boolean stale) {
        e.users--;
        if (e.users == 0) {
            for (int fd : e.retired) {
                Kernel.close(fd);
            }
            e.retired = new int[0];
        }
        if (stale && open.get(e.tid) == e) {
            open.remove(e.tid);
            drop(e);
        } else {
            closeIfDone(e);
        }
    }

    private void trim() {
        Iterator<Entry> it = open.values().iterator();
        while (open.size() > LIMIT && it.hasNext()) {
            Entry e = it.next();
            it.remove();
            drop(e);
        }
    }

    private static void drop(Entry e) {
        e.dropped = true;
        closeIfDone(e);
    }

    /// Closes an entry's descriptors once it is dropped and given back (closing the pidfd takes
    /// it out of the epoll set).
    private static void closeIfDone(Entry e) {
        if (e.dropped && e.users == 0) {
            Kernel.close(e.fd);
            if (e.pidfd >= 0) {
                Kernel.close(e.pidfd);
            }
            if (e.mem >= 0) {
                Kernel.close(e.mem);
                e.mem = -1;
            }
        }
    }

    /// Closes every descriptor and the epoll descriptor; those in use close when given back.
    /// The caller makes sure no thread waits on [#exits()] any more.
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Entry e : open.values()) {
            drop(e);
        }
        open.clear();
        if (exits >= 0) {
            Kernel.close(exits);
        }
    }
}
