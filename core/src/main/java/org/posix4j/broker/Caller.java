package org.posix4j.broker;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.posix4j.internal.FcntlH;

/// The thread that made one call, held by handles rather than by its number: its credentials and
/// thread group read from its `/proc/TID/status` or its pidfd (descriptors kept across calls, see
/// [StatusFiles]), and when needed its `/proc/TID/mem`, a pidfd of the thread (PIDFD_THREAD) and
/// its `/proc/TID` directory, each opened or read while the call's notification was still waiting
/// and proven by a notification check made after it. While a notification waits, its thread is
/// stuck in the kernel and its id cannot be reused (a thread that leaves the wait, killed,
/// invalidates the notification first), so what was opened or read by number then and checked
/// afterwards was the caller's; after that, only the handles are used: a process that died and
/// whose id was reused is never read, written, signalled or asked for a descriptor through them
/// (reads and writes through the old `mem` fail once its memory is gone; a pidfd of a dead thread
/// finds no task). The one read by number, [#peek], is for the arguments a call is decoded from,
/// which a notification check follows before anything is done with them.
///
/// Owned by the thread answering the call; [#close()] when the call is answered.
final class Caller implements AutoCloseable {
    private static final int O_RDWR = 2;
    private static final int O_PATH = 010000000;
    private static final int O_DIRECTORY = FcntlH.O_DIRECTORY;
    private static final int O_CLOEXEC = 02000000;
    private static final int PIDFD_THREAD = 0200;
    private static final int ENOENT = 2;
    private static final int EFAULT = 14;
    private static final int ENOBUFS = 105;
    private static final int ESRCH = 3;

    final int tid;
    final int pid;
    private final Master master;
    private final long id;
    /// The calling thread's entry in the master's [StatusFiles], held until this closes, with
    /// its credentials when it made the call: a thread's credentials change only by its own
    /// doing, which it cannot do while its call waits.
    private final StatusFiles.Lease lease;
    private int thread = -1;
    private int mem = -1;
    /// Whether [#mem] is the entry's kept descriptor, which the entry closes.
    private boolean memKept;
    /// Whether the last [#memFd()] opened `mem` and proved it with a check of its own.
    private boolean memJustProven;
    private boolean closed;
    private int proc = -1;
    private volatile boolean handedOff;
    /// Bytes of this call's copies counted in [#HELD]; guarded by this.
    private long held;
    private boolean overBudget;

    /// The most bytes of programs' memory the master holds copies of at once, across every call
    /// of every sandbox in this JVM (each call may take up to [Sockets#MAX_DATA]): past it, a
    /// call that needs a copy fails with ENOBUFS, as a send does when the kernel has no buffer,
    /// until other calls are answered.
    static final long BUDGET = 64L << 20;
    private static final AtomicLong HELD = new AtomicLong();
    /// The most copies of programs' descriptors (the SCM_RIGHTS of their sends) the master holds
    /// at once, across every call of every sandbox in this JVM: past it, a send that passes
    /// descriptors fails with ETOOMANYREFS, the kernel's errno for too many descriptors in
    /// flight. Each call holds its copies until it is answered, and a send can wait for a peer
    /// without end (found by an audit, 2026-12-07: 78 waiting sends of 253 descriptors each
    /// took 19,918 of the JVM's 20,000).
    static final int DESCRIPTOR_BUDGET = 4096;
    private static final AtomicLong HELD_DESCRIPTORS = new AtomicLong();
    /// The descriptors this call holds in [#HELD_DESCRIPTORS]; guarded by this.
    private int heldDescriptors;

    private Caller(Master master, long id, int tid, StatusFiles.Lease lease) {
        this.master = master;
        this.id = id;
        this.tid = tid;
        this.pid = lease.credentials.tgid;
        this.lease = lease;
    }

    /// The handles of thread `tid`, which made notification `id`, or `null` when the call is
    /// gone (or its credentials could not be read: the call is then refused). The thread's
    /// credentials are read here ([StatusFiles#credentials], without the status file when the
    /// call `createsNothing`): they give the thread group and the credentials of every call,
    /// proven by the notification check that follows, made here unless `checkedLater`. A caller
    /// passes `checkedLater` only for a call whose decoding does nothing with the thread before
    /// its own check but read its memory by number and open handles that are proven themselves
    /// (the path calls: their arguments are read, then checked): one check then proves both, a
    /// syscall less on every such call.
    static Caller open(Master master, Scratch s, long id, int tid, boolean createsNothing, boolean checkedLater) {
        StatusFiles.Lease lease = master.statusFiles.credentials(s, tid, createsNothing);
        if (lease == null) {
            return null;
        }
        if (lease.credentials.tgid <= 0 || !checkedLater && !master.stillWaiting(s, id)) {
            lease.close();
            return null;
        }
        return new Caller(master, id, tid, lease);
    }

