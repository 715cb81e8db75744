package org.posix4j.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.util.EnumSet;
import java.util.Set;
import org.posix4j.syslog.Facility;
import org.posix4j.syslog.Level;
import org.posix4j.syslog.Option;
import org.posix4j.syslog.Syslog;

/// A Logback appender that sends every event to the local syslog daemon through `/dev/log`,
/// with posix4j's [Syslog] (libc's syslog(3)), where Logback's own `SyslogAppender` can only
/// send UDP. A message is one datagram on a unix socket: when the daemon falls behind, logging
/// waits for it instead of losing messages.
///
/// Configured in `logback.xml`:
///
/// ```xml
/// <appender name="SYSLOG" class="org.posix4j.logback.SyslogAppender">
///   <ident>myapp</ident>          <!-- the tag; default: the program name, "java" -->
///   <facility>local0</facility>   <!-- default user; any name Facility.parse accepts -->
///   <pid>true</pid>               <!-- put the pid in the tag: myapp[1234]; default false -->
///   <layout>                      <!-- or <encoder>; default: the message, ": " and the exception -->
///     <pattern>%logger{20}: %msg</pattern>
///   </layout>
/// </appender>
/// ```
///
/// The message is the layout's output less the line separators a pattern usually ends with; a
/// message of several lines stays one syslog message (rsyslog shows the newlines as `#012`). A
/// pattern without `%ex` (or `%nopex`) gets the exception's stack trace appended by Logback,
/// several lines again. Levels map as [#levelOf] says.
///
/// The ident and the `pid` option are process-wide (openlog(3) keeps one of each per process):
/// [#start] opens the log with them, so the appender started last sets them for all. The facility
/// is this appender's own: it goes with every message. Stopping the appender leaves the process's
/// connection open, as other users (posix4j's JUL handler) may share it.
///
/// Thread-safe: events may be appended from any number of threads at once (syslog(3) is
/// thread-safe and Logback's layouts are), without a lock of the appender's.
public final class SyslogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private String ident;
    private String facilityName = "user";
    private boolean pid;
    private Layout<ILoggingEvent> layout;
    private Encoder<ILoggingEvent> encoder;
    private volatile Facility facility = Facility.USER;
    private volatile Layout<ILoggingEvent> effectiveLayout;

    /// An appender with the defaults above; Logback calls the setters, then [#start].
    public SyslogAppender() {}

    /// The syslog level of a Logback level: ERROR to err (3), WARN to warning (4), INFO to info
    /// (6), DEBUG and TRACE to debug (7); a level between two of these maps as the lower one.
    ///
    /// @throws NullPointerException if `level` is null
    public static Level levelOf(ch.qos.logback.classic.Level level) {
        return Formatting.levelOf(level);
    }

    /// Sets the ident, the tag before every message (`<ident>`); null or unset for the program
    /// name glibc knows (`java`).
    public void setIdent(String ident) {
        this.ident = ident;
    }

    /// The ident set, or null.
    public String getIdent() {
        return ident;
    }

    /// Sets the facility by name (`<facility>`): `user` (the default), `daemon`, `local0` to
    /// `local7`... as [Facility#parse] accepts them. A wrong name is reported when the appender
    /// starts, which it then does not.
    public void setFacility(String facility) {
        this.facilityName = facility;
    }

    /// The facility name set.
    public String getFacility() {
        return facilityName;
    }

    /// Whether to put the process id in the tag (`<pid>`), openlog(3)'s LOG_PID.
    public void setPid(boolean pid) {
        this.pid = pid;
    }

    /// Whether the process id goes in the tag.
    public boolean isPid() {
        return pid;
    }

    /// Sets the layout that makes the message text (`<layout>`, a PatternLayout unless a class is
    /// named).
    public void setLayout(Layout<ILoggingEvent> layout) {
        this.layout = layout;
    }

    /// The layout set, or null.
    public Layout<ILoggingEvent> getLayout() {
        return layout;
    }

    /// Sets an encoder whose layout makes the message text (`<encoder><pattern>`, a
    /// PatternLayoutEncoder), for configurations written for other appenders; a [#setLayout
    /// layout] wins over it. Only the layout is used: the text is sent as UTF-8.
    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    /// The encoder set, or null.
    public Encoder<ILoggingEvent> getEncoder() {
        return encoder;
    }

    /// Checks the configuration and opens the process's log with the ident, the `pid` option and
    /// the facility: openlog(3). Reports a wrong facility name and does not start then.
    @Override
    public void start() {
        Facility f;
        try {
            f = Facility.parse(facilityName);
        } catch (IllegalArgumentException | NullPointerException e) {
            addError("cannot start appender " + getName() + ": " + e.getMessage());
            return;
        }
        facility = f;
        effectiveLayout = Formatting.layout(layout, encoder, this);
        Set<Option> options = pid ? EnumSet.of(Option.PID) : EnumSet.noneOf(Option.class);
        Syslog.open(ident, options, f);
        super.start();
    }

    /// Sends `event` as one syslog message: syslog(3) with this appender's facility and the
    /// event's level.
    @Override
    protected void append(ILoggingEvent event) {
        Syslog.log(facility, Formatting.levelOf(event.getLevel()), Formatting.text(event, effectiveLayout));
    }
}
