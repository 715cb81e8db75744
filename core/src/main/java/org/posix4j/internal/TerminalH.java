package org.posix4j.internal;

/// Raw bindings for the <unistd.h> calls on terminals. No policy here.
///
/// Apart from [UnistdH] so that a command needing none of them does not link them: see there.
public final class TerminalH {
    private TerminalH() {}

    /// pid_t tcgetpgrp(int fd);   tcgetpgrp(3)
    public static final CIntFunction TCGETPGRP = Libc.intFunction("tcgetpgrp");
    /// int tcsetpgrp(int fd, pid_t pgrp);   tcsetpgrp(3)
    public static final CIntFunction TCSETPGRP = Libc.intFunction("tcsetpgrp");
    /// int ttyname_r(int fd, char *buf, size_t buflen);   ttyname(3); returns an error number.
    public static final CIntFunction TTYNAME_R = Libc.intFunction("ttyname_r");
    /// int isatty(int fd);   isatty(3)
    public static final CIntFunction ISATTY = Libc.intFunction("isatty");
}
