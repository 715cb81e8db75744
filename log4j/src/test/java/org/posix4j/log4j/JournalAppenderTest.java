package org.posix4j.log4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.posix4j.journal.Journald;
import org.posix4j.testing.ChildJvm;

/// [JournalAppender] configured by Log4j from `log4j2-journal.xml` in a child JVM in the
/// namespaces of a real systemd-journald ([Journald]); asserts the fields `journalctl -o export`
/// reads back.
class JournalAppenderTest {
    private static final String IDENT = "p4j-log4j-journal-" + ProcessHandle.current().pid();
    private static Journald journald;
    private static List<Journald.Entry> entries;
    private static String line;
    private static String pid;

    @BeforeAll
    static void log() throws Exception {
        journald = Journald.start();
        List<String> options = List.of("-Dlog4j2.configurationFile=log4j2-journal.xml", "-Dp4j.ident=" + IDENT);
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(
                journald.command(ChildJvm.command(options, Log4jChild.class, "journal"))))) {
            pid = child.expect("pid:");
            line = child.expect("line:");
            child.expect("done:");
            entries = journald.await("SYSLOG_IDENTIFIER=" + IDENT, 5);
            ChildJvm.Result r = child.finish().assertSuccess();
            assertFalse(r.stderr().contains("StatusLogger"), () -> "Log4j reported a problem: " + r);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (journald != null) {
            journald.close();
        }
    }

    private static Journald.Entry entry(String message) {
        return entries.stream().filter(e -> message.equals(e.get("MESSAGE"))).findFirst()
                .orElseThrow(() -> new AssertionError("no entry " + message + " in " + entries.size()));
    }

    @Test
    void contextDataAndMarkersAreFields() {
        Journald.Entry e = entry("structured hello");
        assertEquals("4", e.get("PRIORITY"));
        assertEquals("42", e.get("USER_ID"));
        assertEquals("r-1", e.get("REQUESTID"));
        assertEquals(List.of("AUDIT", "SECURITY"), e.byName().get("MARKER"));
        assertEquals("org.example.journal", e.get("LOGGER_NAME"));
        assertEquals("log4j-worker", e.get("THREAD_NAME"));
        assertEquals("journal", e.get("_TRANSPORT"));
        assertEquals(pid, e.get("_PID"));
    }

    @Test
    void callerDataGivesTheCodeLocation() {
        Journald.Entry e = entry("structured hello");
        assertEquals("Log4jChild.java", e.get("CODE_FILE"));
        assertEquals(line, e.get("CODE_LINE"));
        assertEquals(Log4jChild.class.getName() + ".journal", e.get("CODE_FUNC"));
    }

    /// A message with newlines arrives whole; the context data, cleared, is gone from later entries.
    @Test
    void aMultiLineMessageArrivesWhole() {
        Journald.Entry e = entry("first line\nsecond line\n");
        assertEquals("6", e.get("PRIORITY"));
        assertNull(e.get("MARKER"));
        assertNull(e.get("USER_ID"));
        assertNull(e.get("STACK_TRACE"));
    }

    @Test
    void theStackTraceIsAFieldOfItsOwn() {
        Journald.Entry e = entry("failed: java.lang.IllegalStateException: boom");
        assertEquals("3", e.get("PRIORITY"));
        String trace = e.get("STACK_TRACE");
        assertTrue(trace.startsWith("java.lang.IllegalStateException: boom\n\tat " + Log4jChild.class.getName()
                + ".journal(Log4jChild.java:"), trace);
        assertTrue(trace.contains("\nCaused by: java.io.IOException: cause\n"), trace);
    }

    @Test
    void debugAndTraceAreDebugPriority() {
        assertEquals("7", entry("debug-msg").get("PRIORITY"));
        assertEquals("7", entry("trace-msg").get("PRIORITY"));
        assertEquals(5, entries.size());
    }
}
