package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/// Raw bindings for <stdlib.h> and <stdio.h>. No policy here.
public final class StdlibH {
    private StdlibH() {}

    /// int setenv(const char *name, const char *value, int overwrite);   setenv(3)
    public static final MethodHandle SETENV = Libc.errnoSetting("setenv",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    /// int unsetenv(const char *name);   unsetenv(3)
    public static final MethodHandle UNSETENV = Libc.errnoSetting("unsetenv",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /// char *getenv(const char *name);   getenv(3); cannot fail, answers NULL when unset.
    public static final MethodHandle GETENV = Libc.plain("getenv", FunctionDescriptor.of(ADDRESS, ADDRESS));
    /// void abort(void);   abort(3)
    public static final MethodHandle ABORT = Libc.plain("abort", FunctionDescriptor.ofVoid());
    /// int posix_openpt(int flags);   posix_openpt(3)
    public static final MethodHandle POSIX_OPENPT = Libc.errnoSetting("posix_openpt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /// int grantpt(int fd);   grantpt(3)
    public static final MethodHandle GRANTPT = Libc.errnoSetting("grantpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /// int unlockpt(int fd);   unlockpt(3)
    public static final MethodHandle UNLOCKPT = Libc.errnoSetting("unlockpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /// int ptsname_r(int fd, char *buf, size_t buflen);   ptsname(3); returns an error number.
    public static final MethodHandle PTSNAME_R = Libc.plain("ptsname_r",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    /// char *ctermid(char *s);   ctermid(3); cannot fail.
    public static final MethodHandle CTERMID = Libc.plain("ctermid", FunctionDescriptor.of(ADDRESS, ADDRESS));
    /// L_ctermid, the buffer size ctermid needs.
    public static final int L_CTERMID = 9;
}
