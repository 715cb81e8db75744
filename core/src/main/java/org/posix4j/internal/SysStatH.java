package org.posix4j.internal;

/// Raw bindings for <sys/stat.h>. No policy here.
public final class SysStatH {
    private SysStatH() {}

    /// mode_t umask(mode_t mask);   umask(2); cannot fail.
    public static final CIntFunction UMASK = Libc.intFunction("umask");
    /// int mkdir(const char *pathname, mode_t mode);   mkdir(2)
    public static final CIntFunction MKDIR = Libc.intFunction("mkdir");
    /// int mkdirat(int dirfd, const char *pathname, mode_t mode);   mkdirat(2)
    public static final CIntFunction MKDIRAT = Libc.intFunction("mkdirat");
    /// int statx(int dirfd, const char *pathname, int flags, unsigned int mask, struct statx *statxbuf);   statx(2)
    public static final CIntFunction STATX = Libc.intFunction("statx");

    /// int fchmodat(int dirfd, const char *pathname, mode_t mode, int flags);   fchmodat(2)
    public static final CIntFunction FCHMODAT = Libc.intFunction("fchmodat");
    /// int utimensat(int dirfd, const char *pathname, const struct timespec times[2], int flags);   utimensat(2)
    public static final CIntFunction UTIMENSAT = Libc.intFunction("utimensat");

    /// sizeof(struct statx)
    public static final long STATX_SIZE = 256;
    /// STATX_BASIC_STATS: type, mode, nlink, uid, gid, atime, mtime, ctime, ino, size, blocks.
    public static final int STATX_BASIC_STATS = 0x7ff;
    /// AT_EMPTY_PATH
    public static final int AT_EMPTY_PATH = 0x1000;
    /// AT_SYMLINK_NOFOLLOW
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /// AT_REMOVEDIR
    public static final int AT_REMOVEDIR = 0x200;
    /// AT_EACCESS
    public static final int AT_EACCESS = 0x200;
    /// AT_SYMLINK_FOLLOW
    public static final int AT_SYMLINK_FOLLOW = 0x400;

    /// S_IFMT: the file type bits of a mode.
    public static final int S_IFMT = 0170000;
    /// S_IFSOCK
    public static final int S_IFSOCK = 0140000;
    /// S_IFREG
    public static final int S_IFREG = 0100000;
    /// S_IFBLK
    public static final int S_IFBLK = 0060000;
    /// S_IFDIR
    public static final int S_IFDIR = 0040000;
    /// S_IFCHR
    public static final int S_IFCHR = 0020000;
    /// S_IFIFO
    public static final int S_IFIFO = 0010000;
    /// S_ISUID
    public static final int S_ISUID = 04000;
    /// S_ISGID
    public static final int S_ISGID = 02000;
}
