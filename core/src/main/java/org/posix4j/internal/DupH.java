package org.posix4j.internal;

/// Raw bindings for the <unistd.h> calls that replace a descriptor's file in place: dup3 and
/// ftruncate. Kept apart from [UnistdH] so that adding them touches no shared class. No policy here.
public final class DupH {
    private DupH() {}

    /// int dup3(int oldfd, int newfd, int flags);   dup(2)
    public static final CIntFunction DUP3 = Libc.intFunction("dup3");
    /// int ftruncate(int fd, off_t length);   truncate(2)
    public static final CIntFunction FTRUNCATE = Libc.intFunction("ftruncate");
}
