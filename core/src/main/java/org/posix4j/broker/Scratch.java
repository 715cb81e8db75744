package org.posix4j.broker;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.posix4j.internal.EpollH;
import org.posix4j.internal.PollH;
import org.posix4j.internal.SeccompH;
import org.posix4j.internal.SysStatH;
import org.posix4j.internal.UioH;

/// One thread's native buffers for serving calls, allocated once per thread, so that serving a
/// call allocates no native memory.
final class Scratch {
    static final int PATH_MAX = 4096;
    private static final ThreadLocal<Scratch> MINE = ThreadLocal.withInitial(Scratch::new);

    final MemorySegment notif;
    final MemorySegment resp;
    final MemorySegment addfd;
    /// A kernel sigset with every signal, and room for the mask it replaces.
    final MemorySegment allSignals;
    final MemorySegment savedSignals;
    final MemorySegment id;
    final MemorySegment pollfds;
    final MemorySegment how;
    final MemorySegment statx;
    final MemorySegment stat;
    /// What is read from the program: one path at a time.
    final MemorySegment remote;
    /// [#remote]'s bytes copied into Java memory, for scanning.
    final byte[] bytes = new byte[PATH_MAX + 1];
    /// C strings the broker passes to its own calls.
    final MemorySegment path1;
    final MemorySegment path2;
    final MemorySegment link;
    /// The path of [Performer]'s search check above a policy anchor (`../..`).
    final MemorySegment anchorParent;
    /// utimensat(2)'s two struct timespec.
    final MemorySegment times;
    /// process_vm_readv(2)'s local and remote struct iovec.
    final MemorySegment localIov;
    final MemorySegment remoteIov;
    /// One struct epoll_event, for epoll_ctl(2).
    final MemorySegment epollEvent;
    /// The descriptor the last [Performer] lookup opened, for its caller to use and close.
    int lastFd = -1;

    private Scratch() {
        Arena arena = Arena.ofAuto();
        notif = arena.allocate(SeccompH.SECCOMP_NOTIF);
        resp = arena.allocate(SeccompH.SECCOMP_NOTIF_RESP);
        addfd = arena.allocate(SeccompH.SECCOMP_NOTIF_ADDFD);
        allSignals = arena.allocate(Kernel.SIGSET_SIZE, 8).fill((byte) 0xff);
        savedSignals = arena.allocate(Kernel.SIGSET_SIZE, 8);
        id = arena.allocate(8, 8);
        pollfds = arena.allocate(PollH.POLLFD, 3);
        how = arena.allocate(24, 8);
        statx = arena.allocate(SysStatH.STATX_SIZE, 8);
        stat = arena.allocate(256, 8);
        remote = arena.allocate(PATH_MAX + 1);
        path1 = arena.allocate(2 * PATH_MAX + 64);
        path2 = arena.allocate(2 * PATH_MAX + 64);
        link = arena.allocate(PATH_MAX + 1);
        anchorParent = arena.allocate(PATH_MAX + 1);
        times = arena.allocate(32, 8);
        localIov = arena.allocate(UioH.IOVEC);
        remoteIov = arena.allocate(UioH.IOVEC);
        epollEvent = arena.allocate(EpollH.EPOLL_EVENT);
    }

    static Scratch get() {
        return MINE.get();
    }
}
