package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/// Raw bindings for <sched.h>. No policy here.
public final class SchedH {
    private SchedH() {}

    /// int unshare(int flags);   unshare(2)
    public static final MethodHandle UNSHARE = Libc.errnoSetting("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    /// CLONE_FS: the calling thread gets its own root, working directory and umask.
    public static final int CLONE_FS = 0x200;
}
