package org.posix4j.internal;

import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/// The message format of the library's JUL handlers (syslog and the journal), which send the
/// message alone: the daemon adds the time, host and level.
public final class LogFormat {
    private LogFormat() {}

    /// The formatter a handler's `formatter` property names (a class with a public no-argument
    /// constructor, loaded by the system class loader), or [#message()] when it names none.
    ///
    /// @throws IllegalArgumentException if the class cannot be loaded or made, or is no Formatter
    public static Formatter configured(String className) {
        if (className == null) {
            return message();
        }
        try {
            return (Formatter) ClassLoader.getSystemClassLoader().loadClass(className.trim())
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("formatter: cannot create " + className + ": " + e, e);
        }
    }

    /// A formatter of the record's message with its parameters, and `": " + thrown` when it
    /// carries a throwable.
    public static Formatter message() {
        return new MessageFormatter();
    }

    private static final class MessageFormatter extends SimpleFormatter {
        @Override
        public String format(LogRecord record) {
            String message = formatMessage(record);
            Throwable thrown = record.getThrown();
            return thrown == null ? message : message + ": " + thrown;
        }
    }
}
