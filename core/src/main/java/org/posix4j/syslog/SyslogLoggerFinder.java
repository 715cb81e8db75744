package org.posix4j.syslog;

import java.text.MessageFormat;
import java.util.EnumSet;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.posix4j.journal.SystemdJournalLogger;

/// A [System.LoggerFinder] that sends [System.Logger] messages to syslog when, and only when,
/// the system property `posix4j.syslog` is set, or to the systemd journal when, and only when,
/// `posix4j.journal` is set; otherwise it hands out loggers that forward to
/// java.util.logging exactly as the JDK's own default finder does, so that having posix4j on the
/// class or module path changes nothing for applications that do not ask for it.
///
/// The JDK uses the first `System.LoggerFinder` service it finds, and posix4j declares this one
/// (in `module-info` and `META-INF/services`), hence the opt-in. Properties, read once when the
/// JDK creates the finder (at the first `System.getLogger`):
///
/// - `posix4j.syslog=IDENT`: turns syslog on; opens it with this tag, [Option#PID] and the facility.
/// - `posix4j.syslog.facility=NAME`: the facility ([Facility#parse]), default `user`.
/// - `posix4j.syslog.level=LEVEL`: the least severe `System.Logger.Level` sent (`TRACE`, `DEBUG`,
///   `INFO`, `WARNING`, `ERROR`), default `INFO`.
/// - `posix4j.journal=IDENT`: sends to the systemd journal instead, through
///   [org.posix4j.journal.SystemdJournalLogger], with this `SYSLOG_IDENTIFIER`; the caller's
///   file, line and method go as `CODE_FILE`, `CODE_LINE` and `CODE_FUNC`.
/// - `posix4j.journal.level=LEVEL`: as `posix4j.syslog.level`, for the journal.
///
/// Setting both `posix4j.syslog` and `posix4j.journal` is an error.
///
/// Levels map as ERROR to [Level#ERR], WARNING to [Level#WARNING], INFO to [Level#INFO], DEBUG
/// and TRACE to [Level#DEBUG]. A message with parameters is formatted with [MessageFormat], as
/// the JDK does; an exception is appended after `": "`.
///
/// Thread-safe, as are the loggers it returns.
public final class SyslogLoggerFinder extends System.LoggerFinder {
    /// The property that turns syslog on and names the ident.
    public static final String PROPERTY = "posix4j.syslog";
    /// The property that turns the journal on and names the identifier.
    public static final String JOURNAL_PROPERTY = "posix4j.journal";

    private final Facility facility;
    private final System.Logger.Level minimum;
    private final boolean enabled;
    /// The journal's identifier when `posix4j.journal` is set, else null.
    private final String journal;

    /// Called by the JDK's service loader; reads the properties described on this class.
    ///
    /// @throws IllegalArgumentException if `posix4j.syslog.facility` or a level property
    ///         names nothing, the ident contains a NUL character, or both `posix4j.syslog` and
    ///         `posix4j.journal` are set
    public SyslogLoggerFinder() {
        String ident = System.getProperty(PROPERTY);
        this.enabled = ident != null && !ident.isBlank();
        String journalIdent = System.getProperty(JOURNAL_PROPERTY);
        this.journal = journalIdent == null || journalIdent.isBlank() ? null : journalIdent.trim();
        if (enabled && journal != null) {
            throw new IllegalArgumentException("set " + PROPERTY + " or " + JOURNAL_PROPERTY + ", not both");
        }
        this.facility = Facility.parse(System.getProperty(PROPERTY + ".facility", "user"));
        this.minimum = level(journal == null ? PROPERTY : JOURNAL_PROPERTY);
        if (enabled) {
            Syslog.open(ident.trim(), EnumSet.of(Option.PID), facility);
        }
    }

    private static System.Logger.Level level(String prefix) {
        String level = System.getProperty(prefix + ".level", "INFO").trim().toUpperCase(Locale.ROOT);
        try {
            return System.Logger.Level.valueOf(level);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ".level: unknown System.Logger level '" + level + "'", e);
        }
    }

    /// Whether this finder sends to the systemd journal (`posix4j.journal` is set).
    public boolean isJournalEnabled() {
        return journal != null;
    }

    /// Whether this finder sends to syslog (`posix4j.syslog` is set) rather than to java.util.logging.
    public boolean isSyslogEnabled() {
        return enabled;
    }

    /// A logger named `name`: one that sends to syslog or to the journal if enabled, else one
    /// forwarding to the java.util.logging logger of that name.
    @Override
    public System.Logger getLogger(String name, Module module) {
        java.util.Objects.requireNonNull(name, "name is null");
        java.util.Objects.requireNonNull(module, "module is null");
        if (journal != null) {
            return new SystemdJournalLogger(name, journal, minimum);
        }
        return enabled
                ? new SyslogLogger(name, facility, minimum)
                : new JulLogger(java.util.logging.Logger.getLogger(name));
    }

    /// The syslog level of a System.Logger level, as described on this class.
    public static Level levelOf(System.Logger.Level level) {
        return switch (level) {
            case ERROR, OFF -> Level.ERR;
            case WARNING -> Level.WARNING;
            case INFO -> Level.INFO;
            case DEBUG, TRACE, ALL -> Level.DEBUG;
        };
    }

    private static String localize(ResourceBundle bundle, String msg) {
        if (bundle == null || msg == null) {
            return msg;
        }
        try {
            return bundle.getString(msg);
        } catch (MissingResourceException e) {
            return msg;
        }
    }

    private record SyslogLogger(String name, Facility facility, System.Logger.Level minimum) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(System.Logger.Level level) {
            return level != System.Logger.Level.OFF && level.getSeverity() >= minimum.getSeverity();
        }

        @Override
        public void log(System.Logger.Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) {
                String text = String.valueOf(localize(bundle, msg));
                Syslog.log(facility, levelOf(level), thrown == null ? text : text + ": " + thrown);
            }
        }

        @Override
        public void log(System.Logger.Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                String pattern = String.valueOf(localize(bundle, format));
                String text = params == null || params.length == 0 ? pattern : MessageFormat.format(pattern, params);
                Syslog.log(facility, levelOf(level), text);
            }
        }
    }

    /// Forwards to java.util.logging with the JDK's own level mapping (System.Logger severities
    /// are JUL's level values).
    private record JulLogger(java.util.logging.Logger jul) implements System.Logger {
        private static java.util.logging.Level julLevel(System.Logger.Level level) {
            return switch (level) {
                case ALL -> java.util.logging.Level.ALL;
                case TRACE -> java.util.logging.Level.FINER;
                case DEBUG -> java.util.logging.Level.FINE;
                case INFO -> java.util.logging.Level.INFO;
                case WARNING -> java.util.logging.Level.WARNING;
                case ERROR -> java.util.logging.Level.SEVERE;
                case OFF -> java.util.logging.Level.OFF;
            };
        }

        @Override
        public String getName() {
            return jul.getName();
        }

        @Override
        public boolean isLoggable(System.Logger.Level level) {
            return jul.isLoggable(julLevel(level));
        }

        @Override
        public void log(System.Logger.Level level, Supplier<String> msgSupplier) {
            jul.log(julLevel(level), msgSupplier);
        }

        @Override
        public void log(System.Logger.Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            jul.logrb(julLevel(level), bundle, msg, thrown);
        }

        @Override
        public void log(System.Logger.Level level, ResourceBundle bundle, String format, Object... params) {
            jul.logrb(julLevel(level), bundle, format, params);
        }
    }
}
