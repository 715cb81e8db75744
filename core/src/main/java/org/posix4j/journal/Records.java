package org.posix4j.journal;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.posix4j.syslog.Level;

/// The entry the JUL handler and the System.Logger route send for one log record.
final class Records {
    private Records() {}

    static JournalEntry entry(String identifier, Level priority, String message, String loggerName,
            Throwable thrown) {
        JournalEntry entry = JournalEntry.of(message).priority(priority);
        if (identifier != null) {
            entry.identifier(identifier);
        }
        if (loggerName != null) {
            entry.field(SystemdJournalHandler.LOGGER_NAME, loggerName);
        }
        entry.field(SystemdJournalHandler.THREAD_NAME, Thread.currentThread().getName());
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter w = new PrintWriter(trace)) {
                thrown.printStackTrace(w);
            }
            entry.field(SystemdJournalHandler.STACK_TRACE, trace.toString());
        }
        return entry;
    }
}
