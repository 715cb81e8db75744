package org.posix4j.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Requires;

/// Journal, JournalEntry, the JUL handler and the System.Logger route, checked against what a
/// real systemd-journald stored, read back with `journalctl -o export`; entries are compared
/// field by field with those util-linux's `logger --journald` (libsystemd's sd_journal_sendv)
/// sends through the same daemon. Every call that sends runs in a child JVM in the namespaces
/// of the test's journald ([Journald]).
class JournalTest {
    static final String PLAIN = "plain message ü 日本語 %s";
    static final String USER_VALUE = "user value = with equals";
    static final String MULTI_LINE = "first line\nsecond line\n";
    static final String NUL_VALUE = "a\0b";
    /// Larger than the 16 MiB send buffer a root process gets (8 MiB asked, doubled by the
    /// kernel): always a memfd.
    static final int HUGE = 17 * 1024 * 1024;
    /// Larger than net.core.wmem_default (212992), smaller than the raised send buffer.
    static final int LARGE = 300 * 1024;
    /// The trusted fields whose values are the same for any sender of this test.
    private static final Set<String> SAME_TRUSTED = Set.of("_TRANSPORT", "_UID", "_GID", "_BOOT_ID", "_MACHINE_ID",
            "_HOSTNAME");
    /// The trusted fields journald reads from /proc/PID of the sender once it has received.
    private static final Set<String> FROM_PROC = Set.of("_COMM", "_EXE", "_CMDLINE", "_CAP_EFFECTIVE",
            "_SELINUX_CONTEXT", "_AUDIT_SESSION", "_AUDIT_LOGINUID", "_SYSTEMD_CGROUP", "_SYSTEMD_SLICE",
            "_SYSTEMD_UNIT", "_SYSTEMD_USER_UNIT", "_SYSTEMD_USER_SLICE", "_SYSTEMD_SESSION", "_SYSTEMD_OWNER_UID",
            "_SYSTEMD_INVOCATION_ID");
    private static final String SENT_BY_LOGGER = "SENT_BY_LOGGER";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Journald journald;

    @BeforeAll
    static void daemon() throws Exception {
        journald = Journald.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (journald != null) {
            journald.close();
        }
    }

    /// Every byte value, newline and NUL included.
    static byte[] binary() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /// `size` bytes of text, distinguishable at both ends.
    static String big(int size) {
        return "<" + "x".repeat(size - 2) + ">";
    }

