package org.posix4j.syslog;

/// An openlog(3) option. The codes are glibc's `LOG_*` values from <syslog.h>. Equivalent to
/// Netsys_posix.syslog_option.
///
/// Immutable; safe to share between threads.
public enum Option {
    /// LOG_PID: put the process id in every message (`tag[pid]:`).
    PID(0x01),
    /// LOG_CONS: write to the console when the syslog daemon cannot be reached.
    CONS(0x02),
    /// LOG_ODELAY: connect to the daemon on the first message (the default).
    ODELAY(0x04),
    /// LOG_NDELAY: connect to the daemon at once, in [Syslog#open].
    NDELAY(0x08),
    /// LOG_NOWAIT: historical, ignored by glibc (it never waits for children).
    NOWAIT(0x10),
    /// LOG_PERROR: also write every message to standard error.
    PERROR(0x20);

    private final int code;

    Option(int code) {
        this.code = code;
    }

    /// The `LOG_*` bit.
    public int code() {
        return code;
    }
}
