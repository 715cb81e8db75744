package org.posix4j.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.syslog.Rsyslog.Entry;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.NoFdLeaks;

/// Syslog, the JUL handler and the logger finder, checked against what a real rsyslogd wrote
/// down. Every call that logs runs in a child JVM in a private mount namespace whose /dev/log is
/// the test's rsyslogd, so the machine's own syslog daemon, if any, is neither needed nor touched.
@ExtendWith(Rsyslog.class)
@ExtendWith(NoFdLeaks.class)
class SyslogTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Rsyslog rsyslog;

    @BeforeAll
    static void daemon(Rsyslog daemon) {
        rsyslog = daemon;
    }

    /// A tag no other test or run uses.
    private static String ident(String what) {
        return "p4j-" + what + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    /// Runs SyslogChild's `mode` with `idents`, in the namespace where /dev/log is the test's
    /// rsyslogd, to the end, and checks it succeeded.
    private static ChildJvm.Result child(String mode, String... idents) throws Exception {
        return child(List.of(), mode, idents).finish().assertSuccess();
    }

    private static ChildJvm child(List<String> jvmOptions, String mode, String... idents) throws Exception {
        List<String> args = new ArrayList<>(List.of(mode));
        args.addAll(List.of(idents));
        return ChildJvm.start(new ProcessBuilder(
                rsyslog.command(ChildJvm.command(jvmOptions, SyslogChild.class, args.toArray(String[]::new)))));
    }

    @Test
    void everyFacilityAndLevelArriveWithTheirNumbers() throws Exception {
        String ident = ident("all");
        child("all", ident);
        Set<String> sent = new HashSet<>();
        for (Facility f : Facility.values()) {
            if (f != Facility.KERN && f != Facility.DEFAULT) {
                for (Level l : Level.values()) {
                    sent.add(f + " " + l);
                }
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

    /// What glibc 2.36 does with facility 0 (checked with a C program): syslog(3) replaces it
    /// with the open facility, and openlog(3) takes LOG_KERN as the open facility. DEFAULT keeps
    /// the facility of the previous open.
    @Test
    void theOpenFacilityIsTheDefaultAndStandsInForKern() throws Exception {
        String ident = ident("default");
        String reopened = ident("default-reopened");
        String kern = ident("default-kern");
        child("default", ident, reopened, kern);
        List<Entry> got = rsyslog.awaitFrom(ident, 3);
        assertEquals(List.of("20 5 default facility", "20 1 kern", "20 3 default constant"),
                got.stream().map(e -> e.facility() + " " + e.severity() + " " + e.message()).toList());
        Entry e = rsyslog.awaitFrom(reopened, 1).getFirst();
        assertEquals("20 6 reopened with default", e.facility() + " " + e.severity() + " " + e.message());
        assertEquals(List.of("0 6 opened with kern", "0 4 default after kern"), rsyslog.awaitFrom(kern, 2).stream()
                .map(k -> k.facility() + " " + k.severity() + " " + k.message()).toList());
    }

    /// Prosody's syslog_log(level, section, message) sends "section: message".
    @Test
    void sectionIsPrefixedToTheMessage() throws Exception {
        String ident = ident("section");
        child("section", ident);
        assertEquals(List.of("3 4 c2s: client %s disconnected", "3 6 : empty section", "3 6 no section"),
                rsyslog.awaitFrom(ident, 3).stream()
                        .map(e -> e.facility() + " " + e.severity() + " " + e.message()).toList());
    }

    @Test
    void pidOptionPutsThisProcessInTheTag() throws Exception {
        String withPid = ident("pid");
        String without = ident("nopid");
        long pid;
        try (ChildJvm c = child(List.of(), "pid", withPid, without)) {
            pid = c.pid();
            c.finish().assertSuccess();
        }
        Entry a = rsyslog.awaitFrom(withPid, 1).getFirst();
        Entry b = rsyslog.awaitFrom(without, 1).getFirst();
        assertEquals(withPid + "[" + pid + "]:", a.tag());
        assertEquals(Long.toString(pid), a.pid());
        assertEquals(without + ":", b.tag());
        assertEquals("-", b.pid());
        assertEquals(3, b.facility());
    }

    /// Sent by SyslogChild's "text" mode.
    static final String LITERAL = "%s%n%x%d%p %% %99999999s \\ | ü 日本語 😀 end";
    /// Sent by SyslogChild's "long" mode.
    static final String LONG = "é".repeat(1500) + "😀" + "x".repeat(500) + " end";

    @Test
    void formatCharactersAndUnicodeArriveLiterally() throws Exception {
        String ident = ident("text");
        child("text", ident);
        assertEquals(LITERAL, rsyslog.awaitFrom(ident, 1).getFirst().message());
    }

    @Test
    void longMessagesArriveWholeAndShortOnesAfterThem() throws Exception {
        String ident = ident("long");
        child("long", ident);
        assertEquals(List.of(LONG, "short"), rsyslog.awaitFrom(ident, 2).stream().map(Entry::message).toList());
    }

    @Test
    void nulIsEscapedAndNewlineStaysInOneMessage() throws Exception {
        String ident = ident("ctl");
        child("ctl", ident);
        List<Entry> got = rsyslog.awaitFrom(ident, 2);
        // rsyslog shows control characters it receives as #ooo: the newline arrived as such.
        assertEquals(List.of("before#000after", "line one#012line two"), got.stream().map(Entry::message).toList());
    }

    @Test
    void reopenChangesTheIdentAndCloseForgetsIt() throws Exception {
        String first = ident("first");
        String second = ident("second");
        String marker = ident("after-close");
        String nullIdent = ident("null-ident");
        child("reopen", first, second, marker, nullIdent);
        assertEquals("one", rsyslog.awaitFrom(first, 1).getFirst().message());
        assertEquals("two", rsyslog.awaitFrom(second, 1).getFirst().message());
        // Without an ident glibc tags with the program name.
        assertEquals("java", rsyslog.await(e -> e.message().equals(marker)).program());
        assertEquals("java", rsyslog.await(e -> e.message().equals(nullIdent)).program());
    }

    /// Threads in SyslogChild's "threads" mode, each sending this many messages.
    static final int THREADS = 4;
    static final int EACH = 200;

    @Test
    void threadsLogWhileTheLogIsReopened() throws Exception {
        String ident = ident("threads");
        child("threads", ident);
        List<Entry> got = rsyslog.awaitFrom(ident, THREADS * EACH);
        assertEquals(THREADS * EACH, new HashSet<>(got.stream().map(Entry::message).toList()).size());
        got.forEach(e -> assertEquals(ident + ":", e.tag(), e::toString));
    }

    @Test
    void handlerForAFacilityLogsThroughTheOpenLog() throws Exception {
        String ident = ident("handler");
        child("handler", ident);
        List<Entry> got = rsyslog.awaitFrom(ident, 3);
        assertEquals(List.of("18 4 h %x", "18 7 finest", "1 6 after close"),
                got.stream().map(e -> e.facility() + " " + e.severity() + " " + e.message()).toList());
    }

    @Test
    void minimumLevelDropsLessSevereMessages() throws Exception {
        String ident = ident("mask");
        ChildJvm.Result r = child("mask", ident);
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
        try (ChildJvm child = child(List.of(), "perror", ident)) {
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
        ChildJvm.Result r = child("ndelay", ident("ndelay"));
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
        try (ChildJvm child = child(List.of("-Djava.util.logging.config.file=" + props), "jul", ident)) {
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
        try (ChildJvm child = child(List.of("-Dposix4j.syslog=" + ident, "-Dposix4j.syslog.facility=local1"),
                "finder", ident)) {
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
        try (ChildJvm child = child(List.of(), "finder", ident("unused"))) {
            ChildJvm.Result r = child.finish();
            assertEquals(0, r.exitCode(), r::toString);
            // JUL's default console handler printed them, with its level names.
            assertTrue(r.stderr().contains("SEVERE: finder-error"), r::toString);
            assertTrue(r.stderr().contains("INFO: finder-info %n"), r::toString);
            assertTrue(!r.stderr().contains("finder-debug"), r::toString);
        }
        child("fence", fence);
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
        assertThrows(NullPointerException.class, () -> Syslog.log(Level.INFO, null, "x"));
        assertThrows(NullPointerException.class, () -> Syslog.log(Level.INFO, "section", null));
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
        assertEquals(Facility.DEFAULT, Facility.parse("Default"));
        assertEquals(List.of(-1, 0), List.of(Facility.DEFAULT.number(), Facility.DEFAULT.code()));
    }
}
