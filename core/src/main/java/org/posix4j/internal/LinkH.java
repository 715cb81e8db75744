package org.posix4j.internal;

/// Raw bindings for the calls the broker makes a name with, other than open, mkdir and rename:
/// symlinkat, linkat, mknodat, and truncate by path. Kept apart from [UnistdH] and [SysStatH],
/// which a start links early, so that only a broker's warm-up links these. No policy here.
public final class LinkH {
    private LinkH() {}

    /// int symlinkat(const char *target, int newdirfd, const char *linkpath);   symlink(2)
    public static final CIntFunction SYMLINKAT = Libc.intFunction("symlinkat");
    /// int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags);   link(2)
    public static final CIntFunction LINKAT = Libc.intFunction("linkat");
    /// int mknodat(int dirfd, const char *pathname, mode_t mode, dev_t dev);   mknod(2)
    public static final CIntFunction MKNODAT = Libc.intFunction("mknodat");
    /// int truncate(const char *path, off_t length);   truncate(2)
    public static final CIntFunction TRUNCATE = Libc.intFunction("truncate");
}
