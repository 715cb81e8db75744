package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/// Raw bindings for the calls the broker makes a name with, other than open, mkdir and rename:
/// symlinkat, linkat, mknodat, and truncate by path. Kept apart from [UnistdH] and [SysStatH],
/// which a start links early, so that only a broker's warm-up links these. No policy here.
public final class LinkH {
    private LinkH() {}

    /// int symlinkat(const char *target, int newdirfd, const char *linkpath);   symlink(2)
    public static final MethodHandle SYMLINKAT = Libc.errnoSetting("symlinkat",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    /// int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags);   link(2)
    public static final MethodHandle LINKAT = Libc.errnoSetting("linkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    /// int mknodat(int dirfd, const char *pathname, mode_t mode, dev_t dev);   mknod(2)
    public static final MethodHandle MKNODAT = Libc.errnoSetting("mknodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    /// int truncate(const char *path, off_t length);   truncate(2)
    public static final MethodHandle TRUNCATE = Libc.errnoSetting("truncate",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
}
