package org.posix4j.internal;

/// Raw bindings for <sys/eventfd.h>. No policy here.
public final class EventfdH {
    private EventfdH() {}

    /// int eventfd(unsigned int initval, int flags);   eventfd(2)
    public static final CIntFunction EVENTFD = Libc.intFunction("eventfd");
    /// int eventfd_read(int fd, eventfd_t *value);   eventfd(3): one 8-byte read(2).
    public static final CIntFunction EVENTFD_READ = Libc.intFunction("eventfd_read");
    /// int eventfd_write(int fd, eventfd_t value);   eventfd(3): one 8-byte write(2), the value
    /// passed by value, so the caller needs no buffer.
    public static final CIntFunction EVENTFD_WRITE = Libc.intFunction("eventfd_write");

    /// EFD_SEMAPHORE
    public static final int EFD_SEMAPHORE = 1;
    /// EFD_NONBLOCK: the kernel defines it as O_NONBLOCK.
    public static final int EFD_NONBLOCK = FcntlH.O_NONBLOCK;
    /// EFD_CLOEXEC: the kernel defines it as O_CLOEXEC.
    public static final int EFD_CLOEXEC = FcntlH.O_CLOEXEC;
}
