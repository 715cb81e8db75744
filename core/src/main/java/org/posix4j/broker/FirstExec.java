package org.posix4j.broker;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.posix4j.PosixException;
import org.posix4j.event.EventFd;
import org.posix4j.internal.BrokerSyscalls;
import org.posix4j.internal.PollH;
import org.posix4j.internal.SeccompH;
import org.posix4j.internal.Syscalls;

/// Answers the calls the spawned child makes before its program runs. posix_spawn(3) returns
/// only once the child has executed the program (or failed), and the child's execve (and a
/// chdir of the spawn's file actions) are brokered, so they must be answered while the thread
/// that spawns still waits, before any master serves: the program and directory the caller
/// of [Sandbox#start] chose are continued as asked (each attempt of posix_spawnp's search of
/// PATH); anything else is refused (EACCES). The child is told from the program it becomes by
/// its name (`/proc/TID/comm`): before its exec it is the spawning thread's copy, named
/// [#SPAWNING]; once a continued exec has succeeded, the pending notification belongs to the
/// program and is left for the master. The thread ends then, or when [#finish()] is called.
///
/// Started before the filter is installed (a thread started by the filtered thread would carry
/// the filter itself), it waits for the listener descriptor from [#listen(int)].
final class FirstExec {
    private static final int EACCES = 13;
    private static final int EINTR = 4;
    private static final int USER_NOTIF_FLAG_CONTINUE = 1;
    /// The name the spawning thread's child has until its exec succeeds (the thread's name cut
    /// to the kernel's 15 characters).
    static final String SPAWNING = "posix4j-sandbox";

    private final CountDownLatch ready = new CountDownLatch(1);
    private final EventFd stop;
    private final Thread thread;
    private volatile int listener = -1;

    FirstExec() throws PosixException {
        stop = EventFd.open(0, EventFd.NON_BLOCKING);
        thread = Thread.ofPlatform().daemon().name("posix4j-sandbox-first-exec").start(this::run);
    }

    /// Hands over the listener: called by the filtered thread, which runs nothing but native
    /// calls and this (no class is loaded here).
    void listen(int fd) {
        listener = fd;
        ready.countDown();
    }

    /// Stops the thread if it still waits (the spawn failed before its exec) and waits for it.
    void finish() throws PosixException {
        stop.signal();
        ready.countDown();
        boolean interrupted = false;
        for (;;) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        stop.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /// Whether process `pid` is still the spawning thread's copy (its exec has not succeeded).
    private static boolean spawning(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "comm"), ISO_8859_1).strip()
                    .equals(SPAWNING);
        } catch (IOException e) {
            return false;
        }
    }

    private void run() {
        try {
            ready.await();
        } catch (InterruptedException e) {
            return;
        }
        int fd = listener;
        if (fd < 0) {
            return;
        }
        Scratch s = Scratch.get();
        String arch = Syscalls.CURRENT.arch();
        int child = -1;
        for (;;) {
            s.pollfds.set(JAVA_INT, 0, fd);
            s.pollfds.set(JAVA_SHORT, 4, (short) PollH.POLLIN);
            s.pollfds.set(JAVA_SHORT, 6, (short) 0);
            s.pollfds.set(JAVA_INT, 8, stop.intValue());
            s.pollfds.set(JAVA_SHORT, 12, (short) PollH.POLLIN);
            s.pollfds.set(JAVA_SHORT, 14, (short) 0);
            int p = Kernel.poll(s.pollfds, 2, -1);
            if (p == -EINTR) {
                continue;
            }
            if (p < 0 || s.pollfds.get(JAVA_SHORT, 14) != 0 || (s.pollfds.get(JAVA_SHORT, 6) & PollH.POLLIN) == 0) {
                return;
            }
            if (child > 0 && !spawning(child)) {
                return;
            }
            s.notif.fill((byte) 0);
            if (Kernel.recv(fd, s.notif) < 0) {
                continue;
            }
            String name = BrokerSyscalls.nameOf(arch, s.notif.get(JAVA_INT, SeccompH.NOTIF_NR));
            boolean exec = "execve".equals(name) || "execveat".equals(name);
            s.resp.set(JAVA_LONG, 0, s.notif.get(JAVA_LONG, 0));
            s.resp.set(JAVA_LONG, 8, 0);
            s.resp.set(JAVA_INT, 16, exec || "chdir".equals(name) ? 0 : -EACCES);
            s.resp.set(JAVA_INT, 20, exec || "chdir".equals(name) ? USER_NOTIF_FLAG_CONTINUE : 0);
            Kernel.ioctl(fd, SeccompH.IOCTL_NOTIF_SEND, s.resp);
            if (exec) {
                child = s.notif.get(JAVA_INT, 8);
            }
        }
    }
}
