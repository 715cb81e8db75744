package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/// Raw bindings for <syslog.h>. No policy here. None of these functions reports an error:
/// glibc drops a message it cannot deliver.
public final class SyslogH {
    private SyslogH() {}

    /// void openlog(const char *ident, int option, int facility);   openlog(3). glibc keeps the
    /// `ident` pointer until the next openlog or closelog.
    public static final MethodHandle OPENLOG = Libc.plain("openlog",
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT));
    /// void syslog(int priority, const char *format, ...);   syslog(3). Bound for exactly one
    /// `const char *` variadic argument: callers pass the format "%s" and the message.
    public static final MethodHandle SYSLOG = Libc.plain("syslog",
            FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, ADDRESS),
            Linker.Option.firstVariadicArg(2));
    /// void closelog(void);   closelog(3)
    public static final MethodHandle CLOSELOG = Libc.plain("closelog", FunctionDescriptor.ofVoid());
    /// int setlogmask(int mask);   setlogmask(3). Answers the previous mask; 0 leaves it unchanged.
    public static final MethodHandle SETLOGMASK = Libc.plain("setlogmask",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
}
