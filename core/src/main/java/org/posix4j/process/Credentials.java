package org.posix4j.process;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.posix4j.PosixException;
import org.posix4j.internal.CIntFunction;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.IdentityH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.PwdGrpH;

/// User and group ids of the calling process, and the calls that change them.
///
/// Linux keeps credentials per thread; glibc's wrappers, which these methods call, apply every
/// change to all threads of the process (the JVM's own threads included), so the JVM never runs
/// with mixed credentials. Changing credentials needs CAP_SETUID / CAP_SETGID unless the new id
/// is one the process already holds.
///
/// Ids are `uid_t`/`gid_t`, unsigned 32-bit numbers held in a Java `int`; -1 means "unchanged"
/// where the C function gives it that meaning.
///
/// Thread safety: all methods may be called from any thread.
public final class Credentials {
    private Credentials() {}

    /// The real user id: getuid(2). Equivalent to Prosody's `pposix.getuid`.
    public static int uid() {
        return getter(IdentityH.GETUID);
    }

    /// The effective user id: geteuid(2).
    public static int euid() {
        return getter(IdentityH.GETEUID);
    }

    /// The real group id: getgid(2). Equivalent to Prosody's `pposix.getgid`.
    public static int gid() {
        return getter(IdentityH.GETGID);
    }

    /// The effective group id: getegid(2).
    public static int egid() {
        return getter(IdentityH.GETEGID);
    }

    private static int getter(MethodHandle handle) {
        try {
            return (int) handle.invokeExact();
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// Real, effective and saved user ids: getresuid(2).
    public static ResIds resuid() {
        return res(IdentityH.GETRESUID, "getresuid");
    }

    /// Real, effective and saved group ids: getresgid(2).
    public static ResIds resgid() {
        return res(IdentityH.GETRESGID, "getresgid");
    }

    private static ResIds res(CIntFunction function, String name) {
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ids = arena.allocate(JAVA_INT, 3);
            int r = function.call(errno, ids.address(), ids.address() + 4, ids.address() + 8);
            if (r < 0) {
                throw new IllegalStateException(new PosixException(name, Libc.errno(errno), ""));
            }
            return new ResIds(ids.getAtIndex(JAVA_INT, 0), ids.getAtIndex(JAVA_INT, 1), ids.getAtIndex(JAVA_INT, 2));
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// Sets the user id: setuid(2). With CAP_SETUID this sets real, effective and saved ids,
    /// and cannot be undone. Equivalent to Prosody's `pposix.setuid`.
    ///
    /// @throws PosixException EPERM without the privilege, EINVAL for an id the user namespace does not map
    public static void setUid(int uid) throws PosixException {
        checkId("uid", uid);
        MemorySegment errno = Libc.errnoSlot();
        try {
            Libc.check(IdentityH.SETUID.call(errno, uid), errno, "setuid", Integer.toUnsignedLong(uid));
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Sets the group id: setgid(2). Equivalent to Prosody's `pposix.setgid`.
    ///
    /// @throws PosixException EPERM without the privilege, EINVAL for an unmapped id
    public static void setGid(int gid) throws PosixException {
        checkId("gid", gid);
        MemorySegment errno = Libc.errnoSlot();
        try {
            Libc.check(IdentityH.SETGID.call(errno, gid), errno, "setgid", Integer.toUnsignedLong(gid));
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Sets the real and effective user ids: setreuid(2); -1 leaves one unchanged. Equivalent to
    /// `Netsys_posix.setreuid`.
    ///
    /// @throws PosixException EPERM without the privilege
    public static void setReuid(int ruid, int euid) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            Libc.check(IdentityH.SETREUID.call(errno, ruid, euid), errno, "setreuid", pair(ruid, euid));
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Sets the real and effective group ids: setregid(2); -1 leaves one unchanged. Equivalent to
    /// `Netsys_posix.setregid`.
    ///
    /// @throws PosixException EPERM without the privilege
    public static void setRegid(int rgid, int egid) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            Libc.check(IdentityH.SETREGID.call(errno, rgid, egid), errno, "setregid", pair(rgid, egid));
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    private static String pair(int a, int b) {
        return (a == -1 ? "-1" : Integer.toUnsignedString(a)) + ", " + (b == -1 ? "-1" : Integer.toUnsignedString(b));
    }

    private static void checkId(String argument, int id) {
        if (id == -1) {
            throw new IllegalArgumentException(argument + " must not be -1 ((uid_t) -1 is not an id)");
        }
    }

    /// Sets the supplementary groups to those `user` belongs to in the group database, plus
    /// `gid`: initgroups(3). Equivalent to Prosody's `pposix.initgroups`.
    ///
    /// @throws PosixException EPERM without CAP_SETGID
    /// @throws IllegalArgumentException if `user` is empty or contains NUL
    public static void initGroups(String user, int gid) throws PosixException {
        CStrings.checkNonEmpty("user", user);
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = CStrings.of(arena, "user", user);
            Libc.check(PwdGrpH.INITGROUPS.call(errno, name.address(), gid), errno, "initgroups",
                    user + ", " + Integer.toUnsignedString(gid));
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Sets the supplementary group list: setgroups(2). An empty array clears it.
    ///
    /// @throws PosixException EPERM without CAP_SETGID, EINVAL for more than NGROUPS_MAX groups
    public static void setGroups(int... gids) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment list = gids.length == 0 ? MemorySegment.NULL : arena.allocateFrom(JAVA_INT, gids);
            Libc.check(PwdGrpH.SETGROUPS.call(errno, gids.length, list.address()), errno, "setgroups",
                    Arrays.stream(gids).mapToObj(Integer::toUnsignedString).collect(Collectors.joining(", ", "[", "]")));
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// The supplementary group ids: getgroups(2). The list is read twice (size, then content);
    /// if it grows in between, the read is repeated.
    public static int[] groups() {
        MemorySegment errno = Libc.errnoSlot();
        try {
            while (true) {
                int count = IdentityH.GETGROUPS.call(errno, 0, 0L);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment list = arena.allocate(JAVA_INT, Math.max(count, 1));
                    int got = IdentityH.GETGROUPS.call(errno, count, list.address());
                    if (got >= 0) {
                        return list.asSlice(0, 4L * got).toArray(JAVA_INT);
                    }
                }
            }
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }
}
