package org.posix4j.system;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.MethodHandle;
import org.posix4j.Features;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.Libc;
import org.posix4j.internal.MallocH;
import org.posix4j.internal.UnistdH;
import org.posix4j.internal.UtsnameH;

/// uname, sysconf and malloc statistics.
///
/// Thread safety: all methods may be called from any thread.
public final class SystemInfo {
    private SystemInfo() {}

    /// Kernel and machine identification: uname(2). Equivalent to Prosody's `pposix.uname`.
    public static Uname uname() {
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(UtsnameH.UTSNAME);
            int r = UtsnameH.UNAME.call(errno, buf.address());
            if (r < 0) {
                throw new IllegalStateException(new PosixException("uname", Libc.errno(errno), ""));
            }
            return new Uname(field(buf, "sysname"), field(buf, "nodename"), field(buf, "release"),
                    field(buf, "version"), field(buf, "machine"), field(buf, "domainname"));
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    private static String field(MemorySegment buf, String name) {
        return CStrings.read(buf.asSlice(UtsnameH.offset(name), UtsnameH.FIELD), 0);
    }

    /// The maximum number of open descriptors per process: sysconf(_SC_OPEN_MAX), which on Linux
    /// is the soft RLIMIT_NOFILE; every descriptor number is below it. Equivalent to
    /// `Netsys_posix.sysconf_open_max`.
    public static long openMax() {
        MemorySegment errno = Libc.errnoSlot();
        try {
            return UnistdH.SYSCONF.call(errno, UnistdH.SC_OPEN_MAX);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// malloc statistics: mallinfo2(3). Equivalent to Prosody's `pposix.meminfo`.
    ///
    /// @throws UnsupportedOperationException on a libc without mallinfo2 (see [Features#mallinfo2()])
    public static MallocInfo mallocInfo() {
        Features.mallinfo2().ensureAvailable();
        MethodHandle mallinfo2 = MallocH.MALLINFO2_FN.orElseThrow();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) mallinfo2.invokeExact((SegmentAllocator) arena);
            return new MallocInfo(get(info, "arena"), get(info, "hblkhd"), get(info, "uordblks"),
                    get(info, "fordblks"), get(info, "keepcost"));
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    private static long get(MemorySegment info, String field) {
        return (long) MallocH.field(field).get(info, 0L);
    }
}
