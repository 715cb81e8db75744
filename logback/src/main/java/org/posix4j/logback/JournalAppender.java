package org.posix4j.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.util.List;
import java.util.Map;
import org.posix4j.PosixException;
import org.posix4j.journal.Journal;
import org.posix4j.journal.JournalEntry;
import org.posix4j.journal.SystemdJournalHandler;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/// A Logback appender that sends every event to the systemd journal as a structured entry, with
/// posix4j's [Journal] (journald's native protocol, without libsystemd). Each event becomes:
///
/// - `MESSAGE`: the layout's output less trailing line separators, or without a layout the
///   formatted message followed by `": "` and the exception's class and message, if any;
/// - `PRIORITY`: the level mapped as [SyslogAppender#levelOf] says (ERROR 3, WARN 4, INFO 6,
///   DEBUG and TRACE 7);
/// - `SYSLOG_IDENTIFIER`: the configured identifier, else the program's short name (`java`);
/// - `LOGGER_NAME` and `THREAD_NAME`: the logger's and the logging thread's names;
/// - one field per MDC entry and per key-value pair of SLF4J's fluent API (`addKeyValue`), named
///   after the key made valid for journald by [JournalEntry#fieldNameFor(String)]: letters
///   upper-cased, any character other than a letter, digit or `_` replaced by `_`, `X` put first
///   when the name would start with a digit or `_`, cut to 64 characters (`user.id` is
///   `USER_ID`); a key that gives the name of a field above adds a second value to it, which
///   journald keeps;
/// - [#MARKER]: the name of each marker of the event (`addMarker`, or the marker argument), one
///   value each (`journalctl MARKER=AUDIT` selects them);
/// - `STACK_TRACE`: the exception's stack trace as Logback prints it, causes included;
/// - `CODE_FILE`, `CODE_LINE` and `CODE_FUNC` (`Class.method`), where the event was logged, when
///   `includeCallerData` is on (it costs a stack walk per event, as with Logback's `%caller`).
///
/// Configured in `logback.xml`:
///
/// ```xml
/// <appender name="JOURNAL" class="org.posix4j.logback.JournalAppender">
///   <identifier>myapp</identifier>            <!-- default: the program's short name -->
///   <includeCallerData>true</includeCallerData> <!-- default false -->
///   <socket>/run/systemd/journal/socket</socket> <!-- the default -->
/// </appender>
/// ```
///
/// The appender has a connection of its own, opened by [#start] and closed by [#stop]. An
/// event that cannot be sent (no journal listening, a send error) is reported to Logback's
/// status manager, once until a send succeeds again.
///
/// Thread-safe: events may be appended from any number of threads at once; each entry is one
/// datagram, so entries never interleave.
public final class JournalAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    /// The field holding the names of the event's markers, one value per marker.
    public static final String MARKER = "MARKER";

    private String identifier;
    private String socket = Journal.SOCKET;
    private boolean includeCallerData;
    private Layout<ILoggingEvent> layout;
    private Encoder<ILoggingEvent> encoder;
    private volatile Layout<ILoggingEvent> effectiveLayout;
    private volatile Journal journal;
    /// Whether the last send failed: later failures are not reported again until one succeeds.
    private volatile boolean failing;

    /// An appender with the defaults above; Logback calls the setters, then [#start].
    public JournalAppender() {}

    /// Sets `SYSLOG_IDENTIFIER` (`<identifier>`); null or unset for the program's short name.
    public void setIdentifier(String identifier) {
        this.identifier = identifier;
    }

    /// The identifier set, or null.
    public String getIdentifier() {
        return identifier;
    }

    /// Sets the path of journald's socket (`<socket>`), [Journal#SOCKET] by default.
    public void setSocket(String socket) {
        this.socket = socket;
    }

    /// The socket path.
    public String getSocket() {
        return socket;
    }

    /// Whether to send `CODE_FILE`, `CODE_LINE` and `CODE_FUNC` (`<includeCallerData>`).
    public void setIncludeCallerData(boolean includeCallerData) {
        this.includeCallerData = includeCallerData;
    }

    /// Whether the code location is sent.
    public boolean isIncludeCallerData() {
        return includeCallerData;
    }

    /// Sets the layout that makes `MESSAGE` (`<layout>`, a PatternLayout unless a class is named).
    public void setLayout(Layout<ILoggingEvent> layout) {
        this.layout = layout;
    }

    /// The layout set, or null.
    public Layout<ILoggingEvent> getLayout() {
        return layout;
    }

    /// Sets an encoder whose layout makes `MESSAGE` (`<encoder><pattern>`); a [#setLayout layout]
    /// wins over it.
    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    /// The encoder set, or null.
    public Encoder<ILoggingEvent> getEncoder() {
        return encoder;
    }

    /// Opens the connection to the socket (socket(2); nothing is sent yet, so a journal that
    /// is not running shows only with the first event). Reports a failure and does not start then.
    @Override
    public void start() {
        try {
            journal = Journal.open(socket);
        } catch (PosixException | IllegalArgumentException e) {
            addError("cannot start appender " + getName() + ": " + e.getMessage(), e);
            return;
        }
        effectiveLayout = Formatting.layout(layout, encoder, this);
        failing = false;
        super.start();
    }

    /// Stops appending and closes the connection.
    @Override
    public void stop() {
        super.stop();
        Journal j = journal;
        if (j != null) {
            journal = null;
            try {
                j.close();
            } catch (PosixException e) {
                addError("cannot close the connection of appender " + getName(), e);
            }
        }
    }

    /// Sends `event` as one journal entry with the fields listed on this class.
    @Override
    protected void append(ILoggingEvent event) {
        Journal j = journal;
        if (j == null) {
            return;
        }
        JournalEntry entry = entry(event);
        try {
            if (j.send(entry)) {
                failing = false;
            } else {
                report("no journal listens at " + socket, null);
            }
        } catch (PosixException | IllegalStateException e) {
            report("cannot send an event to the journal at " + socket, e);
        }
    }

    private JournalEntry entry(ILoggingEvent event) {
        JournalEntry entry = new JournalEntry().message(Formatting.text(event, effectiveLayout))
                .priority(Formatting.levelOf(event.getLevel()));
        if (identifier != null) {
            entry.identifier(identifier);
        }
        entry.field(SystemdJournalHandler.LOGGER_NAME, String.valueOf(event.getLoggerName()));
        entry.field(SystemdJournalHandler.THREAD_NAME, String.valueOf(event.getThreadName()));
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach((k, v) -> entry.field(JournalEntry.fieldNameFor(k), String.valueOf(v)));
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair p : pairs) {
                entry.field(JournalEntry.fieldNameFor(p.key), String.valueOf(p.value));
            }
        }
        List<Marker> markers = event.getMarkerList();
        if (markers != null) {
            for (Marker m : markers) {
                entry.field(MARKER, m.getName());
            }
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            entry.field(SystemdJournalHandler.STACK_TRACE, ThrowableProxyUtil.asString(thrown));
        }
        if (includeCallerData) {
            StackTraceElement[] caller = event.getCallerData();
            if (caller != null && caller.length > 0) {
                StackTraceElement c = caller[0];
                entry.codeLocation(c.getFileName(), c.getLineNumber(), c.getClassName() + "." + c.getMethodName());
            }
        }
        return entry;
    }

    private void report(String what, Exception e) {
        if (!failing) {
            failing = true;
            addError(what, e);
        }
    }
}
