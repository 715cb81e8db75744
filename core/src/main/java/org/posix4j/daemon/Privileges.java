package org.posix4j.daemon;

import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
import org.posix4j.process.Credentials;
import org.posix4j.process.ResIds;
import org.posix4j.system.GroupEntry;
import org.posix4j.system.PasswdEntry;
import org.posix4j.system.Users;

/// Gives up root for good: a process started as root, once it has bound its privileged ports,
/// becomes an ordinary user. Equivalent to slimta's `drop_privileges(user[, group])`.
///
/// Thread safety: may be called from any thread; glibc applies every change to all threads of
/// the JVM. Call it once, early, before other threads depend on the process's identity.
public final class Privileges {
    private Privileges() {}

    /// Drops to `user` and that user's primary group from the user database.
    /// See [#drop(String, String)].
    ///
    /// @throws IllegalArgumentException if `user` is empty, contains NUL, is unknown or has uid 0
    /// @throws PosixException if the user database cannot be read, or a step fails (EPERM when
    ///     not running as root)
    /// @throws IllegalStateException if the drop did not hold (see [#drop(String, String)])
    public static void drop(String user) throws PosixException {
        drop(user, null);
    }

    /// Drops to `user` and group `group`: initgroups(3) sets the supplementary groups to the
    /// user's groups plus `group`, then setgid(2), then setuid(2), each checked. Afterwards
    /// getresuid(2) and getresgid(2) must show the new ids as real, effective and saved ids, and
    /// setuid(0) (and setgid(0) when the new group is not 0) must fail with EPERM.
    ///
    /// Names are resolved with getpwnam_r(3)/getgrnam_r(3) before anything changes, so an
    /// unknown name leaves the process as it was.
    ///
    /// @param user the user name
    /// @param group the group name, or null for the user's primary group
    /// @throws IllegalArgumentException if a name is empty, contains NUL or is unknown, or `user`
    ///     has uid 0 (that would keep root)
    /// @throws PosixException if a database cannot be read, or initgroups, setgid or setuid fails
    ///     (EPERM when not running as root); ids may then be partly changed, so the caller should exit
    /// @throws IllegalStateException if after the calls the process still holds an old id or can
    ///     regain root; the process must not go on (fail closed)
    public static void drop(String user, String group) throws PosixException {
        CStrings.checkNonEmpty("user", user);
        if (group != null) {
            CStrings.checkNonEmpty("group", group);
        }
        PasswdEntry pw = Users.user(user)
                .orElseThrow(() -> new IllegalArgumentException("user: no such user: " + user));
        if (pw.uid() == 0) {
            throw new IllegalArgumentException("user: " + user + " has uid 0; dropping to it keeps root");
        }
        int gid = pw.gid();
        if (group != null) {
            GroupEntry gr = Users.group(group)
                    .orElseThrow(() -> new IllegalArgumentException("group: no such group: " + group));
            gid = gr.gid();
        }
        Credentials.initGroups(pw.name(), gid);
        Credentials.setGid(gid);
        Credentials.setUid(pw.uid());
        verify(pw.uid(), gid);
    }

    private static void verify(int uid, int gid) {
        ResIds u = Credentials.resuid();
        ResIds g = Credentials.resgid();
        if (u.real() != uid || u.effective() != uid || u.saved() != uid) {
            throw new IllegalStateException("uids not dropped to " + Integer.toUnsignedString(uid) + ": " + u);
        }
        if (g.real() != gid || g.effective() != gid || g.saved() != gid) {
            throw new IllegalStateException("gids not dropped to " + Integer.toUnsignedString(gid) + ": " + g);
        }
        try {
            Credentials.setUid(0);
            throw new IllegalStateException("setuid(0) succeeded after dropping to uid " + Integer.toUnsignedString(uid));
        } catch (PosixException e) {
            if (!e.is(Errno.EPERM)) {
                throw new IllegalStateException("setuid(0) after the drop failed unexpectedly", e);
            }
        }
        if (gid != 0) {
            try {
                Credentials.setGid(0);
                throw new IllegalStateException("setgid(0) succeeded after dropping to gid " + Integer.toUnsignedString(gid));
            } catch (PosixException e) {
                if (!e.is(Errno.EPERM)) {
                    throw new IllegalStateException("setgid(0) after the drop failed unexpectedly", e);
                }
            }
        }
    }
}
