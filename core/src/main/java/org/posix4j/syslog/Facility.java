package org.posix4j.syslog;

import java.util.Locale;

/// A syslog facility: which part of the system a message comes from, which the daemon uses to
/// route it. The codes are glibc's `LOG_*` values from <syslog.h> (the facility number shifted
/// left by three). Equivalent to Netsys_posix.syslog_facility and the facility names of
/// Prosody's pposix.syslog_open.
///
/// Immutable; safe to share between threads.
public enum Facility {
    /// LOG_KERN, facility 0, which syslog(3) takes for "no facility": it replaces it with the
    /// facility given to openlog. glibc 2.36 (Debian 12) also takes LOG_KERN in openlog(3) as a
    /// facility like any other, so after `Syslog.open(..., KERN)` messages go out as kern
    /// (checked with a C program: `openlog(id, 0, LOG_KERN); syslog(LOG_INFO, ...)` sends
    /// `<6>`, kern.info); older glibc releases ignored it there and kept the previous facility.
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
    LOCAL7(23),
    /// No facility of its own: keep the facility given to openlog. Equivalent to
    /// Netsys_posix.syslog_facility's `Default`. [Syslog#log(Facility, Level, String)] sends the
    /// message without facility bits, which syslog(3) replaces with the open facility;
    /// [Syslog#open] keeps the facility of the previous `open` (user before the first). Its
    /// [#number()] is -1 and its [#code()] 0.
    DEFAULT(-1);

    private final int number;

    Facility(int number) {
        this.number = number;
    }

    /// The facility number as syslog daemons show it (0 for kern, 1 for user, 16 for local0);
    /// -1 for [#DEFAULT].
    public int number() {
        return number;
    }

    /// The `LOG_*` constant: [#number()] shifted left by three, as openlog(3) and syslog(3) take
    /// it; 0 (no facility bits) for [#DEFAULT].
    public int code() {
        return this == DEFAULT ? 0 : number << 3;
    }

    /// The facility named `name`, case-insensitively, as logger(1) and Prosody spell it
    /// (`daemon`, `local3`); also accepts the deprecated `security` for auth, and `default` for
    /// [#DEFAULT].
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
