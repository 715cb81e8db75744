package org.posix4j.broker;

/// The libc call a sandboxed program attempted, by the seed's name (Emilua's
/// `libc_service.master` property `function_`), plus `readlink`, which posix4j brokers too.
///
/// Several syscalls arrive as one function: `open` is open(2), creat(2) and openat(2) on
/// `AT_FDCWD` (glibc's open() is the last); `openat` is openat(2) on a directory descriptor and
/// openat2(2); `stat`/`lstat` include newfstatat(2) and statx(2) with or without
/// `AT_SYMLINK_NOFOLLOW`; `eaccess` is faccessat2(2) with `AT_EACCESS`; `rmdir` includes
/// unlinkat(2) with `AT_REMOVEDIR`. The network functions and `getaddrinfo` are decoded by part
/// two of the broker; until then a sandboxed program's connect and bind are refused with EACCES.
/// `exec` is execve(2) and execveat(2); `chdir` is chdir(2).
///
/// [#EXEC] and [#CHDIR] are the only functions whose allowed calls the master lets continue
/// (SECCOMP_USER_NOTIF_FLAG_CONTINUE) instead of performing them: an exec cannot be done on the
/// program's behalf. The kernel then resolves the path again, so a thread of the program racing
/// the decision could swap what it names: for exec, the Landlock ruleset installed at spawn
/// allows EXECUTE only where the policy allows reading, so the kernel enforces the same rule;
/// for chdir, a swapped directory grants nothing, since every later relative path is resolved
/// from the directory the program really has and decided again.
public enum Function {
    /// open(path, flags, mode)
    OPEN("open"),
    /// openat(path, flags, mode), relative to a directory descriptor, with the `resolve_*` flags
    OPENAT("openat"),
    /// unlink(path)
    UNLINK("unlink"),
    /// rename(path1, path2)
    RENAME("rename"),
    /// stat(path)
    STAT("stat"),
    /// lstat(path)
    LSTAT("lstat"),
    /// access(path, amode), checked with the real ids
    ACCESS("access"),
    /// eaccess(path, amode), checked with the effective ids
    EACCESS("eaccess"),
    /// mkdir(path, mode)
    MKDIR("mkdir"),
    /// rmdir(path)
    RMDIR("rmdir"),
    /// connect_unix(path)
    CONNECT_UNIX("connect_unix"),
    /// connect_inet(ipv4_addr, port)
    CONNECT_INET("connect_inet"),
    /// connect_inet6(ipv6_addr, port)
    CONNECT_INET6("connect_inet6"),
    /// bind_unix(path)
    BIND_UNIX("bind_unix"),
    /// bind_inet(ipv4_addr, port)
    BIND_INET("bind_inet"),
    /// bind_inet6(ipv6_addr, port)
    BIND_INET6("bind_inet6"),
    /// getaddrinfo(node, service, protocol)
    GETADDRINFO("getaddrinfo"),
    /// readlink(path): not one of the seed's functions, brokered because it names a path.
    READLINK("readlink"),
    /// chmod(path, mode): not one of the seed's functions, brokered because programs that write
    /// files (git, install, editors) set their modes; fchmod's path is the descriptor's.
    CHMOD("chmod"),
    /// utimes(path, atime, mtime): utimensat(2), and futimens(3), whose path is the
    /// descriptor's; not one of the seed's functions, brokered because setting a file's times
    /// is a metadata write, allowed where writing is, that Landlock does not govern.
    UTIMES("utimes"),
    /// exec(path): execve(2) or execveat(2), decided like an open of the file for reading; not
    /// one of the seed's functions.
    EXEC("exec"),
    /// chdir(path): decided like a stat of the directory; not one of the seed's functions.
    CHDIR("chdir"),
    /// socket(domain, type, protocol) of a kind the filter does not let through (netlink,
    /// packet, raw, ping and the rest): decided by [Policy.Builder#allowSocket]; not one of the
    /// seed's functions.
    SOCKET("socket"),
    /// symlink(target, path): symlink(2) and symlinkat(2), decided like a mkdir of `path`; the
    /// target is not decided, since it is checked where it leads whenever the link is used; not
    /// one of the seed's functions.
    SYMLINK("symlink"),
    /// link(path1, path2): link(2) and linkat(2), a new name `path2` for the file `path1`, decided
    /// like a rename: both must be in trees where the policy allows creating; not one of the
    /// seed's functions.
    LINK("link"),
    /// truncate(path, length): truncate(2), decided like an open of `path` for writing; not one
    /// of the seed's functions.
    TRUNCATE("truncate"),
    /// mknod(path, mode): mknod(2) and mknodat(2) of a FIFO, a socket or an empty regular file,
    /// decided like a mkdir; device nodes are never made; not one of the seed's functions.
    MKNOD("mknod");

    private final String seedName;

    Function(String seedName) {
        this.seedName = seedName;
    }

    /// The seed's name: `open`, `openat`, `connect_inet6`...
    public String seedName() {
        return seedName;
    }

    @Override
    public String toString() {
        return seedName;
    }
}
