package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/// Raw bindings for the <unistd.h> calls on terminals. No policy here.
///
/// Apart from [UnistdH] so that a command needing none of them does not link them: see there.
public final class TerminalH {
    private TerminalH() {}

    private static final FunctionDescriptor INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT);

    /// pid_t tcgetpgrp(int fd);   tcgetpgrp(3)
    public static final MethodHandle TCGETPGRP = Libc.errnoSetting("tcgetpgrp", INT_INT);
    /// int tcsetpgrp(int fd, pid_t pgrp);   tcsetpgrp(3)
    public static final MethodHandle TCSETPGRP = Libc.errnoSetting("tcsetpgrp", INT_INT_INT);
    /// int ttyname_r(int fd, char *buf, size_t buflen);   ttyname(3); returns an error number.
    public static final MethodHandle TTYNAME_R = Libc.plain("ttyname_r",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    /// int isatty(int fd);   isatty(3)
    public static final MethodHandle ISATTY = Libc.errnoSetting("isatty", INT_INT);
}
