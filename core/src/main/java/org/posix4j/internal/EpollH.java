package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/// Raw bindings for <sys/epoll.h>. No policy here.
public final class EpollH {
    private EpollH() {}

    /// int epoll_create1(int flags);   epoll_create1(2)
    public static final CIntFunction EPOLL_CREATE1 = Libc.intFunction("epoll_create1");
    /// int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);   epoll_ctl(2)
    public static final MethodHandle EPOLL_CTL = Libc.errnoSetting("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    /// int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);
    /// epoll_wait(2). Not a critical call: it blocks.
    public static final MethodHandle EPOLL_WAIT = Libc.errnoSetting("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    /// struct epoll_event { uint32_t events; epoll_data_t data; }. The kernel declares it packed on
    /// x86_64 only (`__EPOLL_PACKED`): 12 bytes with `data` at offset 4 there, 16 bytes with `data`
    /// at offset 8 on aarch64 and the other LP64 ABIs.
    public static final StructLayout EPOLL_EVENT = layout(System.getProperty("os.arch"));
    /// events of element `index` of an epoll_event array: coordinates (segment, 0L, index).
    public static final VarHandle EVENTS = EPOLL_EVENT.arrayElementVarHandle(PathElement.groupElement("events"));
    /// data (as a u64) of element `index` of an epoll_event array: coordinates (segment, 0L, index).
    public static final VarHandle DATA = EPOLL_EVENT.arrayElementVarHandle(PathElement.groupElement("data"));

    /// EPOLL_CLOEXEC, for epoll_create1: the kernel defines it as O_CLOEXEC.
    public static final int EPOLL_CLOEXEC = FcntlH.O_CLOEXEC;
    /// EPOLL_CTL_ADD
    public static final int EPOLL_CTL_ADD = 1;
    /// EPOLL_CTL_DEL
    public static final int EPOLL_CTL_DEL = 2;
    /// EPOLL_CTL_MOD
    public static final int EPOLL_CTL_MOD = 3;
    /// EPOLLIN
    public static final int EPOLLIN = 0x1;
    /// EPOLLPRI
    public static final int EPOLLPRI = 0x2;
    /// EPOLLOUT
    public static final int EPOLLOUT = 0x4;
    /// EPOLLERR
    public static final int EPOLLERR = 0x8;
    /// EPOLLHUP
    public static final int EPOLLHUP = 0x10;
    /// EPOLLRDHUP
    public static final int EPOLLRDHUP = 0x2000;
    /// EPOLLONESHOT
    public static final int EPOLLONESHOT = 1 << 30;
    /// EPOLLET
    public static final int EPOLLET = 1 << 31;

    private static StructLayout layout(String osArch) {
        boolean packed = osArch.equals("amd64") || osArch.equals("x86_64");
        return packed
                ? MemoryLayout.structLayout(
                        JAVA_INT.withName("events"),
                        JAVA_LONG_UNALIGNED.withName("data"))
                : MemoryLayout.structLayout(
                        JAVA_INT.withName("events"),
                        MemoryLayout.paddingLayout(4),
                        JAVA_LONG.withName("data"));
    }

    static {
        String arch = System.getProperty("os.arch");
        Abi.check("struct epoll_event", EPOLL_EVENT, arch.equals("amd64") || arch.equals("x86_64") ? 12 : 16);
    }
}
