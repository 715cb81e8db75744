package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/// Raw bindings for the <unistd.h> calls on process groups and sessions. No policy here.
///
/// Apart from [UnistdH] so that a command needing none of them does not link them: see there.
public final class SessionH {
    private SessionH() {}

    private static final FunctionDescriptor INT_VOID = FunctionDescriptor.of(JAVA_INT);
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    /// pid_t getpgid(pid_t pid);   getpgid(2)
    public static final CIntFunction GETPGID = Libc.intFunction("getpgid");
    /// pid_t getpgrp(void);   getpgrp(2)
    public static final MethodHandle GETPGRP = Libc.plain("getpgrp", INT_VOID, CRITICAL);
    /// int setpgid(pid_t pid, pid_t pgid);   setpgid(2)
    public static final CIntFunction SETPGID = Libc.intFunction("setpgid");
    /// pid_t getsid(pid_t pid);   getsid(2)
    public static final CIntFunction GETSID = Libc.intFunction("getsid");
    /// pid_t setsid(void);   setsid(2)
    public static final CIntFunction SETSID = Libc.intFunction("setsid");
}
