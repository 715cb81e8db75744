package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/// Raw bindings for <sys/eventfd.h>. No policy here.
public final class EventfdH {
    private EventfdH() {}

    /// int eventfd(unsigned int initval, int flags);   eventfd(2)
    public static final MethodHandle EVENTFD = Libc.errnoSetting("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /// int eventfd_read(int fd, eventfd_t *value);   eventfd(3): one 8-byte read(2).
    public static final MethodHandle EVENTFD_READ = Libc.errnoSetting("eventfd_read",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    /// int eventfd_write(int fd, eventfd_t value);   eventfd(3): one 8-byte write(2), the value
    /// passed by value, so the caller needs no buffer.
    public static final MethodHandle EVENTFD_WRITE = Libc.errnoSetting("eventfd_write",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));

    /// EFD_SEMAPHORE
    public static final int EFD_SEMAPHORE = 1;
    /// EFD_NONBLOCK: the kernel defines it as O_NONBLOCK.
    public static final int EFD_NONBLOCK = FcntlH.O_NONBLOCK;
    /// EFD_CLOEXEC: the kernel defines it as O_CLOEXEC.
    public static final int EFD_CLOEXEC = FcntlH.O_CLOEXEC;
}
