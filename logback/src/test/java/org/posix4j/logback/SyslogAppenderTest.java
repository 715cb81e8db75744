package org.posix4j.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.posix4j.syslog.Rsyslog;
import org.posix4j.syslog.Rsyslog.Entry;
import org.posix4j.testing.ChildJvm;

/// [SyslogAppender] configured by Logback from `logback-syslog.xml` in a child JVM whose
/// /dev/log is a real rsyslogd's ([Rsyslog]); asserts the lines rsyslogd wrote.
@ExtendWith(Rsyslog.class)
class SyslogAppenderTest {
    private static final String IDENT = "p4j-logback-" + ProcessHandle.current().pid();
    private static final String PREFIX = "app [logback-worker] ";
    private static List<Entry> entries;
    private static long pid;

    @BeforeAll
    static void log(Rsyslog rsyslog) throws Exception {
        List<String> options = List.of("-Dlogback.configurationFile=logback-syslog.xml", "-Dp4j.ident=" + IDENT);
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(
                rsyslog.command(ChildJvm.command(options, LogbackChild.class, "syslog"))))) {
            pid = Long.parseLong(child.expect("pid:"));
            child.expect("done:");
            entries = rsyslog.awaitFrom(IDENT, 10);
            ChildJvm.Result r = child.finish().assertSuccess();
            assertTrue(r.stdout().stream().noneMatch(l -> l.contains("|-WARN") || l.contains("|-ERROR")),
                    () -> "Logback reported a problem: " + r);
        }
    }

    private static Entry entry(String message) {
        return entries.stream().filter(e -> e.message().equals(message)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + message + " in " + entries));
    }

    @Test
    void levelsMapToSeveritiesWithTheConfiguredFacility() {
        Map<String, Integer> severities = Map.of("trace-msg", 7, "debug-msg", 7, "info-msg", 6, "warn-msg", 4,
                "error-msg", 3);
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
        assertEquals(10, entries.size(), () -> entries.toString());
    }

    /// The pattern has no %ex, so Logback appends the stack trace after the pattern's %n.
    @Test
    void theStackTraceFollowsTheMessage() {
        Entry e = entries.stream().filter(x -> x.message().startsWith(PREFIX + "with exception")).findFirst()
                .orElseThrow();
        assertTrue(e.message().startsWith(PREFIX + "with exception#012java.lang.IllegalStateException: boom#012"
                + "#011at org.posix4j.logback.LogbackChild.syslog(LogbackChild.java:"), e.message());
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
