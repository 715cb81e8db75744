package org.posix4j.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAware;
import org.posix4j.syslog.Level;

/// What the two appenders share: the level mapping and the text of an event.
final class Formatting {
    private Formatting() {}

    /// The syslog level of a Logback level, as [SyslogAppender#levelOf] documents.
    static Level levelOf(ch.qos.logback.classic.Level level) {
        int v = level.toInt();
        if (v >= ch.qos.logback.classic.Level.ERROR_INT) {
            return Level.ERR;
        }
        if (v >= ch.qos.logback.classic.Level.WARN_INT) {
            return Level.WARNING;
        }
        if (v >= ch.qos.logback.classic.Level.INFO_INT) {
            return Level.INFO;
        }
        return Level.DEBUG;
    }

    /// The layout to format with: `layout` if set, else the layout of `encoder` if it wraps one
    /// (`<encoder><pattern>` makes a PatternLayoutEncoder), else null for the default text.
    /// Reports an encoder without a layout to `owner`'s status manager and answers null for it.
    static Layout<ILoggingEvent> layout(Layout<ILoggingEvent> layout, Encoder<ILoggingEvent> encoder,
            ContextAware owner) {
        if (layout != null || encoder == null) {
            return layout;
        }
        if (encoder instanceof LayoutWrappingEncoder<ILoggingEvent> wrapping && wrapping.getLayout() != null) {
            return wrapping.getLayout();
        }
        owner.addError("the encoder " + encoder.getClass().getName()
                + " has no layout; only a layout-wrapping encoder such as <encoder><pattern>...</pattern></encoder>"
                + " gives a text to send");
        return null;
    }

    /// The text of `event`: the layout's output less the line separators a pattern usually ends
    /// with, or without a layout the formatted message followed by `": "` and the exception's class
    /// and message, if any.
    static String text(ILoggingEvent event, Layout<ILoggingEvent> layout) {
        if (layout != null) {
            String s = layout.doLayout(event);
            int end = s.length();
            while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
                end--;
            }
            return s.substring(0, end);
        }
        String message = String.valueOf(event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown == null) {
            return message;
        }
        return message + ": " + thrown.getClassName() + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage());
    }
}
