package org.posix4j.internal;

/// Raw bindings for <sched.h>. No policy here.
public final class SchedH {
    private SchedH() {}

    /// int unshare(int flags);   unshare(2)
    public static final CIntFunction UNSHARE = Libc.intFunction("unshare");

    /// CLONE_FS: the calling thread gets its own root, working directory and umask.
    public static final int CLONE_FS = 0x200;
}
