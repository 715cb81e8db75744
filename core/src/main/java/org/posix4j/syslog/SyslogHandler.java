package org.posix4j.syslog;

import java.util.EnumSet;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.posix4j.internal.LogFormat;

/// A java.util.logging [Handler] that sends every record to syslog through [Syslog], so that
/// code logging with JUL reaches syslog by configuration only. Levels map as: SEVERE and above
/// to [Level#ERR], WARNING to [Level#WARNING], INFO to [Level#INFO], and CONFIG, FINE, FINER
/// and FINEST, all below INFO, to [Level#DEBUG].
///
/// Configured in `logging.properties` (all optional):
///
/// ```
/// handlers = org.posix4j.syslog.SyslogHandler
/// org.posix4j.syslog.SyslogHandler.ident = myapp      # opens syslog with this tag and PID
/// org.posix4j.syslog.SyslogHandler.facility = daemon  # default user
/// org.posix4j.syslog.SyslogHandler.level = INFO       # default ALL
/// org.posix4j.syslog.SyslogHandler.formatter = ...    # default: the message and the exception
/// ```
///
/// With an ident the handler calls [Syslog#open] with [Option#PID] and the facility when it is
/// created; without one it logs through whatever [Syslog#open] set up (or libc's defaults) with
/// the configured facility. [#close()] closes syslog only if this handler opened it.
///
/// Thread-safe: records may be published from any thread.
public final class SyslogHandler extends Handler {
    private final Facility facility;
    private final boolean opened;

    /// A handler configured from the LogManager properties described above.
    ///
    /// @throws IllegalArgumentException if the configured facility is unknown or the ident
    ///         contains a NUL character
    public SyslogHandler() {
        LogManager manager = LogManager.getLogManager();
        String prefix = SyslogHandler.class.getName() + ".";
        String ident = manager.getProperty(prefix + "ident");
        String facilityName = manager.getProperty(prefix + "facility");
        this.facility = facilityName == null ? Facility.USER : Facility.parse(facilityName);
        String level = manager.getProperty(prefix + "level");
        setLevel(level == null ? java.util.logging.Level.ALL : java.util.logging.Level.parse(level.trim()));
        setFormatter(LogFormat.configured(manager.getProperty(prefix + "formatter")));
        this.opened = ident != null;
        if (opened) {
            Syslog.open(ident.trim(), EnumSet.of(Option.PID), facility);
        }
    }

    /// A handler that logs with `facility` through whatever [Syslog#open] set up, without
    /// opening or closing syslog itself; its level is ALL.
    public SyslogHandler(Facility facility) {
        this.facility = java.util.Objects.requireNonNull(facility, "facility is null");
        this.opened = false;
        setFormatter(LogFormat.message());
    }

    /// The syslog level of a JUL level, as described on this class.
    public static Level levelOf(java.util.logging.Level level) {
        int v = level.intValue();
        if (v >= java.util.logging.Level.SEVERE.intValue()) {
            return Level.ERR;
        }
        if (v >= java.util.logging.Level.WARNING.intValue()) {
            return Level.WARNING;
        }
        if (v >= java.util.logging.Level.INFO.intValue()) {
            return Level.INFO;
        }
        return Level.DEBUG;
    }

    /// Formats `record` and sends it to syslog at the mapped level with this handler's facility.
    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        String text;
        try {
            text = getFormatter().format(record);
        } catch (RuntimeException e) {
            reportError("cannot format a record", e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        try {
            Syslog.log(facility, levelOf(record.getLevel()), text);
        } catch (RuntimeException e) {
            reportError("cannot send a record to syslog", e, ErrorManager.WRITE_FAILURE);
        }
    }

    /// Does nothing: syslog(3) sends every message at once.
    @Override
    public void flush() {}

    /// Closes syslog ([Syslog#close]) if this handler opened it.
    @Override
    public void close() {
        if (opened) {
            Syslog.close();
        }
    }
}
