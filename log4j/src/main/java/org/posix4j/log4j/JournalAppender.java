package org.posix4j.log4j;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.appender.AppenderLoggingException;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.posix4j.PosixException;
import org.posix4j.journal.Journal;
import org.posix4j.journal.JournalEntry;
import org.posix4j.journal.SystemdJournalHandler;

/// A Log4j 2 appender, the plugin `Posix4jJournal`, that sends every event to the systemd
/// journal as a structured entry, with posix4j's [Journal] (journald's native protocol, without
/// libsystemd or JNA). Each event becomes:
///
/// - `MESSAGE`: the layout's output less trailing line separators, or without a layout the
///   formatted message followed by `": "` and the exception (its class and message), if any;
/// - `PRIORITY`: the level mapped as [SyslogAppender#levelOf] says (FATAL 1, ERROR 3, WARN 4,
///   INFO 6, DEBUG and TRACE 7);
/// - `SYSLOG_IDENTIFIER`: the configured identifier, else the program's short name (`java`);
/// - `LOGGER_NAME` and `THREAD_NAME`: the logger's and the logging thread's names;
/// - one field per entry of the context data (`ThreadContext.put`), named after the key made
///   valid for journald by [JournalEntry#fieldNameFor(String)]: letters upper-cased, any
///   character other than a letter, digit or `_` replaced by `_`, `X` put first when the name
///   would start with a digit or `_`, cut to 64 characters (`user.id` is `USER_ID`); a key that
///   gives the name of a field listed here adds a second value to it, which journald keeps;
/// - [#MARKER]: the name of the event's marker and of its ancestors (Log4j's marker parents),
///   one value each (`journalctl MARKER=AUDIT` selects them);
/// - `STACK_TRACE`: the exception's stack trace as `printStackTrace` prints it;
/// - `CODE_FILE`, `CODE_LINE` and `CODE_FUNC` (`Class.method`), where the event was logged, when
///   `includeLocation="true"` (a stack walk per event, as with `%l` in a pattern; the logger's
///   own `includeLocation` must not be false).
///
/// Configured in `log4j2.xml` (Log4j finds the plugin in this jar by itself):
///
/// ```xml
/// <Appenders>
///   <!-- identifier default: the program's short name; includeLocation default false;
///        socket default /run/systemd/journal/socket -->
///   <Posix4jJournal name="journal" identifier="myapp" includeLocation="true"/>
/// </Appenders>
/// ```
///
/// The appender has a connection of its own, opened when built and closed by [#stop]. An event
/// that cannot be sent (no journal listening, a send error) goes to the appender's error handler
/// (Log4j's status logger), or throws [AppenderLoggingException] when `ignoreExceptions="false"`.
///
/// Thread-safe: events may be appended from any number of threads at once; each entry is one
/// datagram, so entries never interleave.
@Plugin(name = "Posix4jJournal", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE,
        printObject = true)
public final class JournalAppender extends AbstractAppender {
    /// The field holding the names of the event's marker and its ancestors, one value each.
    public static final String MARKER = "MARKER";

    private final String identifier;
    private final boolean includeLocation;
    private final StringLayout text;
    private final Journal journal;

    private JournalAppender(Builder b, StringLayout text, Journal journal) {
        super(b.getName(), b.getFilter(), text, b.isIgnoreExceptions(), Property.EMPTY_ARRAY);
        this.identifier = b.identifier;
        this.includeLocation = b.includeLocation;
        this.text = text;
        this.journal = journal;
    }

    /// A builder, which Log4j fills from the configuration's attributes and elements.
    @PluginBuilderFactory
    public static Builder newBuilder() {
        return new Builder();
    }

    /// Sends `event` as one journal entry with the fields listed on this class.
    ///
    /// @throws AppenderLoggingException if the entry cannot be sent and `ignoreExceptions` is false
    @Override
    public void append(LogEvent event) {
        JournalEntry entry = entry(event);
        String failure;
        Exception cause = null;
        try {
            if (journal.send(entry)) {
                return;
            }
            failure = "no journal listens at " + journal.path();
        } catch (PosixException | IllegalStateException e) {
            failure = "cannot send an event to the journal at " + journal.path() + ": " + e.getMessage();
            cause = e;
        }
        if (!ignoreExceptions()) {
            throw new AppenderLoggingException(failure, cause);
        }
        error(failure, event, cause);
    }

