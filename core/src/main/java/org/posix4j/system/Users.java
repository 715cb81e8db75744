package org.posix4j.system;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.Libc;
import org.posix4j.internal.PwdGrpH;

/// Lookups in the user and group databases through the reentrant getpwnam_r family, so NSS
/// sources (files, LDAP, systemd-userdb...) answer as they do for `id` and `getent`.
///
/// Thread safety: all methods may be called from any thread.
public final class Users {
    private static final int ENOENT = 2;
    private static final long MAX_BUFFER = 1 << 20;

    private Users() {}

    @FunctionalInterface
    private interface Call {
        int invoke(MemorySegment entry, MemorySegment buf, long size, MemorySegment result) throws Throwable;
    }

    /// The user called `name`: getpwnam_r(3); empty if there is none.
    ///
    /// @throws PosixException if the database could not be read (EIO, EMFILE...)
    /// @throws IllegalArgumentException if `name` is empty or contains NUL
    public static Optional<PasswdEntry> user(String name) throws PosixException {
        CStrings.checkNonEmpty("name", name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = CStrings.of(arena, "name", name);
            return lookup(PwdGrpH.PASSWD, "getpwnam_r", name,
                    (e, b, s, r) -> PwdGrpH.GETPWNAM_R.call(Libc.errnoSlot(), cname.address(), e.address(),
                            b.address(), s, r.address()), Users::readPasswd);
        }
    }

    /// The user with id `uid`: getpwuid_r(3); empty if there is none.
    ///
    /// @throws PosixException if the database could not be read
    public static Optional<PasswdEntry> user(int uid) throws PosixException {
        return lookup(PwdGrpH.PASSWD, "getpwuid_r", Integer.toUnsignedString(uid),
                (e, b, s, r) -> PwdGrpH.GETPWUID_R.call(Libc.errnoSlot(), uid, e.address(), b.address(), s,
                        r.address()), Users::readPasswd);
    }

    /// The group called `name`: getgrnam_r(3); empty if there is none.
    ///
    /// @throws PosixException if the database could not be read
    /// @throws IllegalArgumentException if `name` is empty or contains NUL
    public static Optional<GroupEntry> group(String name) throws PosixException {
        CStrings.checkNonEmpty("name", name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = CStrings.of(arena, "name", name);
            return lookup(PwdGrpH.GROUP, "getgrnam_r", name,
                    (e, b, s, r) -> PwdGrpH.GETGRNAM_R.call(Libc.errnoSlot(), cname.address(), e.address(),
                            b.address(), s, r.address()), Users::readGroup);
        }
    }

    /// The group with id `gid`: getgrgid_r(3); empty if there is none.
    ///
    /// @throws PosixException if the database could not be read
    public static Optional<GroupEntry> group(int gid) throws PosixException {
        return lookup(PwdGrpH.GROUP, "getgrgid_r", Integer.toUnsignedString(gid),
                (e, b, s, r) -> PwdGrpH.GETGRGID_R.call(Libc.errnoSlot(), gid, e.address(), b.address(), s,
                        r.address()), Users::readGroup);
    }

    /// Runs a lookup with a growing buffer (ERANGE means "too small"), and copies the entry out
    /// of native memory before the arena closes.
    private static <T> Optional<T> lookup(StructLayout layout, String function, String subject, Call call,
            Function<MemorySegment, T> reader) throws PosixException {
        for (long size = 1024; ; size *= 2) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment entry = arena.allocate(layout);
                MemorySegment result = arena.allocate(ADDRESS);
                int rc = call.invoke(entry, arena.allocate(size), size, result);
                if (rc == Libc.ERANGE && size < MAX_BUFFER) {
                    continue;
                }
                if (rc == ENOENT || (rc == 0 && result.get(ADDRESS, 0).equals(MemorySegment.NULL))) {
                    return Optional.empty();
                }
                Libc.checkReturned(rc, function, subject);
                return Optional.of(reader.apply(entry));
            } catch (Throwable t) {
                throw Libc.propagate(t);
            }
        }
    }

    private static String string(MemorySegment entry, StructLayout layout, String field) {
        MemorySegment p = entry.get(ADDRESS, layout.byteOffset(PathElement.groupElement(field)));
        return p.equals(MemorySegment.NULL) ? "" : CStrings.read(p);
    }

    private static int integer(MemorySegment entry, StructLayout layout, String field) {
        return entry.get(ValueLayout.JAVA_INT, layout.byteOffset(PathElement.groupElement(field)));
    }

    private static PasswdEntry readPasswd(MemorySegment e) {
        StructLayout l = PwdGrpH.PASSWD;
        return new PasswdEntry(string(e, l, "pw_name"), integer(e, l, "pw_uid"), integer(e, l, "pw_gid"),
                string(e, l, "pw_gecos"), string(e, l, "pw_dir"), string(e, l, "pw_shell"));
    }

    private static GroupEntry readGroup(MemorySegment e) {
        StructLayout l = PwdGrpH.GROUP;
        List<String> members = new ArrayList<>();
        MemorySegment mem = e.get(ADDRESS, l.byteOffset(PathElement.groupElement("gr_mem")));
        if (!mem.equals(MemorySegment.NULL)) {
            MemorySegment array = Libc.unbounded(mem);
            for (long i = 0; ; i++) {
                MemorySegment p = array.getAtIndex(ADDRESS, i);
                if (p.equals(MemorySegment.NULL)) {
                    break;
                }
                members.add(CStrings.read(p));
            }
        }
        return new GroupEntry(string(e, l, "gr_name"), integer(e, l, "gr_gid"), members);
    }
}
