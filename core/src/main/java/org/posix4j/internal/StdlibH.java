package org.posix4j.internal;

/// Raw bindings for <stdlib.h> and <stdio.h>. No policy here.
public final class StdlibH {
    private StdlibH() {}

    /// int setenv(const char *name, const char *value, int overwrite);   setenv(3)
    public static final CIntFunction SETENV = Libc.intFunction("setenv");
    /// int unsetenv(const char *name);   unsetenv(3)
    public static final CIntFunction UNSETENV = Libc.intFunction("unsetenv");
    /// char *getenv(const char *name);   getenv(3); cannot fail, answers NULL when unset.
    public static final CLongFunction GETENV = Libc.longFunction("getenv");
    /// void abort(void);   abort(3)
    public static final CIntFunction ABORT = Libc.intFunction("abort");
    /// int posix_openpt(int flags);   posix_openpt(3)
    public static final CIntFunction POSIX_OPENPT = Libc.intFunction("posix_openpt");
    /// int grantpt(int fd);   grantpt(3)
    public static final CIntFunction GRANTPT = Libc.intFunction("grantpt");
    /// int unlockpt(int fd);   unlockpt(3)
    public static final CIntFunction UNLOCKPT = Libc.intFunction("unlockpt");
    /// int ptsname_r(int fd, char *buf, size_t buflen);   ptsname(3); returns an error number.
    public static final CIntFunction PTSNAME_R = Libc.intFunction("ptsname_r");
    /// char *ctermid(char *s);   ctermid(3); cannot fail.
    public static final CLongFunction CTERMID = Libc.longFunction("ctermid");
    /// L_ctermid, the buffer size ctermid needs.
    public static final int L_CTERMID = 9;
}
