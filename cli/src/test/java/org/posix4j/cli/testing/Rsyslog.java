package org.posix4j.cli.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
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
import java.util.function.Predicate;
import java.util.stream.Stream;

/// A real rsyslogd owning /dev/log for the duration of a test, with a configuration of its own
/// that writes facility, severity, program, tag, pid and message of every line it receives to a
/// file, which the tests read back.
///
/// Thread safety: one test thread at a time; test JVMs take turns through a lock file.
public final class Rsyslog implements AutoCloseable {
    /// Shared with core's syslog tests: one /dev/log per machine, so test JVMs take turns.
    private static final Path LOCK = Path.of("/tmp/posix4j-test-rsyslog.lock");
    private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");

    private final FileChannel lockChannel;
    private final Process daemon;
    private final Path dir;

    /// One line as rsyslog received it; `pid` is `-` when the tag had none.
    public record Entry(int facility, int severity, String program, String tag, String pid, String message) {
        static Entry parse(String line) {
            String[] f = line.split("\\|", 6);
            return new Entry(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], f[3], f[4], f[5].substring(1));
        }
    }

    private Rsyslog(FileChannel lockChannel, Process daemon, Path dir) {
        this.lockChannel = lockChannel;
        this.daemon = daemon;
        this.dir = dir;
    }

    /// Starts rsyslogd on /dev/log once no other test JVM has it, and returns when it listens.
    /// Skips (fails under CI) when not root, when rsyslogd is missing or when another syslog
    /// daemon owns /dev/log.
    public static Rsyslog start() throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root to own /dev/log (CI runs as root)");
        Requires.that(Files.isExecutable(RSYSLOGD), "rsyslogd is not installed (apt-get install rsyslog)");
        FileChannel lockChannel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        FileLock lock;
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
        Path dir = Files.createTempDirectory("posix4j-test-rsyslog");
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, String.join("\n",
                "global(workDirectory=\"" + dir + "\")",
                "module(load=\"imuxsock\" SysSock.Name=\"/dev/log\" SysSock.Unlink=\"on\""
                        + " SysSock.RateLimit.Interval=\"0\")",
                "template(name=\"fields\" type=\"string\" string=\"%syslogfacility%|%syslogseverity%"
                        + "|%programname%|%syslogtag%|%procid%|%msg:::sp-if-no-1st-sp%%msg%\\n\")",
                "*.* action(type=\"omfile\" file=\"" + dir.resolve("messages") + "\" template=\"fields\")",
                ""));
        Process daemon = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", conf.toString(),
                "-i", dir.resolve("pid").toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
        Rsyslog rsyslog = new Rsyslog(lockChannel, daemon, dir);
        try {
            // Its own start message is written once the socket is bound.
            rsyslog.await(1, e -> e.program().equals("rsyslogd"));
        } catch (Exception | AssertionError e) {
            rsyslog.close();
            throw e;
        }
        return rsyslog;
    }

    /// Every line received so far, oldest first.
    public List<Entry> entries() throws IOException {
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
    public List<Entry> await(int count, Predicate<Entry> which) throws Exception {
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

    /// Stops rsyslogd, deletes its files and lets the next test JVM have /dev/log.
    @Override
    public void close() throws IOException {
        try {
            daemon.destroy();
            boolean ended;
            try {
                ended = daemon.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                // Still stop it: a stray rsyslogd would hold /dev/log for every later run.
                Thread.currentThread().interrupt();
                ended = false;
            }
            if (!ended) {
                daemon.destroyForcibly().onExit().join();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        } finally {
            lockChannel.close();
        }
    }
}
