package org.posix4j.system;

/// One user from the password database (struct passwd), as getpwnam(3) returns it.
///
/// @param name the login name
/// @param uid the user id
/// @param gid the primary group id
/// @param gecos the comment field (full name)
/// @param home the home directory
/// @param shell the login shell
public record PasswdEntry(String name, int uid, int gid, String gecos, String home, String shell) {}