    /// The thread group of `tid` from /proc/TID/status, 0 if it cannot be read.
    static int tgidOf(int tid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(tid), "status"), ISO_8859_1)) {
                if (line.startsWith("Tgid:")) {
                    return Integer.parseInt(line.substring(5).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /// Reads `length` bytes of the caller's memory at `remote` into `local` through its `mem`;
    /// answers the count read (short or -errno when the memory is unmapped or the process is
    /// gone).
    synchronized long read(MemorySegment local, long remote, long length) {
        int m = memFd();
        return m < 0 ? m : Kernel.pread(m, local, length, remote);
    }

    /// Reads `length` bytes of the memory of thread number [#tid] at `remote` into `local`
    /// (process_vm_readv(2): one syscall, where [#read] opens `mem` first); answers the count
    /// read. By number: what is read is the caller's only if its call is still waiting after
    /// the read, so the caller of this checks the notification before it uses any of it.
    long peek(Scratch s, MemorySegment local, long remote, long length) {
        return Kernel.processVmRead(tid, s.localIov, s.remoteIov, local, remote, length);
    }

    /// Writes `length` bytes of `local` into the caller's memory at `remote`, when the call is
    /// still waiting (checked right before the write); answers the count written or -errno
    /// (-ENOENT: the call is gone and nothing was written).
    synchronized long write(Scratch s, MemorySegment local, long remote, long length) {
        // A `mem` opened now was proven by a check made right before this write: one suffices.
        int m = memFd();
        if (m < 0 || !memJustProven && !master.stillWaiting(s, id)) {
            return -ENOENT;
        }
        return Kernel.pwrite(m, local, length, remote);
    }

    /// The caller's `/proc/TID/mem`: the one its thread's entry keeps (see [StatusFiles]), or
    /// opened on first use (a call that only reads its arguments needs none), proven to be the
    /// caller's by a notification check after the open and offered to the entry; -ESRCH when
    /// the call is gone.
    private synchronized int memFd() {
        memJustProven = false;
        if (mem < 0 && !closed) {
            mem = lease.keptMemory();
            memKept = mem >= 0;
            if (!memKept) {
                Scratch s = Scratch.get();
                long stamp = master.statusFiles.memoryStamp();
                s.path2.setString(0, "/proc/" + tid + "/mem", ISO_8859_1);
                mem = proven(s, Kernel.open(s.path2, O_RDWR | O_CLOEXEC));
                memJustProven = mem >= 0;
                memKept = mem >= 0 && lease.keep(mem, stamp);
            }
        }
        return mem < 0 ? -ESRCH : mem;
    }

    /// `fd`, just opened by the thread's number, if the call still waits (the number was the
    /// caller's when it was opened); else -ESRCH, with `fd` closed.
    private int proven(Scratch s, int fd) {
        if (fd < 0) {
            return -ESRCH;
        }
        if (!master.stillWaiting(s, id)) {
            Kernel.close(fd);
            return -ESRCH;
        }
        return fd;
    }

    /// The master's copy of the caller's descriptor `fd` (pidfd_getfd(2) through the thread's
    /// pidfd: the calling thread's own descriptor table), or -errno.
    int copyFd(int fd) {
        int t = threadFd();
        return t < 0 ? t : Kernel.pidfdGetfd(t, fd);
    }

    /// Sends `signal` to the calling thread through its pidfd (never to a thread that reused its
    /// number), as the kernel sends a thread the signal its own call raised; -errno on failure.
    int signalThread(int signal) {
        int t = threadFd();
        return t < 0 ? t : Kernel.pidfdSendSignal(t, signal, MemorySegment.NULL, 0);
    }

    /// The calling thread's pidfd, opened on first use (few calls need one) and proven to be
    /// the caller's by a notification check after the open; -ESRCH when the call is gone.
    private synchronized int threadFd() {
        if (thread < 0 && !closed) {
            thread = proven(Scratch.get(), Kernel.pidfdOpen(tid, PIDFD_THREAD));
        }
        return thread < 0 ? -ESRCH : thread;
    }

    /// The caller's `/proc/TID` directory, opened on first use and proven to be the caller's
    /// by a notification check after the open; -ESRCH when the call is gone.
    synchronized int procDir(Scratch s) {
        if (proc < 0 && !closed) {
            s.path2.setString(0, "/proc/" + tid, ISO_8859_1);
            proc = proven(s, Kernel.open(s.path2, O_PATH | O_DIRECTORY | O_CLOEXEC));
        }
        return proc < 0 ? -ESRCH : proc;
    }

    /// The caller's credentials, as they were when it made the call (read and proven when its
    /// handles were opened, see [#open]).
    ProgramCredentials credentials() {
        return lease.credentials;
    }

    /// The errno a signal pending for the calling thread makes its call answer (see
    /// [Interrupts]), read from its `/proc/TID/status` through the descriptor its entry keeps:
    /// ERESTARTSYS for one the thread will take itself (pending for the thread, or for its
    /// process when that has this one thread); EINTR for one pending for its process of several
    /// threads when the caller is the main thread, to which the kernel offers a process's signal
    /// first; 0 for none (blocked and ignored ones do not count), when the call is gone or the
    /// file cannot be read.
    synchronized int interruption() {
        String status = closed ? null : lease.status();
        if (status == null) {
            return 0;
        }
        long thread = 0;
        long shared = 0;
        long blocked = 0;
        long ignored = 0;
        int threads = 0;
        for (String line : status.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String value = line.substring(colon + 1).strip();
            switch (line.substring(0, colon)) {
                case "Threads" -> threads = Integer.parseInt(value);
                case "SigPnd" -> thread = Long.parseUnsignedLong(value, 16);
                case "ShdPnd" -> shared = Long.parseUnsignedLong(value, 16);
                case "SigBlk" -> blocked = Long.parseUnsignedLong(value, 16);
                case "SigIgn" -> ignored = Long.parseUnsignedLong(value, 16);
                default -> { }
            }
        }
        long unblocked = ~blocked & ~ignored;
        if (((thread | (threads == 1 ? shared : 0)) & unblocked) != 0) {
            return Interrupts.ERESTARTSYS;
        }
        return (shared & unblocked) != 0 && tid == pid ? Interrupts.EINTR : 0;
    }

    /// Whether the call is answered and these handles closed.
    synchronized boolean isClosed() {
        return closed;
    }

    /// Answers the call with `errno` (see [Interrupts]); nothing when it is answered already.
    void interrupt(int errno) {
        master.reply(Scratch.get(), id, 0, errno);
    }

    /// Marks the call as answered by another thread (a send that blocks), which then owns
    /// these handles.
    void handOff() {
        handedOff = true;
    }

    boolean isHandedOff() {
        return handedOff;
    }

    /// Reserves `bytes` of [#BUDGET] for a copy of the caller's memory this call holds until its
    /// handles close; false, and [#copyError()] says ENOBUFS from then on, when the budget is
    /// spent.
    synchronized boolean reserve(long bytes) {
        if (!take(HELD, bytes, BUDGET)) {
            overBudget = true;
            return false;
        }
        held += bytes;
        return true;
    }

    /// Adds `amount` to `total` unless that would pass `budget`; whether it did.
    private static boolean take(AtomicLong total, long amount, long budget) {
        for (;;) {
            long h = total.get();
            if (h + amount > budget) {
                return false;
            }
            if (total.compareAndSet(h, h + amount)) {
                return true;
            }
        }
    }

    /// Reserves `count` of [#DESCRIPTOR_BUDGET] for copies of the caller's descriptors this call
    /// holds until its handles close; false, reserving none, when the budget is spent.
    synchronized boolean reserveDescriptors(int count) {
        if (!take(HELD_DESCRIPTORS, count, DESCRIPTOR_BUDGET)) {
            return false;
        }
        heldDescriptors += count;
        return true;
    }

    /// The errno of a copy of the caller's memory that failed: ENOBUFS when the master's budget
    /// was spent, else EFAULT (the memory could not be read).
    synchronized int copyError() {
        return overBudget ? ENOBUFS : EFAULT;
    }

    @Override
    public synchronized void close() {
        closed = true;
        Interrupts.forget(this);
        HELD.addAndGet(-held);
        held = 0;
        HELD_DESCRIPTORS.addAndGet(-heldDescriptors);
        heldDescriptors = 0;
        if (mem >= 0 && !memKept) {
            Kernel.close(mem);
        }
        mem = -1;
        lease.close();
        if (thread >= 0) {
            Kernel.close(thread);
            thread = -1;
        }
        if (proc >= 0) {
            Kernel.close(proc);
            proc = -1;
        }
    }
}
