package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.cli.Main;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.Requires;
import org.posix4j.cli.testing.Rsyslog;
import org.posix4j.cli.testing.Rsyslog.Entry;

/// `posix4j logger` side by side with util-linux logger(1): both write to /dev/log, here (in a
/// private mount namespace) a real rsyslogd with a configuration of its own that writes facility,
/// severity, program, tag, pid and message of every line to a file, and the lines each produced
/// must agree.
class LoggerCommandTest {
    private static Rsyslog rsyslog;
    private static int runs;

    /// What logger(1) and posix4j logger must agree on: everything but the pid's value.
    private static String comparable(Entry e) {
        return e.facility() + "|" + e.severity() + "|" + e.program() + "|" + e.tag().replaceAll("\\[\\d+]", "[PID]")
                + "|" + (e.pid().equals("-") ? "-" : "PID") + "|" + e.message();
    }

    @BeforeAll
    static void startRsyslog() throws Exception {
        Requires.programs("logger");
        rsyslog = Rsyslog.start();
    }

    @AfterAll
    static void stopRsyslog() throws Exception {
        if (rsyslog != null) {
            rsyslog.close();
        }
    }

    /// Runs logger(1) then `posix4j logger` with `args` (the tag, unless given, replaced by a
    /// fresh one so that the lines can be told from others) and stdin from `input` (null: none),
    /// and answers both runs' lines, after checking both exited 0 with nothing on stderr.
    private static List<List<Entry>> both(Path input, int lines, String... args) throws Exception {
        List<List<Entry>> result = new ArrayList<>();
        String marker = "p4jlog" + ProcessHandle.current().pid() + "x" + (++runs);
        for (boolean ours : new boolean[] {false, true}) {
            List<String> cmd = new ArrayList<>(ours ? ChildProcess.java(Main.class, "logger") : List.of("logger"));
            cmd.add("-t");
            cmd.add(marker);
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(rsyslog.command(cmd));
            if (input != null) {
                pb.redirectInput(input.toFile());
            }
            int before = result.isEmpty() ? 0 : lines;
            try (ChildProcess child = ChildProcess.start(pb)) {
                ChildProcess.Result r = child.finish();
                assertEquals(0, r.exitCode(), () -> cmd + ": " + r);
                assertEquals("", r.stderr(), () -> cmd + ": " + r);
                List<Entry> all = rsyslog.await(before + lines, e -> e.program().equals(marker));
                List<Entry> mine = all.subList(before, all.size());
                if (List.of(args).contains("-i")) {
                    mine.forEach(e -> assertEquals(Long.toString(child.pid()), e.pid(), e::toString));
                }
                result.add(mine);
            }
        }
        return result;
    }

    private static void assertSame(List<List<Entry>> both) {
        assertEquals(both.get(0).stream().map(LoggerCommandTest::comparable).toList(),
                both.get(1).stream().map(LoggerCommandTest::comparable).toList());
    }

    @Test
    void messageWordsLandAsWithLogger() throws Exception {
        List<List<Entry>> both =
                both(null, 1, "-p", "local3.warning", "-i", "hello %s%n", "wörld 日本", "two\nlines");
        assertSame(both);
        Entry e = both.get(1).getFirst();
        assertEquals(19, e.facility());
        assertEquals(4, e.severity());
        assertEquals("hello %s%n wörld 日本 two#012lines", e.message());
        assertNotEquals("-", e.pid());
    }

    @Test
    void eachLineOfStandardInputIsAMessage(@TempDir Path tmp) throws Exception {
        Path input = tmp.resolve("input");
        Files.writeString(input, "first line\n%d second\n\nlast ü\n");
        List<List<Entry>> both = both(input, 4, "-p", "daemon.err");
        assertSame(both);
        assertEquals(List.of("first line", "%d second", "", "last ü"),
                both.get(1).stream().map(Entry::message).toList());
        both.get(1).forEach(e -> assertEquals("3|3|-", e.facility() + "|" + e.severity() + "|" + e.pid()));
    }

    @Test
    void levelAloneAndDefaultPriority() throws Exception {
        assertSame(both(null, 1, "-p", "crit", "level only"));
        List<List<Entry>> defaults = both(null, 1, "default priority");
        assertSame(defaults);
        assertEquals("1|5", defaults.get(1).getFirst().facility() + "|" + defaults.get(1).getFirst().severity());
    }

    @Test
    void defaultTagIsTheUserName() throws Exception {
        String marker = "p4j-default-tag-" + ProcessHandle.current().pid();
        for (List<String> cmd : List.of(List.of("logger", marker), ChildProcess.java(Main.class, "logger", marker))) {
            assertEquals(0, ChildProcess.run(rsyslog.command(cmd)).exitCode());
        }
        List<Entry> got = rsyslog.await(2, e -> e.message().equals(marker));
        assertEquals(comparable(got.get(0)), comparable(got.get(1)));
        assertEquals(ChildProcess.output("id", "-un"), got.get(1).program());
    }

    @Test
    void unknownFacilityOrLevelFailsLikeLogger() throws Exception {
        for (String p : List.of("nosuch.info", "user.loud")) {
            ChildProcess.Result ours =
                    ChildProcess.run(rsyslog.command(ChildProcess.java(Main.class, "logger", "-p", p, "x")));
            ChildProcess.Result theirs = ChildProcess.run(rsyslog.command(List.of("logger", "-p", p, "x")));
            assertEquals(1, ours.exitCode(), ours::toString);
            assertNotEquals(0, theirs.exitCode(), theirs::toString);
            assertTrue(ours.stderr().contains(p.startsWith("nosuch") ? "facility" : "level"), ours::toString);
        }
    }
}
