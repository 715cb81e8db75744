package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// Raw bindings for <sys/timerfd.h>. No policy here.
public final class TimerfdH {
    private TimerfdH() {}

    /// int timerfd_create(int clockid, int flags);   timerfd_create(2)
    public static final CIntFunction TIMERFD_CREATE = Libc.intFunction("timerfd_create");
    /// int timerfd_settime(int fd, int flags, const struct itimerspec *new_value,
    /// struct itimerspec *old_value);   timerfd_settime(2)
    public static final CIntFunction TIMERFD_SETTIME = Libc.intFunction("timerfd_settime");
    /// int timerfd_gettime(int fd, struct itimerspec *curr_value);   timerfd_gettime(2)
    public static final CIntFunction TIMERFD_GETTIME = Libc.intFunction("timerfd_gettime");

    /// struct timespec (64-bit time_t and long)
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_nsec"));
    /// struct itimerspec { struct timespec it_interval; struct timespec it_value; }
    public static final StructLayout ITIMERSPEC = MemoryLayout.structLayout(
            TIMESPEC.withName("it_interval"),
            TIMESPEC.withName("it_value"));
    /// it_interval.tv_sec
    public static final VarHandle INTERVAL_SEC = field("it_interval", "tv_sec");
    /// it_interval.tv_nsec
    public static final VarHandle INTERVAL_NSEC = field("it_interval", "tv_nsec");
    /// it_value.tv_sec
    public static final VarHandle VALUE_SEC = field("it_value", "tv_sec");
    /// it_value.tv_nsec
    public static final VarHandle VALUE_NSEC = field("it_value", "tv_nsec");

    /// CLOCK_REALTIME
    public static final int CLOCK_REALTIME = 0;
    /// CLOCK_MONOTONIC
    public static final int CLOCK_MONOTONIC = 1;
    /// CLOCK_BOOTTIME
    public static final int CLOCK_BOOTTIME = 7;
    /// TFD_NONBLOCK
    public static final int TFD_NONBLOCK = FcntlH.O_NONBLOCK;
    /// TFD_CLOEXEC
    public static final int TFD_CLOEXEC = FcntlH.O_CLOEXEC;

    private static VarHandle field(String timespec, String member) {
        return ITIMERSPEC.varHandle(PathElement.groupElement(timespec), PathElement.groupElement(member));
    }

    static {
        Abi.check("struct timespec", TIMESPEC, 16);
        Abi.check("struct itimerspec", ITIMERSPEC, 32);
    }
}