    private JournalEntry entry(LogEvent event) {
        JournalEntry entry = new JournalEntry().message(Formatting.text(event, text))
                .priority(Formatting.levelOf(event.getLevel()));
        if (identifier != null) {
            entry.identifier(identifier);
        }
        entry.field(SystemdJournalHandler.LOGGER_NAME, String.valueOf(event.getLoggerName()));
        entry.field(SystemdJournalHandler.THREAD_NAME, String.valueOf(event.getThreadName()));
        event.getContextData().forEach((k, v) -> entry.field(JournalEntry.fieldNameFor(k), String.valueOf(v)));
        Marker marker = event.getMarker();
        if (marker != null) {
            Set<String> names = new LinkedHashSet<>();
            collect(marker, names);
            names.forEach(n -> entry.field(MARKER, n));
        }
        Throwable thrown = event.getThrown();
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            entry.field(SystemdJournalHandler.STACK_TRACE, trace.toString());
        }
        if (includeLocation) {
            StackTraceElement source = event.getSource();
            if (source != null) {
                entry.codeLocation(source.getFileName(), source.getLineNumber(),
                        source.getClassName() + "." + source.getMethodName());
            }
        }
        return entry;
    }

    /// Adds the name of `marker` and of its ancestors, each once (two parents may share one).
    private static void collect(Marker marker, Set<String> names) {
        if (!names.add(marker.getName()) || marker.getParents() == null) {
            return;
        }
        for (Marker parent : marker.getParents()) {
            collect(parent, names);
        }
    }

    /// Stops appending and closes the connection.
    @Override
    public boolean stop(long timeout, TimeUnit timeUnit) {
        setStopping();
        boolean stopped = super.stop(timeout, timeUnit, false);
        try {
            journal.close();
        } catch (PosixException e) {
            LOGGER.error("Posix4jJournal {}: cannot close the connection: {}", getName(), e.getMessage());
        }
        setStopped();
        return stopped;
    }

    /// Builds a [JournalAppender] from the attributes `name` (required), `identifier`,
    /// `includeLocation`, `socket`, `ignoreExceptions` and the elements of a layout and a filter.
    ///
    /// Not thread-safe: Log4j fills it in one thread.
    public static final class Builder extends AbstractAppender.Builder<Builder>
            implements org.apache.logging.log4j.core.util.Builder<JournalAppender> {
        @PluginBuilderAttribute
        private String identifier;
        @PluginBuilderAttribute
        private boolean includeLocation;
        @PluginBuilderAttribute
        private String socket = Journal.SOCKET;

        private Builder() {}

        /// Sets `SYSLOG_IDENTIFIER`; null for the program's short name.
        public Builder setIdentifier(String identifier) {
            this.identifier = identifier;
            return this;
        }

        /// Sets whether `CODE_FILE`, `CODE_LINE` and `CODE_FUNC` are sent.
        public Builder setIncludeLocation(boolean includeLocation) {
            this.includeLocation = includeLocation;
            return this;
        }

        /// Sets the path of journald's socket, [Journal#SOCKET] by default.
        public Builder setSocket(String socket) {
            this.socket = socket;
            return this;
        }

        /// The appender, with its connection open (socket(2); nothing is sent yet); null (with
        /// the reason reported to Log4j's status logger) when the socket path is invalid, the
        /// socket cannot be made or the layout makes no text.
        @Override
        public JournalAppender build() {
            StringLayout text;
            try {
                text = Formatting.stringLayout(getLayout());
            } catch (IllegalArgumentException e) {
                LOGGER.error("Posix4jJournal {}: {}", getName(), e.getMessage());
                return null;
            }
            try {
                return new JournalAppender(this, text, Journal.open(socket));
            } catch (PosixException | IllegalArgumentException e) {
                LOGGER.error("Posix4jJournal {}: cannot open a connection to {}: {}", getName(), socket,
                        e.getMessage());
                return null;
            }
        }
    }
}
