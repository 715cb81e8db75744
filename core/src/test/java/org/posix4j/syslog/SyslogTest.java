package org.posix4j.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.syslog.Rsyslog.Entry;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.NoFdLeaks;

/// Syslog, the JUL handler and the logger finder, checked against what a real rsyslogd wrote
/// down. Whatever changes the mask or the logging configuration runs in a child JVM.
@ExtendWith(Rsyslog.class)
@ExtendWith(NoFdLeaks.class)
class SyslogTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Rsyslog rsyslog;

    @BeforeAll
    static void daemon(Rsyslog daemon) {
        rsyslog = daemon;
    }

    @AfterEach
    void closeLog() {
        Syslog.close();
    }

    /// A tag no other test or run uses.
    private static String ident(String what) {
        return "p4j-" + what + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    @Test
    void everyFacilityAndLevelArriveWithTheirNumbers() {
        String ident = ident("all");
        Syslog.open(ident, Set.of(), Facility.USER);
        Set<String> sent = new HashSet<>();
        for (Facility f : Facility.values()) {
            if (f == Facility.KERN) {
                continue;
            }
            for (Level l : Level.values()) {
                Syslog.log(f, l, f + " " + l);
                sent.add(f + " " + l);
            }
        }
        List<Entry> got = rsyslog.awaitFrom(ident, sent.size());
        Set<String> received = new HashSet<>();
        for (Entry e : got) {
            String[] words = e.message().split(" ");
            assertEquals(Facility.valueOf(words[0]).number(), e.facility(), e::toString);
            assertEquals(Level.valueOf(words[1]).code(), e.severity(), e::toString);
            assertEquals(ident + ":", e.tag());
            received.add(e.message());
        }
        assertEquals(sent, received);
        assertEquals(19 * 8, got.size());
    }

    @Test
    void theOpenFacilityIsTheDefaultAndStandsInForKern() {
        String ident = ident("default");
        Syslog.open(ident, Set.of(), Facility.LOCAL4);
        Syslog.log(Level.NOTICE, "default facility");
        Syslog.log(Facility.KERN, Level.ALERT, "kern");
        List<Entry> got = rsyslog.awaitFrom(ident, 2);
        assertEquals(List.of("20 5 default facility", "20 1 kern"),
                got.stream().map(e -> e.facility() + " " + e.severity() + " " + e.message()).toList());
    }

    @Test
    void pidOptionPutsThisProcessInTheTag() {
        long pid = ProcessHandle.current().pid();
        String withPid = ident("pid");
        Syslog.open(withPid, EnumSet.of(Option.PID), Facility.DAEMON);
        Syslog.log(Level.INFO, "with pid");
        String without = ident("nopid");
        Syslog.open(without, EnumSet.noneOf(Option.class), Facility.DAEMON);
        Syslog.log(Level.INFO, "without pid");
        Entry a = rsyslog.awaitFrom(withPid, 1).getFirst();
        Entry b = rsyslog.awaitFrom(without, 1).getFirst();
        assertEquals(withPid + "[" + pid + "]:", a.tag());
        assertEquals(Long.toString(pid), a.pid());
        assertEquals(without + ":", b.tag());
        assertEquals("-", b.pid());
        assertEquals(3, b.facility());
    }

    @Test
    void formatCharactersAndUnicodeArriveLiterally() {
        String ident = ident("text");
        Syslog.open(ident, Set.of(), Facility.USER);
        String text = "%s%n%x%d%p %% %99999999s \\ | ü 日本語 😀 end";
        Syslog.log(Level.INFO, text);
        assertEquals(text, rsyslog.awaitFrom(ident, 1).getFirst().message());
    }

    @Test
    void longMessagesArriveWholeAndShortOnesAfterThem() {
        String ident = ident("long");
        Syslog.open(ident, Set.of(), Facility.USER);
        String long1 = "é".repeat(1500) + "😀" + "x".repeat(500) + " end";
        Syslog.log(Level.INFO, long1);
        Syslog.log(Level.INFO, "short");
        assertEquals(List.of(long1, "short"), rsyslog.awaitFrom(ident, 2).stream().map(Entry::message).toList());
    }

    @Test
    void nulIsEscapedAndNewlineStaysInOneMessage() {
        String ident = ident("ctl");
        Syslog.open(ident, Set.of(), Facility.USER);
        Syslog.log(Level.INFO, "before\0after");
        Syslog.log(Level.INFO, "line one\nline two");
        List<Entry> got = rsyslog.awaitFrom(ident, 2);
        // rsyslog shows control characters it receives as #ooo: the newline arrived as such.
        assertEquals(List.of("before#000after", "line one#012line two"), got.stream().map(Entry::message).toList());
    }

    @Test
    void reopenChangesTheIdentAndCloseForgetsIt() {
        String first = ident("first");
        String second = ident("second");
        String marker = ident("after-close");
        Syslog.open(first, Set.of(), Facility.USER);
        Syslog.log(Level.INFO, "one");
        Syslog.open(second, Set.of(), Facility.USER);
        Syslog.log(Level.INFO, "two");
        Syslog.close();
        Syslog.log(Level.INFO, marker);
        assertEquals("one", rsyslog.awaitFrom(first, 1).getFirst().message());
        assertEquals("two", rsyslog.awaitFrom(second, 1).getFirst().message());
        // Without an ident glibc tags with the program name.
        assertEquals("java", rsyslog.await(e -> e.message().equals(marker)).program());
        Syslog.open(null, Set.of(), Facility.USER);
        String nullIdent = ident("null-ident");
        Syslog.log(Level.INFO, nullIdent);
        assertEquals("java", rsyslog.await(e -> e.message().equals(nullIdent)).program());
    }

    /// Threads log while the log is reopened again and again with fresh copies of the ident: had
    /// an old copy been freed while glibc still pointed to it, tags would arrive garbled.
    @Test
    void threadsLogWhileTheLogIsReopened() throws Exception {
        String ident = ident("threads");
        Syslog.open(ident, Set.of(), Facility.USER);
        int threads = 4;
        int each = 200;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int n = t;
            started.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    Syslog.log(Level.INFO, "thread " + n + " message " + i);
                }
            }));
        }
        for (int i = 0; i < 200; i++) {
            Syslog.open(new String(ident.toCharArray()), Set.of(), Facility.USER);
        }
        for (Thread t : started) {
            t.join();
        }
        List<Entry> got = rsyslog.awaitFrom(ident, threads * each);
        assertEquals(threads * each, new HashSet<>(got.stream().map(Entry::message).toList()).size());
        got.forEach(e -> assertEquals(ident + ":", e.tag(), e::toString));
    }

    @Test
    void handlerForAFacilityLogsThroughTheOpenLog() {
        String ident = ident("handler");
        Syslog.open(ident, Set.of(), Facility.USER);
        SyslogHandler handler = new SyslogHandler(Facility.LOCAL2);
        java.util.logging.LogRecord record = new java.util.logging.LogRecord(java.util.logging.Level.WARNING, "h {0}");
        record.setParameters(new Object[] {"%x"});
        handler.publish(record);
        handler.publish(new java.util.logging.LogRecord(java.util.logging.Level.FINEST, "finest"));
        handler.close();
        Syslog.log(Level.INFO, "after close");
        List<Entry> got = rsyslog.awaitFrom(ident, 3);
        assertEquals(List.of("18 4 h %x", "18 7 finest", "1 6 after close"),
                got.stream().map(e -> e.facility() + " " + e.severity() + " " + e.message()).toList());
    }

    @Test
    void minimumLevelDropsLessSevereMessages() throws Exception {
        String ident = ident("mask");
        ChildJvm.Result r = ChildJvm.run(SyslogChild.class, "mask", ident).assertSuccess();
        assertEquals("DEBUG", r.value("previous:"));
        assertEquals("WARNING", r.value("again:"));
        List<Entry> got = rsyslog.awaitFrom(ident, 3);
        // kept-debug was sent last: once it is there, nothing dropped can still be on its way.
        rsyslog.await(e -> e.message().equals("kept-debug") && e.program().equals(ident));
        assertEquals(List.of("kept-warning", "kept-err", "kept-debug"),
                rsyslog.from(ident).stream().map(Entry::message).toList(), () -> "got " + got);
    }

    @Test
    void perrorAlsoWritesToStandardError() throws Exception {
        String ident = ident("perror");
        try (ChildJvm child = ChildJvm.start(SyslogChild.class, "perror", ident)) {
            ChildJvm.Result r = child.finish();
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains(ident + "[" + child.pid() + "]: to stderr too"), r::toString);
            Entry e = rsyslog.awaitFrom(ident, 1).getFirst();
            assertEquals(Long.toString(child.pid()), e.pid());
            assertEquals(5, e.severity());
        }
    }

    @Test
    void ndelayConnectsAtOnceAndCloseDisconnects() throws Exception {
        ChildJvm.Result r = ChildJvm.run(SyslogChild.class, "ndelay", ident("ndelay")).assertSuccess();
        Set<String> before = set(r.value("before:"));
        Set<String> open = set(r.value("open:"));
        Set<String> closed = set(r.value("closed:"));
        assertTrue(open.containsAll(before), r::toString);
        assertEquals(before.size() + 1, open.size(), r::toString);
        assertEquals(before, closed, r::toString);
    }

    private static Set<String> set(String printed) {
        String inner = printed.substring(1, printed.length() - 1);
        return inner.isEmpty() ? Set.of() : new HashSet<>(List.of(inner.split(", ")));
    }

    @Test
    void julHandlerConfiguredByLoggingProperties(@TempDir Path dir) throws Exception {
        String ident = ident("jul");
        Path props = dir.resolve("logging.properties");
        Files.writeString(props, String.join("\n",
                "handlers = org.posix4j.syslog.SyslogHandler",
                ".level = ALL",
                "org.posix4j.syslog.SyslogHandler.ident = " + ident,
                "org.posix4j.syslog.SyslogHandler.facility = local6",
                ""));
        List<String> cmd = ChildJvm.command(List.of("-Djava.util.logging.config.file=" + props),
                SyslogChild.class, "jul", ident);
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(cmd))) {
            child.finish().assertSuccess();
            List<Entry> got = rsyslog.awaitFrom(ident, 7);
            List<String> seen = new ArrayList<>();
            for (Entry e : got) {
                assertEquals(22, e.facility(), e::toString);
                assertEquals(Long.toString(child.pid()), e.pid(), e::toString);
                seen.add(e.severity() + " " + e.message());
            }
            assertEquals(List.of("3 jul-severe", "4 jul-warning", "6 jul-info", "7 jul-config", "7 jul-fine",
                    "4 jul-thrown: java.lang.IllegalStateException: boom", "6 jul-param %s"), seen);
        }
    }

    @Test
    void loggerFinderSendsToSyslogWhenConfigured() throws Exception {
        String ident = ident("finder");
        List<String> cmd = ChildJvm.command(
                List.of("-Dposix4j.syslog=" + ident, "-Dposix4j.syslog.facility=local1"),
                SyslogChild.class, "finder", ident);
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(cmd))) {
            ChildJvm.Result r = child.finish().assertSuccess();
            assertEquals(SyslogLoggerFinder.class.getName(), r.value("finder:"));
            List<Entry> got = rsyslog.awaitFrom(ident, 4);
            List<String> seen = new ArrayList<>();
            for (Entry e : got) {
                assertEquals(17, e.facility(), e::toString);
                assertEquals(Long.toString(child.pid()), e.pid(), e::toString);
                seen.add(e.severity() + " " + e.message());
            }
            // DEBUG is below the default minimum, INFO; the last message fences it.
            assertEquals(List.of("3 finder-error", "4 finder-warning", "6 finder-info %n",
                    "3 finder-thrown: java.lang.IllegalStateException: boom"), seen);
        }
    }

    @Test
    void loggerFinderLeavesLoggingToJulUnlessConfigured() throws Exception {
        String fence = ident("fence");
        try (ChildJvm child = ChildJvm.start(SyslogChild.class, "finder", ident("unused"))) {
            ChildJvm.Result r = child.finish();
            assertEquals(0, r.exitCode(), r::toString);
            // JUL's default console handler printed them, with its level names.
            assertTrue(r.stderr().contains("SEVERE: finder-error"), r::toString);
            assertTrue(r.stderr().contains("INFO: finder-info %n"), r::toString);
            assertTrue(!r.stderr().contains("finder-debug"), r::toString);
        }
        Syslog.open(fence, Set.of(), Facility.USER);
        Syslog.log(Level.INFO, "fence");
        rsyslog.awaitFrom(fence, 1);
        assertTrue(rsyslog.entries().stream().noneMatch(e -> e.message().startsWith("finder-")
                && !e.program().startsWith("p4j-finder-")), () -> rsyslog.entries().toString());
    }

    @Test
    void invalidArgumentsAreRejectedBeforeAnyCall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Syslog.open("bad\0ident", Set.of(), Facility.USER));
        assertTrue(e.getMessage().startsWith("ident"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Syslog.open("x", null, Facility.USER));
        assertThrows(NullPointerException.class, () -> Syslog.open("x", Set.of(), null));
        assertThrows(NullPointerException.class, () -> Syslog.log(Level.INFO, null));
        assertThrows(NullPointerException.class, () -> Syslog.log(null, Level.INFO, "x"));
        assertThrows(NullPointerException.class, () -> Syslog.setMinimumLevel(null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Level.parse("verbose"))
                .getMessage().startsWith("level"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Facility.parse("local8"))
                .getMessage().startsWith("facility"));
    }

    @Test
    void prosodyAndLoggerNamesParse() {
        assertEquals(List.of(Level.DEBUG, Level.INFO, Level.NOTICE, Level.WARNING, Level.ERR),
                List.of("debug", "info", "notice", "warn", "error").stream().map(Level::parse).toList());
        assertEquals(Level.EMERG, Level.parse("panic"));
        assertEquals(Level.CRIT, Level.parse("CRIT"));
        assertEquals(Facility.AUTH, Facility.parse("security"));
        for (Facility f : Facility.values()) {
            assertEquals(f, Facility.parse(f.name().toLowerCase(java.util.Locale.ROOT)));
        }
        assertEquals(23 << 3, Facility.LOCAL7.code());
    }
}
