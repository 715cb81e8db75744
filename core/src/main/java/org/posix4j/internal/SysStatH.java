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
}
