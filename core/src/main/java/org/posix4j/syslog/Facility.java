package org.posix4j.syslog;

import java.util.Locale;

/// A syslog facility: which part of the system a message comes from, which the daemon uses to
/// route it. The codes are glibc's `LOG_*` values from <syslog.h> (the facility number shifted
/// left by three). Equivalent to Netsys_posix.syslog_facility and the facility names of
/// Prosody's pposix.syslog_open.
///
/// Immutable; safe to share between threads.
public enum Facility {
    /// LOG_KERN. Reserved for the kernel: glibc's syslog(3) replaces facility 0 with the facility
    /// given to openlog (user by default), so a process cannot send a kern message through it.
    KERN(0),
    /// LOG_USER, the default.
    USER(1),
    /// LOG_MAIL
    MAIL(2),
    /// LOG_DAEMON
    DAEMON(3),
    /// LOG_AUTH
    AUTH(4),
    /// LOG_SYSLOG
    SYSLOG(5),
    /// LOG_LPR
    LPR(6),
    /// LOG_NEWS
    NEWS(7),
    /// LOG_UUCP
    UUCP(8),
    /// LOG_CRON
    CRON(9),
    /// LOG_AUTHPRIV
    AUTHPRIV(10),
    /// LOG_FTP
    FTP(11),
    /// LOG_LOCAL0
    LOCAL0(16),
    /// LOG_LOCAL1
    LOCAL1(17),
    /// LOG_LOCAL2
    LOCAL2(18),
    /// LOG_LOCAL3
    LOCAL3(19),
    /// LOG_LOCAL4
    LOCAL4(20),
    /// LOG_LOCAL5
    LOCAL5(21),
    /// LOG_LOCAL6
    LOCAL6(22),
    /// LOG_LOCAL7
    LOCAL7(23);

    private final int number;

    Facility(int number) {
        this.number = number;
    }

    /// The facility number as syslog daemons show it (0 for kern, 1 for user, 16 for local0).
    public int number() {
        return number;
    }

    /// The `LOG_*` constant: [#number()] shifted left by three, as openlog(3) and syslog(3) take it.
    public int code() {
        return number << 3;
    }

    /// The facility named `name`, case-insensitively, as logger(1) and Prosody spell it
    /// (`daemon`, `local3`); also accepts the deprecated `security` for auth.
    ///
    /// @throws IllegalArgumentException naming `name` when no facility has that name
    public static Facility parse(String name) {
        if (name == null) {
            throw new NullPointerException("facility name is null");
        }
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.equals("SECURITY")) {
            return AUTH;
        }
        for (Facility f : values()) {
            if (f.name().equals(n)) {
                return f;
            }
        }
        throw new IllegalArgumentException("facility: unknown syslog facility '" + name + "'");
    }
}
