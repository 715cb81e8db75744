package org.posix4j.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.posix4j.syslog.Rsyslog;
import org.posix4j.syslog.Rsyslog.Entry;
import org.posix4j.testing.ChildJvm;

/// [SyslogAppender] configured by Log4j from `log4j2-syslog.xml` in a child JVM whose
/// /dev/log is a real rsyslogd's ([Rsyslog]); asserts the lines rsyslogd wrote.
@ExtendWith(Rsyslog.class)
class SyslogAppenderTest {
    private static final String IDENT = "p4j-log4j-" + ProcessHandle.current().pid();
    private static final String PREFIX = "app [log4j-worker] ";
    private static List<Entry> entries;
    private static long pid;

    @BeforeAll
    static void log(Rsyslog rsyslog) throws Exception {
        List<String> options = List.of("-Dlog4j2.configurationFile=log4j2-syslog.xml", "-Dp4j.ident=" + IDENT);
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(
                rsyslog.command(ChildJvm.command(options, Log4jChild.class, "syslog"))))) {
            pid = Long.parseLong(child.expect("pid:"));
            child.expect("done:");
            entries = rsyslog.awaitFrom(IDENT, 11);
            ChildJvm.Result r = child.finish().assertSuccess();
            assertFalse(r.stderr().contains("StatusLogger"), () -> "Log4j reported a problem: " + r);
        }
    }

    private static Entry entry(String message) {
        return entries.stream().filter(e -> e.message().equals(message)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + message + " in " + entries));
    }

    @Test
    void levelsMapToSeveritiesWithTheConfiguredFacility() {
        Map<String, Integer> severities = Map.of("trace-msg", 7, "debug-msg", 7, "info-msg", 6, "warn-msg", 4,
                "error-msg", 3, "fatal-msg", 1);
        severities.forEach((message, severity) -> {
            Entry e = entry(PREFIX + message);
            assertEquals(severity, e.severity(), message);
            assertEquals(19, e.facility(), message); // local3
        });
    }

    @Test
    void identAndPidAreInTheTag() {
        Entry e = entry(PREFIX + "info-msg");
        assertEquals(IDENT, e.program());
        assertEquals(IDENT + "[" + pid + "]:", e.tag());
        assertEquals(Long.toString(pid), e.pid());
    }

    /// One message, whatever it holds: newlines (rsyslog writes them as #012) and `%`.
    @Test
    void aMultiLineMessageIsOneLineAtTheDaemon() {
        entry(PREFIX + "first line#012second line");
        entry(PREFIX + "literal %s %n arg");
        assertEquals(11, entries.size(), () -> entries.toString());
    }

    /// The pattern has no %ex, so the PatternLayout appends the stack trace after the pattern's %n.
    @Test
    void theStackTraceFollowsTheMessage() {
        Entry e = entries.stream().filter(x -> x.message().startsWith(PREFIX + "with exception")).findFirst()
                .orElseThrow();
        assertTrue(e.message().startsWith(PREFIX + "with exception#012java.lang.IllegalStateException: boom#012"
                + "#011at org.posix4j.log4j.Log4jChild.syslog(Log4jChild.java:"), e.message());
        assertEquals(3, e.severity());
    }

    /// The second appender has no layout: the message, then the exception's class and message.
    @Test
    void eachAppenderHasItsFacilityAndWithoutLayoutTheDefaultText() {
        Entry warning = entry("plain warning");
        assertEquals(3, warning.facility()); // daemon
        assertEquals(4, warning.severity());
        Entry error = entry("plain exception: java.lang.IllegalStateException: bang");
        assertEquals(3, error.facility());
        assertEquals(3, error.severity());
        assertTrue(entries.stream().noneMatch(e -> e.message().contains("plain-debug")), () -> entries.toString());
    }
}
