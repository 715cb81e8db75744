package org.posix4j.internal;

/// Raw bindings for <syslog.h>. No policy here. None of these functions reports an error:
/// glibc drops a message it cannot deliver.
public final class SyslogH {
    private SyslogH() {}

    /// void openlog(const char *ident, int option, int facility);   openlog(3). glibc keeps the
    /// `ident` pointer until the next openlog or closelog.
    public static final CIntFunction OPENLOG = Libc.intFunction("openlog");
    /// void syslog(int priority, const char *format, ...);   syslog(3). Bound for exactly one
    /// `const char *` variadic argument: callers pass the format "%s" and the message.
    public static final CIntFunction SYSLOG = Libc.intFunction("syslog");
    /// void closelog(void);   closelog(3)
    public static final CIntFunction CLOSELOG = Libc.intFunction("closelog");
    /// int setlogmask(int mask);   setlogmask(3). Answers the previous mask; 0 leaves it unchanged.
    public static final CIntFunction SETLOGMASK = Libc.intFunction("setlogmask");
}