    /// An identifier no other test or run uses.
    private static String ident(String what) {
        return "p4j-" + what + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    /// Runs JournalChild with `args` to the end; with a `stored` match, keeps it alive until
    /// `count` entries match, so that journald finds its /proc entries.
    private static ChildJvm.Result child(List<String> jvmOptions, List<String> wrapper, String stored, int count,
            String... args) throws Exception {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(ChildJvm.command(jvmOptions, JournalChild.class, args));
        try (ChildJvm c = ChildJvm.start(new ProcessBuilder(journald.command(command)))) {
            if (stored != null) {
                journald.await(stored, count);
            }
            return c.finish().assertSuccess();
        }
    }

    private static ChildJvm.Result child(String... args) throws Exception {
        return child(List.of(), List.of(), null, 0, args);
    }

    /// The entry of the child that sent with `identifier`, and the one logger sends from
    /// `lines` with the same identifier; logger's is told apart by a field added for the purpose
    /// and removed here (its /proc fields may be missing, logger being gone when journald looks).
    private record Pair(Journald.Entry ours, Journald.Entry logger) {}

    private static Pair withLogger(String identifier, String... lines) throws Exception {
        List<String> marked = new ArrayList<>(List.of(lines));
        marked.add(SENT_BY_LOGGER + "=1");
        journald.logger(marked);
        List<Journald.Entry> both = journald.await("SYSLOG_IDENTIFIER=" + identifier, 2);
        assertEquals(2, both.size());
        Journald.Entry logger = both.stream().filter(e -> e.get(SENT_BY_LOGGER) != null).findFirst().orElseThrow();
        Journald.Entry ours = both.stream().filter(e -> e.get(SENT_BY_LOGGER) == null).findFirst().orElseThrow();
        logger.fields().removeIf(f -> f.getKey().equals(SENT_BY_LOGGER));
        return new Pair(ours, logger);
    }

    /// Asserts `ours` (sent by the child whose pid is `pid`, alive until stored) and `theirs`
    /// (sent by logger) carry the same user fields and the same trusted ones, and that journald
    /// saw the right sender. The fields journald reads from the sender's /proc after receiving
    /// are left out of the comparison: logger may be gone by then.
    private static void assertSameAsLogger(Journald.Entry ours, Journald.Entry theirs, long pid) {
        assertEquals(userFields(theirs), userFields(ours));
        assertEquals(trustedNames(theirs), trustedNames(ours));
        for (String name : SAME_TRUSTED) {
            assertEquals(theirs.get(name), ours.get(name), name);
        }
        assertEquals("journal", ours.get("_TRANSPORT"));
        assertEquals(Long.toString(pid), ours.get("_PID"));
        assertEquals("java", ours.get("_COMM"));
        assertTrue(ours.get("_EXE").endsWith("/bin/java"), ours.get("_EXE"));
        assertTrue(ours.get("_CMDLINE").contains(JournalChild.class.getName()), ours.get("_CMDLINE"));
    }

    private static TreeMap<String, List<String>> userFields(Journald.Entry e) {
        TreeMap<String, List<String>> m = e.byName();
        m.keySet().removeIf(k -> k.startsWith("_"));
        return m;
    }

    private static Set<String> trustedNames(Journald.Entry e) {
        Set<String> names = new TreeSet<>(e.byName().keySet());
        names.removeIf(k -> !k.startsWith("_") || FROM_PROC.contains(k));
        return names;
    }

    @Test
    void plainEntryWithPriorityIdentifierAndUserFieldIsStoredAsLoggerStoresIt() throws Exception {
        String ours = ident("plain");
        ChildJvm.Result r = child(List.of(), List.of(), "SYSLOG_IDENTIFIER=" + ours, 1, "plain", ours);
        assertEquals("true", r.value("sent:"));
        Pair both = withLogger(ours, "MESSAGE=" + PLAIN, "PRIORITY=4", "SYSLOG_IDENTIFIER=" + ours,
                "MY_FIELD=" + USER_VALUE);
        Journald.Entry mine = both.ours();
        assertEquals(PLAIN, mine.get("MESSAGE"));
        assertEquals("4", mine.get("PRIORITY"));
        assertEquals(USER_VALUE, mine.get("MY_FIELD"));
        assertSameAsLogger(mine, both.logger(), Long.parseLong(r.value("pid:")));
    }

    /// logger reads one field per line, so it cannot send these: the bytes are compared with what
    /// was sent.
    @Test
    void multiLineAndBinaryValuesArriveByteForByte() throws Exception {
        String id = ident("binary");
        child("binary", id);
        Journald.Entry e = journald.await("SYSLOG_IDENTIFIER=" + id, 1).getFirst();
        assertEquals(MULTI_LINE, e.get("MESSAGE"));
        assertArrayEquals(binary(), e.bytes("BINARY"));
        assertEquals(NUL_VALUE, e.get("NUL_VALUE"));
        assertEquals(List.of("one", "two"), e.byName().get("REPEATED"));
    }

    /// What the child sending `args` did, and the calls strace(1) saw it make towards the
    /// journal: sendmsg(2) to journald's socket, memfd_create(2) of posix4j's memfd, F_ADD_SEALS.
    private record Traced(ChildJvm.Result result, List<String> calls) {}

    private static Traced traced(String stored, String... args) throws Exception {
        Requires.that(Files.isExecutable(Path.of("/usr/bin/strace")), "strace is missing (apt-get install strace)");
        Path trace = Files.createTempFile("posix4j-journal", ".strace");
        try {
            ChildJvm.Result r = child(List.of(), List.of("strace", "-f", "--seccomp-bpf", "-o", trace.toString(),
                    "-e", "trace=memfd_create,sendmsg,fcntl", "-e", "signal=none", "-s", "64"), stored, 1, args);
            List<String> calls = Files.readAllLines(trace).stream()
                    .filter(l -> l.contains("memfd_create(\"posix4j-journal\"") || l.contains("F_ADD_SEALS")
                            || l.contains("sun_path=\"/run/systemd/journal/socket\""))
                    .map(l -> l.replaceFirst("^\\d+ +", "")).toList();
            return new Traced(r, calls);
        } finally {
            Files.delete(trace);
        }
    }

    /// Larger than the default send buffer, so it fits in one datagram only because the buffer
    /// was raised as libsystemd raises it.
    @Test
    void largeEntryGoesAsOneDatagramAsLoggersDoes() throws Exception {
        String id = ident("large");
        Traced t = traced("SYSLOG_IDENTIFIER=" + id, "large", id, Integer.toString(LARGE));
        assertEquals(1, t.calls().size(), () -> "calls: " + t.calls());
        assertTrue(t.calls().getFirst().startsWith("sendmsg(") && t.calls().getFirst().contains("msg_iovlen=1,")
                && t.calls().getFirst().endsWith("= " + (("MESSAGE=large\n" + "SYSLOG_IDENTIFIER=" + id + "\nBIG=\n").length()
                + LARGE)), t.calls().getFirst());
        Pair both = withLogger(id, "MESSAGE=large", "SYSLOG_IDENTIFIER=" + id, "BIG=" + big(LARGE));
        Journald.Entry mine = both.ours();
        assertEquals(big(LARGE), mine.get("BIG"));
        assertSameAsLogger(mine, both.logger(), Long.parseLong(t.result().value("pid:")));
    }

    /// strace(1) shows the way the entry went: a memfd, sealed, passed with SCM_RIGHTS in a
    /// datagram without payload, after the datagram was refused as too large.
    @Test
    void entryTooLargeForADatagramGoesAsASealedMemfd() throws Exception {
        String id = ident("huge");
        Traced t = traced("SYSLOG_IDENTIFIER=" + id, "large", id, Integer.toString(HUGE));
        assertEquals("true", t.result().value("sent:"));
        List<String> calls = t.calls();
        assertEquals(4, calls.size(), () -> "calls: " + calls);
        assertTrue(calls.get(0).startsWith("sendmsg(") && calls.get(0).endsWith("= -1 EMSGSIZE (Message too long)"),
                calls.get(0));
        assertTrue(calls.get(1).startsWith("memfd_create(\"posix4j-journal\", MFD_CLOEXEC|MFD_ALLOW_SEALING)"),
                calls.get(1));
        assertTrue(calls.get(2).contains("F_ADD_SEALS, F_SEAL_SEAL|F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_WRITE) = 0"),
                calls.get(2));
        assertTrue(calls.get(3).contains("msg_iov=NULL, msg_iovlen=0")
                && calls.get(3).contains("cmsg_type=SCM_RIGHTS") && calls.get(3).endsWith("= 0"), calls.get(3));
        Pair both = withLogger(id, "MESSAGE=large", "SYSLOG_IDENTIFIER=" + id, "BIG=" + big(HUGE));
        Journald.Entry mine = both.ours();
        assertEquals(HUGE, mine.bytes("BIG").length);
        assertEquals(big(HUGE), mine.get("BIG"));
        assertSameAsLogger(mine, both.logger(), Long.parseLong(t.result().value("pid:")));
    }

    /// Without CAP_NET_ADMIN, SO_SNDBUFFORCE fails and the send buffer stays at what SO_SNDBUF
    /// got (net.core.wmem_max, doubled): entries still arrive, through a memfd when larger.
    @Test
    void anUnprivilegedSenderIsHeardToo() throws Exception {
        String id = ident("nobody");
        Traced t = traced("SYSLOG_IDENTIFIER=" + id, "unprivileged", id);
        assertEquals("true", t.result().value("large:"));
        assertEquals("true", t.result().value("huge:"));
        List<Journald.Entry> got = journald.await("SYSLOG_IDENTIFIER=" + id, 2);
        assertEquals(List.of("65534", "65534"), got.stream().map(e -> e.get("_UID")).toList());
        assertEquals(List.of(LARGE, HUGE), got.stream().map(e -> e.bytes("BIG").length).toList());
        assertTrue(t.calls().stream().anyMatch(c -> c.startsWith("memfd_create(")), () -> "calls: " + t.calls());
    }

    /// Setting both properties is refused rather than one silently winning; the JDK reports the
    /// finder's failure as an error with `jdk.logger.finder.error=ERROR` (by default it warns and
    /// uses its own finder).
    @Test
    void syslogAndJournalPropertiesTogetherAreRefused() throws Exception {
        ChildJvm.Result r = child(List.of("-Dposix4j.journal=a", "-Dposix4j.syslog=b",
                "-Djdk.logger.finder.error=ERROR"), List.of(), null, 0, "system-logger-both", "x");
        assertTrue(r.value("error:").contains("set posix4j.syslog or posix4j.journal, not both"), r.value("error:"));
    }

    /// As sd_journal_print: the program's short name is the identifier when none is given.
    @Test
    void printSendsWithTheProgramNameAsIdentifier() throws Exception {
        String id = ident("print");
        child("print", id);
        Journald.Entry e = journald.await("MESSAGE=printed " + id, 1).getFirst();
        assertEquals("java", e.get("SYSLOG_IDENTIFIER"));
        assertEquals("5", e.get("PRIORITY"));
    }

    @Test
    void julHandlerSendsLevelLoggerThreadSourceAndStackTrace() throws Exception {
        String id = ident("jul");
        child("handler", id);
        List<Journald.Entry> got = journald.await("SYSLOG_IDENTIFIER=" + id, 3);
        assertEquals(3, got.size());
        Journald.Entry severe = got.get(0);
        assertEquals("failed twice", severe.get("MESSAGE"));
        assertEquals("3", severe.get("PRIORITY"));
        assertEquals("org.example.jul", severe.get("LOGGER_NAME"));
        assertEquals("journal-worker", severe.get("THREAD_NAME"));
        assertEquals(JournalChild.class.getName() + ".handler", severe.get("CODE_FUNC"));
        assertNull(severe.get("STACK_TRACE"));
        Journald.Entry warning = got.get(1);
        assertEquals("with exception: java.lang.IllegalStateException: boom", warning.get("MESSAGE"));
        assertEquals("4", warning.get("PRIORITY"));
        String trace = warning.get("STACK_TRACE");
        assertTrue(trace.startsWith("java.lang.IllegalStateException: boom\n\tat " + JournalChild.class.getName()
                + ".handler(JournalChild.java:"), trace);
        Journald.Entry fine = got.get(2);
        assertEquals("fine detail", fine.get("MESSAGE"));
        assertEquals("7", fine.get("PRIORITY"));
    }

    @Test
    void systemLoggerRouteSendsTheCallersFileLineAndFunction() throws Exception {
        String id = ident("system");
        ChildJvm.Result r = child(List.of("-Dposix4j.journal=" + id), List.of(), null, 0, "system-logger", id);
        List<Journald.Entry> got = journald.await("SYSLOG_IDENTIFIER=" + id, 2);
        assertEquals(2, got.size(), "DEBUG is below the default minimum INFO");
        Journald.Entry warning = got.get(0);
        assertEquals("system logger argument", warning.get("MESSAGE"));
        assertEquals("4", warning.get("PRIORITY"));
        assertEquals("org.example.system", warning.get("LOGGER_NAME"));
        assertEquals("system-worker", warning.get("THREAD_NAME"));
        assertEquals("JournalChild.java", warning.get("CODE_FILE"));
        assertEquals(r.value("line:"), warning.get("CODE_LINE"));
        assertEquals(JournalChild.class.getName() + ".systemLogger", warning.get("CODE_FUNC"));
        Journald.Entry error = got.get(1);
        assertEquals("3", error.get("PRIORITY"));
        assertEquals("with exception: java.lang.IllegalArgumentException: bang", error.get("MESSAGE"));
        assertEquals(Integer.toString(Integer.parseInt(r.value("line:")) + 2), error.get("CODE_LINE"));
        assertTrue(error.get("STACK_TRACE").startsWith("java.lang.IllegalArgumentException: bang\n\tat "),
                error.get("STACK_TRACE"));
    }

    @Test
    void sendingThroughADatagramOrAMemfdLeavesNoDescriptorOpen() throws Exception {
        String id = ident("fds");
        ChildJvm.Result r = child("fds", id);
        assertEquals("true", r.value("small:"));
        assertEquals("true", r.value("large:"));
        assertEquals("[]", r.value("leaked:"));
        List<Journald.Entry> got = journald.await("SYSLOG_IDENTIFIER=" + id, 2);
        assertEquals(HUGE, got.get(1).bytes("BIG").length);
    }
}
