package org.posix4j.log4j;

import java.io.Serializable;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.message.Message;
import org.posix4j.syslog.Level;

/// What the two appenders share: the level mapping and the text of an event.
final class Formatting {
    private Formatting() {}

    /// The syslog level of a Log4j level, as [SyslogAppender#levelOf] documents.
    static Level levelOf(org.apache.logging.log4j.Level level) {
        return switch (level.getStandardLevel()) {
            case OFF -> Level.EMERG;
            case FATAL -> Level.ALERT;
            case ERROR -> Level.ERR;
            case WARN -> Level.WARNING;
            case INFO -> Level.INFO;
            case DEBUG, TRACE, ALL -> Level.DEBUG;
        };
    }

    /// The text of `event`: the layout's output less the line separators a pattern usually ends
    /// with, or without a layout (null) the formatted message followed by `": "` and the
    /// exception's class and message, if any.
    static String text(LogEvent event, StringLayout layout) {
        if (layout != null) {
            String s = layout.toSerializable(event);
            int end = s.length();
            while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
                end--;
            }
            return s.substring(0, end);
        }
        Message m = event.getMessage();
        String message = m == null ? "null" : String.valueOf(m.getFormattedMessage());
        Throwable thrown = event.getThrown();
        return thrown == null ? message : message + ": " + thrown;
    }

    /// `layout` as a [StringLayout], null for none; throws for another kind, which gives no text.
    static StringLayout stringLayout(Layout<? extends Serializable> layout) {
        if (layout == null || layout instanceof StringLayout) {
            return (StringLayout) layout;
        }
        throw new IllegalArgumentException("the layout " + layout.getClass().getName()
                + " makes no text; give a text layout such as <PatternLayout pattern=\"...\"/>");
    }
}
