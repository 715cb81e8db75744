package org.posix4j.journal;

import java.util.Objects;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.posix4j.PosixException;
import org.posix4j.internal.LogFormat;
import org.posix4j.syslog.SyslogHandler;

/// A java.util.logging [Handler] that sends every record to the systemd journal as a structured
/// entry ([JournalEntry]), through the process's connection to [Journal#SOCKET]:
///
/// - `MESSAGE`: the formatted message, then `": "` and the exception if any;
/// - `PRIORITY`: the level mapped as [SyslogHandler#levelOf] does (SEVERE and above to 3, err;
///   WARNING to 4; INFO to 6; CONFIG and below to 7, debug);
/// - `SYSLOG_IDENTIFIER`: the configured identifier, else the program's short name (`java`);
/// - [#LOGGER_NAME]: the logger's name; [#THREAD_NAME]: the name of the thread that publishes
///   the record (JUL publishes in the thread that logs);
/// - [#STACK_TRACE]: the exception's whole stack trace, as `printStackTrace` prints it;
/// - `CODE_FUNC`: the source class and method (`com.example.Server.start`), which JUL infers
///   from the stack when the record does not say; JUL knows no file or line, so `CODE_FILE` and
///   `CODE_LINE` are left out.
///
/// Configured in `logging.properties` (all optional):
///
/// ```
/// handlers = org.posix4j.journal.SystemdJournalHandler
/// org.posix4j.journal.SystemdJournalHandler.identifier = myapp
/// org.posix4j.journal.SystemdJournalHandler.level = INFO       # default ALL
/// org.posix4j.journal.SystemdJournalHandler.formatter = ...    # default: the message and the exception
/// ```
///
/// A record that cannot be sent (no journald running, a send error) is reported to the
/// handler's [ErrorManager], which by default prints the first such report to stderr.
///
/// Thread-safe: records may be published from any thread.
public final class SystemdJournalHandler extends Handler {
    /// The field holding the logger's name.
    public static final String LOGGER_NAME = "LOGGER_NAME";
    /// The field holding the name of the thread that logged.
    public static final String THREAD_NAME = "THREAD_NAME";
    /// The field holding an exception's stack trace.
    public static final String STACK_TRACE = "STACK_TRACE";

    private final String identifier;

    /// A handler configured from the LogManager properties described above.
    ///
    /// @throws IllegalArgumentException if the configured level or formatter is invalid
    public SystemdJournalHandler() {
        LogManager manager = LogManager.getLogManager();
        String prefix = SystemdJournalHandler.class.getName() + ".";
        String configured = manager.getProperty(prefix + "identifier");
        this.identifier = configured == null ? null : configured.trim();
        String level = manager.getProperty(prefix + "level");
        setLevel(level == null ? java.util.logging.Level.ALL : java.util.logging.Level.parse(level.trim()));
        setFormatter(LogFormat.configured(manager.getProperty(prefix + "formatter")));
    }

    /// A handler that sends with `identifier` as `SYSLOG_IDENTIFIER`, the level ALL and the
    /// default format.
    ///
    /// @throws NullPointerException if `identifier` is null
    public SystemdJournalHandler(String identifier) {
        this.identifier = Objects.requireNonNull(identifier, "identifier is null");
        setFormatter(LogFormat.message());
    }

    /// Sends `record` to the journal as described on this class.
    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        JournalEntry entry;
        try {
            entry = Records.entry(identifier, SyslogHandler.levelOf(record.getLevel()), getFormatter().format(record),
                    record.getLoggerName(), record.getThrown());
        } catch (RuntimeException e) {
            reportError("cannot format a record", e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        String sourceClass = record.getSourceClassName();
        String sourceMethod = record.getSourceMethodName();
        if (sourceClass != null) {
            entry.codeLocation(null, 0, sourceMethod == null ? sourceClass : sourceClass + "." + sourceMethod);
        }
        try {
            if (!entry.send()) {
                reportError("no journal listens at " + Journal.SOCKET, null, ErrorManager.WRITE_FAILURE);
            }
        } catch (PosixException | RuntimeException e) {
            reportError("cannot send a record to the journal", e, ErrorManager.WRITE_FAILURE);
        }
    }

    /// Does nothing: every record is sent at once.
    @Override
    public void flush() {}

    /// Does nothing: the process's connection to the journal stays open for other users.
    @Override
    public void close() {}
}
