package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// Raw bindings for <sys/resource.h>. No policy here.
public final class ResourceH {
    private ResourceH() {}

    /// int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit);
    /// prlimit(2); with pid 0 it is getrlimit/setrlimit of the calling process.
    public static final CIntFunction PRLIMIT = Libc.intFunction("prlimit");

    /// struct rlimit (64-bit rlim_t)
    public static final StructLayout RLIMIT = MemoryLayout.structLayout(
            JAVA_LONG.withName("rlim_cur"),
            JAVA_LONG.withName("rlim_max"));
    /// rlim_cur
    public static final VarHandle RLIM_CUR = RLIMIT.varHandle(MemoryLayout.PathElement.groupElement("rlim_cur"));
    /// rlim_max
    public static final VarHandle RLIM_MAX = RLIMIT.varHandle(MemoryLayout.PathElement.groupElement("rlim_max"));
    /// RLIM_INFINITY, as a signed long.
    public static final long RLIM_INFINITY = -1L;

    static {
        Abi.check("struct rlimit", RLIMIT, 16);
    }
}
