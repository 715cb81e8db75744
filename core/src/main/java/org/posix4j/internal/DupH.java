package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/// Raw bindings for the <unistd.h> calls that replace a descriptor's file in place: dup3 and
/// ftruncate. Kept apart from [UnistdH] so that adding them touches no shared class. No policy here.
public final class DupH {
    private DupH() {}

    /// int dup3(int oldfd, int newfd, int flags);   dup(2)
    public static final MethodHandle DUP3 = Libc.errnoSetting("dup3",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    /// int ftruncate(int fd, off_t length);   truncate(2)
    public static final MethodHandle FTRUNCATE = Libc.errnoSetting("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
}
