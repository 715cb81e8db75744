package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/// Raw bindings for <sys/stat.h>. No policy here.
public final class SysStatH {
    private SysStatH() {}

    /// mode_t umask(mode_t mask);   umask(2); cannot fail.
    public static final MethodHandle UMASK = Libc.plain("umask", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /// int mkdir(const char *pathname, mode_t mode);   mkdir(2)
    public static final MethodHandle MKDIR = Libc.errnoSetting("mkdir",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    /// int mkdirat(int dirfd, const char *pathname, mode_t mode);   mkdirat(2)
    public static final MethodHandle MKDIRAT = Libc.errnoSetting("mkdirat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /// int statx(int dirfd, const char *pathname, int flags, unsigned int mask, struct statx *statxbuf);   statx(2)
    public static final MethodHandle STATX = Libc.errnoSetting("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));

    /// int fchmodat(int dirfd, const char *pathname, mode_t mode, int flags);   fchmodat(2)
    public static final MethodHandle FCHMODAT = Libc.errnoSetting("fchmodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    /// int utimensat(int dirfd, const char *pathname, const struct timespec times[2], int flags);   utimensat(2)
    public static final MethodHandle UTIMENSAT = Libc.errnoSetting("utimensat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

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
