package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/// Raw bindings for the file functions of <stdio.h>. No policy here.
public final class StdioH {
    private StdioH() {}

    /// int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
    ///     unsigned int flags);   rename(2), glibc 2.28+
    public static final MethodHandle RENAMEAT2 = Libc.errnoSetting("renameat2",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
}
