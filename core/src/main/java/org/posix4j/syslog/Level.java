package org.posix4j.syslog;

import java.util.Locale;

/// A syslog severity, from [#EMERG] (0, most severe) to [#DEBUG] (7). The codes are glibc's
/// `LOG_*` values from <syslog.h>. Equivalent to the levels of Prosody's pposix.syslog_log
/// (`debug`, `info`, `notice`, `warn`, `error`), which [#parse] accepts.
///
/// Immutable; safe to share between threads.
public enum Level {
    /// LOG_EMERG: the system is unusable.
    EMERG,
    /// LOG_ALERT: action must be taken immediately.
    ALERT,
    /// LOG_CRIT: critical conditions.
    CRIT,
    /// LOG_ERR: error conditions (Prosody's `error`).
    ERR,
    /// LOG_WARNING: warning conditions (Prosody's `warn`).
    WARNING,
    /// LOG_NOTICE: normal but significant.
    NOTICE,
    /// LOG_INFO: informational.
    INFO,
    /// LOG_DEBUG: debugging detail.
    DEBUG;

    /// The severity number, 0 for emerg to 7 for debug.
    public int code() {
        return ordinal();
    }

    /// Whether this level is at least as severe as `other` (emerg is at least as severe as anything).
    public boolean isAtLeast(Level other) {
        return ordinal() <= other.ordinal();
    }

    /// The level named `name`, case-insensitively: the syslog names (`emerg`, `alert`, `crit`,
    /// `err`, `warning`, `notice`, `info`, `debug`), their long forms as logger(1) accepts them
    /// (`panic`, `error`, `warn`), and Prosody's `debug`/`info`/`notice`/`warn`/`error`.
    ///
    /// @throws IllegalArgumentException naming `name` when no level has that name
    public static Level parse(String name) {
        if (name == null) {
            throw new NullPointerException("level name is null");
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "emerg", "panic" -> EMERG;
            case "alert" -> ALERT;
            case "crit", "critical" -> CRIT;
            case "err", "error" -> ERR;
            case "warning", "warn" -> WARNING;
            case "notice" -> NOTICE;
            case "info" -> INFO;
            case "debug" -> DEBUG;
            default -> throw new IllegalArgumentException("level: unknown syslog level '" + name + "'");
        };
    }
}
