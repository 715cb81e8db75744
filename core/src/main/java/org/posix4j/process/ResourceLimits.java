package org.posix4j.process;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;
import org.posix4j.PosixException;
import org.posix4j.internal.Libc;
import org.posix4j.internal.ResourceH;

/// Resource limits of the calling process or of another: getrlimit, setrlimit and prlimit.
///
/// Equivalent to Prosody's `pposix.getrlimit`/`pposix.setrlimit`, which take a resource name;
/// here every RLIMIT_* is a [Resource], and unlimited is [Limit#UNLIMITED].
///
/// Thread safety: all methods may be called from any thread; limits are per process.
public final class ResourceLimits {
    private ResourceLimits() {}

    /// The calling process's limits for `resource`: getrlimit(2).
    public static Rlimit get(Resource resource) {
        try {
            return get(0, resource);
        } catch (PosixException e) {
            throw new IllegalStateException(e);
        }
    }

    /// Sets the calling process's limits for `resource`: setrlimit(2). Raising the hard limit
    /// needs CAP_SYS_RESOURCE.
    ///
    /// @throws PosixException EPERM when raising the hard limit without the privilege, EINVAL
    ///     when the kernel refuses the value (RLIMIT_NOFILE above fs.nr_open)
    public static void set(Resource resource, Rlimit limit) throws PosixException {
        set(0, resource, limit);
    }

    /// The limits of process `pid` (0: the caller): prlimit(2). Reading another user's process
    /// needs CAP_SYS_RESOURCE.
    ///
    /// @throws PosixException ESRCH for an unknown pid, EPERM for another user's process
    public static Rlimit get(int pid, Resource resource) throws PosixException {
        Sessions.checkPid("pid", pid);
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(ResourceH.RLIMIT);
            int r = ResourceH.PRLIMIT.call(errno, pid, resource.number(), 0L, old.address());
            Libc.check(r, errno, "prlimit", subject(pid, resource));
            return new Rlimit(decode((long) ResourceH.RLIM_CUR.get(old, 0L)), decode((long) ResourceH.RLIM_MAX.get(old, 0L)));
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Sets the limits of process `pid` (0: the caller): prlimit(2).
    ///
    /// @throws PosixException ESRCH, EPERM or EINVAL as [#set(Resource, Rlimit)]
    public static void set(int pid, Resource resource, Rlimit limit) throws PosixException {
        Sessions.checkPid("pid", pid);
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ResourceH.RLIMIT);
            ResourceH.RLIM_CUR.set(value, 0L, encode(limit.soft()));
            ResourceH.RLIM_MAX.set(value, 0L, encode(limit.hard()));
            int r = ResourceH.PRLIMIT.call(errno, pid, resource.number(), value.address(),
                    0L);
            Libc.check(r, errno, "prlimit", subject(pid, resource) + ", " + limit.soft() + ", " + limit.hard());
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Every resource's limits for the calling process, in RLIMIT_* order.
    public static Map<Resource, Rlimit> all() {
        Map<Resource, Rlimit> all = new EnumMap<>(Resource.class);
        for (Resource r : Resource.values()) {
            all.put(r, get(r));
        }
        return all;
    }

    private static String subject(int pid, Resource resource) {
        return pid + ", " + resource.cName();
    }

    private static Limit decode(long raw) {
        return raw == ResourceH.RLIM_INFINITY ? Limit.UNLIMITED : Limit.of(raw);
    }

    private static long encode(Limit limit) {
        return limit.isUnlimited() ? ResourceH.RLIM_INFINITY : limit.value();
    }
}
