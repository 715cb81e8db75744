package org.posix4j.internal;

/// Raw bindings for the file functions of <stdio.h>. No policy here.
public final class StdioH {
    private StdioH() {}

    /// int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
    ///     unsigned int flags);   rename(2), glibc 2.28+
    public static final CIntFunction RENAMEAT2 = Libc.intFunction("renameat2");
}
