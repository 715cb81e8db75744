package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/// Raw bindings for <poll.h>. No policy here.
public final class PollH {
    private PollH() {}

    /// int poll(struct pollfd *fds, nfds_t nfds, int timeout);   poll(2). Not a critical call:
    /// it blocks.
    public static final MethodHandle POLL = Libc.errnoSetting("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    /// struct pollfd { int fd; short events; short revents; }
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"),
            JAVA_SHORT.withName("events"),
            JAVA_SHORT.withName("revents"));
    /// fd of element `index` of a pollfd array: coordinates (segment, 0L, index).
    public static final VarHandle FD = POLLFD.arrayElementVarHandle(PathElement.groupElement("fd"));
    /// events of element `index` of a pollfd array: coordinates (segment, 0L, index).
    public static final VarHandle EVENTS = POLLFD.arrayElementVarHandle(PathElement.groupElement("events"));
    /// revents of element `index` of a pollfd array: coordinates (segment, 0L, index).
    public static final VarHandle REVENTS = POLLFD.arrayElementVarHandle(PathElement.groupElement("revents"));

    /// POLLIN: data to read.
    public static final int POLLIN = 0x1;
    /// POLLPRI: urgent data to read.
    public static final int POLLPRI = 0x2;
    /// POLLOUT: writing will not block.
    public static final int POLLOUT = 0x4;
    /// POLLERR: error condition (returned only).
    public static final int POLLERR = 0x8;
    /// POLLHUP: hang up (returned only).
    public static final int POLLHUP = 0x10;
    /// POLLNVAL: fd not open (returned only).
    public static final int POLLNVAL = 0x20;

    static {
        Abi.check("struct pollfd", POLLFD, 8);
    }
}
