package org.posix4j.system;

/// One user from the password database (struct passwd), as getpwnam(3) returns it.
///
/// @param name the login name
/// @param uid the user id, an unsigned `uid_t` held in an int (`Integer.toUnsignedString` prints
///     it as id(1) does)
/// @param gid the primary group id, an unsigned `gid_t` held in an int
/// @param gecos the comment field (full name)
/// @param home the home directory
/// @param shell the login shell
public record PasswdEntry(String name, int uid, int gid, String gecos, String home, String shell) {
    /// The fields, with the ids unsigned as getent(1) prints them.
    @Override
    public String toString() {
        return "PasswdEntry[name=" + name + ", uid=" + Integer.toUnsignedString(uid) + ", gid="
                + Integer.toUnsignedString(gid) + ", gecos=" + gecos + ", home=" + home + ", shell=" + shell + "]";
    }
}
