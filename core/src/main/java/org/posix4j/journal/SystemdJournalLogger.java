package org.posix4j.journal;

import java.text.MessageFormat;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;
import org.posix4j.PosixException;
import org.posix4j.syslog.SyslogLoggerFinder;

/// A [System.Logger] that sends to the systemd journal through the process's connection, with
/// the fields of [SystemdJournalHandler] (`MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`,
/// `LOGGER_NAME`, `THREAD_NAME`, `STACK_TRACE`) and the caller's `CODE_FILE`, `CODE_LINE` and
/// `CODE_FUNC`, found on the stack. Levels map as [SyslogLoggerFinder#levelOf]; a message with
/// parameters is formatted with [MessageFormat], as the JDK does.
///
/// [SyslogLoggerFinder] hands these out when the system property `posix4j.journal` is set (see
/// there); they can also be created directly.
///
/// A message that cannot be sent (no journald running, a send error) is dropped, as
/// sd_journal_send drops it when journald is absent: logging never fails the caller.
///
/// Thread-safe.
public final class SystemdJournalLogger implements System.Logger {
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final String name;
    private final String identifier;
    private final Level minimum;

    /// A logger named `name` that sends records at `minimum` or more severe, with `identifier` as
    /// `SYSLOG_IDENTIFIER` (null: the program's short name).
    ///
    /// @throws NullPointerException if `name` or `minimum` is null
    public SystemdJournalLogger(String name, String identifier, Level minimum) {
        this.name = Objects.requireNonNull(name, "name is null");
        this.identifier = identifier;
        this.minimum = Objects.requireNonNull(minimum, "minimum is null");
    }

    /// The logger's name, sent as `LOGGER_NAME`.
    @Override
    public String getName() {
        return name;
    }

    /// Whether `level` is at least as severe as this logger's minimum (OFF never is).
    @Override
    public boolean isLoggable(Level level) {
        return level != Level.OFF && level.getSeverity() >= minimum.getSeverity();
    }

    /// Sends `msg` (looked up in `bundle` if any) with `thrown`'s stack trace.
    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        if (isLoggable(level)) {
            String text = String.valueOf(localize(bundle, msg));
            send(level, thrown == null ? text : text + ": " + thrown, thrown);
        }
    }

    /// Sends `format` (looked up in `bundle` if any) formatted with `params` by [MessageFormat].
    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(level)) {
            String pattern = String.valueOf(localize(bundle, format));
            send(level, params == null || params.length == 0 ? pattern : MessageFormat.format(pattern, params), null);
        }
    }

    private void send(Level level, String text, Throwable thrown) {
        JournalEntry entry = Records.entry(identifier, SyslogLoggerFinder.levelOf(level), text, name, thrown);
        caller().ifPresent(f -> entry.codeLocation(f.getFileName(), f.getLineNumber(),
                f.getClassName() + "." + f.getMethodName()));
        try {
            entry.send();
        } catch (PosixException | RuntimeException e) {
            // Dropped, as documented: a logger that throws would break the code that logs.
        }
    }

    /// The first frame outside this class and System.Logger's default methods: the code that logged.
    private static Optional<StackWalker.StackFrame> caller() {
        return WALKER.walk(frames -> frames
                .filter(f -> !f.getClassName().equals(SystemdJournalLogger.class.getName())
                        && !f.getClassName().equals(System.Logger.class.getName()))
                .findFirst());
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
}
