package org.posix4j.event;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.posix4j.PosixException;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SyscallH;
import org.posix4j.internal.Syscalls;
import org.posix4j.io.Fd;

/// What the event tests need from the kernel besides the code under test: thread ids and
/// thread-directed signals, pidfds, and the kernel's own view of an epoll instance.
final class Kernel {
    private Kernel() {}

    private static final MethodHandle GETTID = link("gettid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle TGKILL = link("tgkill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

    /// SIGPIPE: HotSpot installs a handler for it (and ignores it there), so sending it to a
    /// thread makes that thread's poll or epoll_wait fail with EINTR without changing the JVM.
    static final int SIGPIPE = 13;

    @SuppressWarnings("restricted")
    private static MethodHandle link(String name, FunctionDescriptor descriptor) {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    /// The calling thread's kernel id.
    static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /// Sends `signal` to thread `tid` of this process: tgkill(2).
    static void tgkill(int tid, int signal) {
        try {
            int r = (int) TGKILL.invokeExact((int) ProcessHandle.current().pid(), tid, signal);
            if (r != 0) {
                throw new AssertionError("tgkill failed");
            }
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /// A pidfd for `pid`: pidfd_open(2), owned.
    static Fd pidfdOpen(long pid) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            long r = SyscallH.SYSCALL.call(errno, Syscalls.CURRENT.pidfdOpen(), pid, 0L);
            if (r < 0) {
                throw new PosixException("pidfd_open", Libc.errno(errno), Long.toString(pid));
            }
            return Fd.adopt((int) r);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// The soft RLIMIT_NOFILE of this JVM, from /proc/self/limits.
    static long nofileSoftLimit() {
        try {
            return Long.parseLong(Files.readAllLines(Path.of("/proc/self/limits")).stream()
                    .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow().split("\\s+")[3]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /// A registration as /proc/self/fdinfo of an epoll descriptor lists it.
    record Watch(int events, long data) {}

    /// The registrations of epoll descriptor `epfd` by target descriptor, from the `tfd:` lines
    /// of /proc/self/fdinfo/EPFD (`tfd: N events: HEX data: HEX ...`).
    static Map<Integer, Watch> epollWatches(int epfd) {
        Map<Integer, Watch> watches = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + epfd))) {
                if (!line.startsWith("tfd:")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                watches.put(Integer.parseInt(f[1]),
                        new Watch(Integer.parseUnsignedInt(f[3], 16), Long.parseUnsignedLong(f[5], 16)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return watches;
    }
}
