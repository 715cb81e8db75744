package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.cli.Main;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.Requires;

/// `posix4j logger` side by side with util-linux logger(1): both write to /dev/log, owned here by
/// a real rsyslogd with a configuration of its own that writes facility, severity, program, tag,
/// pid and message of every line to a file, and the lines each produced must agree.
class LoggerCommandTest {
    /// Shared with core's syslog tests: one /dev/log per machine, so test JVMs take turns.
    private static final Path LOCK = Path.of("/tmp/posix4j-test-rsyslog.lock");
    private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");

    private static FileChannel lockChannel;
    private static FileLock lock;
    private static Process daemon;
    private static Path dir;
    private static int runs;

    /// One line as rsyslog received it; `pid` is `-` when the tag had none.
    record Entry(int facility, int severity, String program, String tag, String pid, String message) {
        static Entry parse(String line) {
            String[] f = line.split("\\|", 6);
            return new Entry(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], f[3], f[4], f[5].substring(1));
        }

        /// What logger(1) and posix4j logger must agree on: everything but the pid's value.
        String comparable() {
            return facility + "|" + severity + "|" + program + "|" + tag.replaceAll("\\[\\d+]", "[PID]") + "|"
                    + (pid.equals("-") ? "-" : "PID") + "|" + message;
        }
    }

    @BeforeAll
    static void startRsyslog() throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root to own /dev/log (CI runs as root)");
        Requires.that(Files.isExecutable(RSYSLOGD), "rsyslogd is not installed (apt-get install rsyslog)");
        Requires.programs("logger");
        lockChannel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((lock = lockChannel.tryLock()) == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (lock == null) {
            lockChannel.close();
            fail("another test JVM held " + LOCK + " for 60 s");
        }
        // A symlink is systemd pointing /dev/log at journald: not ours to replace either.
        boolean taken = Files.isSymbolicLink(Path.of("/dev/log"));
        try (Stream<String> unix = Files.lines(Path.of("/proc/net/unix"))) {
            taken |= unix.anyMatch(l -> l.endsWith(" /dev/log"));
        }
        if (taken) {
            lockChannel.close();
            Requires.that(false, "/dev/log belongs to a running syslog daemon");
        }
        dir = Files.createTempDirectory("posix4j-logger-rsyslog");
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, String.join("\n",
                "global(workDirectory=\"" + dir + "\")",
                "module(load=\"imuxsock\" SysSock.Name=\"/dev/log\" SysSock.Unlink=\"on\""
                        + " SysSock.RateLimit.Interval=\"0\")",
                "template(name=\"fields\" type=\"string\" string=\"%syslogfacility%|%syslogseverity%"
                        + "|%programname%|%syslogtag%|%procid%|%msg:::sp-if-no-1st-sp%%msg%\\n\")",
                "*.* action(type=\"omfile\" file=\"" + dir.resolve("messages") + "\" template=\"fields\")",
                ""));
        daemon = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", conf.toString(),
                "-i", dir.resolve("pid").toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
        // Its own start message is written once the socket is bound.
        await(1, e -> e.program().equals("rsyslogd"));
    }

    @AfterAll
    static void stopRsyslog() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
        if (lockChannel != null && lockChannel.isOpen()) {
            lockChannel.close();
        }
    }

    private static List<Entry> entries() throws IOException {
        Path out = dir.resolve("messages");
        List<Entry> list = new ArrayList<>();
        if (Files.exists(out)) {
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                list.add(Entry.parse(line));
            }
        }
        return list;
    }

    /// Waits (10 s at most) until `count` lines match `which`, and answers them.
    private static List<Entry> await(int count, java.util.function.Predicate<Entry> which) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Entry> got;
        do {
            got = entries().stream().filter(which).toList();
            if (got.size() >= count) {
                return got;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline && daemon.isAlive());
        throw new AssertionError("expected " + count + " lines, rsyslog has " + entries());
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
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (input != null) {
                pb.redirectInput(input.toFile());
            }
            int before = result.isEmpty() ? 0 : lines;
            try (ChildProcess child = ChildProcess.start(pb)) {
                ChildProcess.Result r = child.finish();
                assertEquals(0, r.exitCode(), () -> cmd + ": " + r);
                assertEquals("", r.stderr(), () -> cmd + ": " + r);
                List<Entry> all = await(before + lines, e -> e.program().equals(marker));
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
        assertEquals(both.get(0).stream().map(Entry::comparable).toList(),
                both.get(1).stream().map(Entry::comparable).toList());
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
            assertEquals(0, ChildProcess.run(cmd).exitCode());
        }
        List<Entry> got = await(2, e -> e.message().equals(marker));
        assertEquals(got.get(0).comparable(), got.get(1).comparable());
        assertEquals(ChildProcess.output("id", "-un"), got.get(1).program());
    }

    @Test
    void unknownFacilityOrLevelFailsLikeLogger() throws Exception {
        for (String p : List.of("nosuch.info", "user.loud")) {
            ChildProcess.Result ours = ChildProcess.run(ChildProcess.java(Main.class, "logger", "-p", p, "x"));
            ChildProcess.Result theirs = ChildProcess.run(List.of("logger", "-p", p, "x"));
            assertEquals(1, ours.exitCode(), ours::toString);
            assertNotEquals(0, theirs.exitCode(), theirs::toString);
            assertTrue(ours.stderr().contains(p.startsWith("nosuch") ? "facility" : "level"), ours::toString);
        }
    }
}
