package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/// Raw bindings for <time.h>. No policy here.
public final class TimeH {
    private TimeH() {}

    /// int clock_gettime(clockid_t clockid, struct timespec *tp);   clock_gettime(2)
    public static final CIntFunction CLOCK_GETTIME = Libc.intFunction("clock_gettime");

    /// struct timespec { time_t tv_sec; long tv_nsec; }
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec")).withName("timespec");

    /// CLOCK_MONOTONIC
    public static final int CLOCK_MONOTONIC = 1;

    static {
        Abi.check("timespec", TIMESPEC, 16);
    }
}
