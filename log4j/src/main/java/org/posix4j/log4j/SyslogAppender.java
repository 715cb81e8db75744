package org.posix4j.log4j;

import java.util.EnumSet;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.posix4j.syslog.Facility;
import org.posix4j.syslog.Level;
import org.posix4j.syslog.Option;
import org.posix4j.syslog.Syslog;

/// A Log4j 2 appender, the plugin `Posix4jSyslog`, that sends every event to the local syslog
/// daemon through `/dev/log`, with posix4j's [Syslog] (libc's syslog(3)), where Log4j's own
/// `Syslog` appender speaks only UDP, TCP or TLS. A message is one datagram on a unix socket:
/// when the daemon falls behind, logging waits for it instead of losing messages.
///
/// Configured in `log4j2.xml` (Log4j finds the plugin in this jar by itself):
///
/// ```xml
/// <Appenders>
///   <!-- ident default: the program name, "java"; facility default user; pid default false -->
///   <Posix4jSyslog name="syslog" ident="myapp" facility="local0" pid="true">
///     <PatternLayout pattern="%c{1}: %m"/>  <!-- default: the message, ": " and the exception -->
///   </Posix4jSyslog>
/// </Appenders>
/// ```
///
/// The message is the layout's output less the line separators a pattern usually ends with; a
/// message of several lines stays one syslog message (rsyslog shows the newlines as `#012`). A
/// PatternLayout appends the stack trace unless its pattern says otherwise (`%ex`, `%xEx{0}`,
/// `alwaysWriteExceptions="false"`). Levels map as [#levelOf] says.
///
/// The ident and the `pid` option are process-wide (openlog(3) keeps one of each per process):
/// [#start] opens the log with them, so the appender started last sets them for all. The facility
/// is this appender's own: it goes with every message. Stopping leaves the process's connection
/// open, as other users (posix4j's JUL handler) may share it.
///
/// Thread-safe: events may be appended from any number of threads at once (syslog(3) is
/// thread-safe), without a lock of the appender's.
@Plugin(name = "Posix4jSyslog", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE,
        printObject = true)
public final class SyslogAppender extends AbstractAppender {
    private final String ident;
    private final Facility facility;
    private final boolean pid;
    private final StringLayout text;

    private SyslogAppender(Builder b, Facility facility, StringLayout text) {
        super(b.getName(), b.getFilter(), text, b.isIgnoreExceptions(), Property.EMPTY_ARRAY);
        this.ident = b.ident;
        this.facility = facility;
        this.pid = b.pid;
        this.text = text;
    }

    /// A builder, which Log4j fills from the configuration's attributes and elements.
    @PluginBuilderFactory
    public static Builder newBuilder() {
        return new Builder();
    }

    /// The syslog level of a Log4j level, as Log4j's own `Syslog` appender maps it: FATAL to
    /// alert (1), ERROR to err (3), WARN to warning (4), INFO to info (6), DEBUG and TRACE to
    /// debug (7); a custom level maps as the standard level it is closest to.
    ///
    /// @throws NullPointerException if `level` is null
    public static Level levelOf(org.apache.logging.log4j.Level level) {
        return Formatting.levelOf(level);
    }

    /// Opens the process's log with the ident, the `pid` option and the facility: openlog(3).
    @Override
    public void start() {
        Syslog.open(ident, pid ? EnumSet.of(Option.PID) : EnumSet.noneOf(Option.class), facility);
        super.start();
    }

    /// Sends `event` as one syslog message: syslog(3) with this appender's facility and the
    /// event's level.
    @Override
    public void append(LogEvent event) {
        Syslog.log(facility, Formatting.levelOf(event.getLevel()), Formatting.text(event, text));
    }

    /// Builds a [SyslogAppender] from the attributes `name` (required), `ident`, `facility`,
    /// `pid`, `ignoreExceptions` and the elements of a layout and a filter.
    ///
    /// Not thread-safe: Log4j fills it in one thread.
    public static final class Builder extends AbstractAppender.Builder<Builder>
            implements org.apache.logging.log4j.core.util.Builder<SyslogAppender> {
        @PluginBuilderAttribute
        private String ident;
        @PluginBuilderAttribute
        private String facility = "user";
        @PluginBuilderAttribute
        private boolean pid;

        private Builder() {}

        /// Sets the ident, the tag before every message; null for the program name (`java`).
        public Builder setIdent(String ident) {
            this.ident = ident;
            return this;
        }

        /// Sets the facility by name (`user`, the default, `daemon`, `local0`...) as
        /// [Facility#parse] accepts it.
        public Builder setFacility(String facility) {
            this.facility = facility;
            return this;
        }

        /// Sets whether the process id goes in the tag: openlog(3)'s LOG_PID.
        public Builder setPid(boolean pid) {
            this.pid = pid;
            return this;
        }

        /// The appender; null (with the reason reported to Log4j's status logger) when the
        /// facility name is unknown or the layout makes no text.
        @Override
        public SyslogAppender build() {
            try {
                return new SyslogAppender(this, Facility.parse(facility), Formatting.stringLayout(getLayout()));
            } catch (IllegalArgumentException | NullPointerException e) {
                LOGGER.error("Posix4jSyslog {}: {}", getName(), e.getMessage());
                return null;
            }
        }
    }
}
