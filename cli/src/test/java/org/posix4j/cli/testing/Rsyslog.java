package org.posix4j.cli.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.posix4j.testing.TimeFactor;

/// A real rsyslogd for the duration of a test, with a configuration of its own that writes
/// facility, severity, program, tag, pid and message of every line it receives to a file, which
/// the tests read back.
///
/// The machine's own /dev/log is never touched, whoever owns it (journald, rsyslog, nobody):
/// rsyslogd listens on a socket in its own directory, and the programs that log run through
/// [#command(List)] in a private mount namespace (unshare(1) `--mount`, root only) whose /dev is
/// a tmpfs of links to the real /dev entries, except /dev/log, which links to that socket.
/// Core's syslog tests do the same.
///
/// Thread safety: one test thread at a time.
public final class Rsyslog implements AutoCloseable {
    private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
    /// Run by `sh -c` in the new mount namespace with the socket, an empty directory and the
    /// command as arguments: keeps the real /dev reachable under the directory (an rbind, so
    /// /dev/pts and /dev/shm come along), mounts a tmpfs on /dev with a link to each real entry,
    /// points /dev/log at the socket, and execs the command, which keeps the pid unshare had.
    private static final String PRIVATE_DEV_LOG = """
            set -eu
            log=$1; dev=$2; shift 2
            mount --rbind /dev "$dev"
            mount -t tmpfs -o mode=0755,nosuid tmpfs /dev
            ln -s "$dev"/* /dev/
            rm -f /dev/log
            ln -s "$log" /dev/log
            exec "$@"
            """;

    private final Process daemon;
    private final Path dir;

    /// One line as rsyslog received it; `pid` is `-` when the tag had none.
    public record Entry(int facility, int severity, String program, String tag, String pid, String message) {
        static Entry parse(String line) {
            String[] f = line.split("\\|", 6);
            return new Entry(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], f[3], f[4], f[5].substring(1));
        }
    }

    private Rsyslog(Process daemon, Path dir) {
        this.daemon = daemon;
        this.dir = dir;
    }

    /// `command` wrapped to run in a private mount namespace where /dev/log is this daemon's
    /// socket; the pid of the process started is the command's own.
    public List<String> command(List<String> command) {
        return namespaced(dir, command);
    }

    private static List<String> namespaced(Path dir, List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--",
                "sh", "-c", PRIVATE_DEV_LOG, "sh", dir.resolve("log").toString(), dir.resolve("dev").toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    /// Starts rsyslogd on a socket of its own and returns when it listens. Skips (fails under
    /// CI) when not root or when rsyslogd is missing.
    public static Rsyslog start() throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"),
                "needs root for a private mount namespace (CI runs as root)");
        Requires.that(Files.isExecutable(RSYSLOGD), "rsyslogd is not installed (apt-get install rsyslog)");
        Path dir = Files.createTempDirectory("posix4j-test-rsyslog");
        Files.createDirectory(dir.resolve("dev"));
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, String.join("\n",
                "global(workDirectory=\"" + dir + "\")",
                "module(load=\"imuxsock\" SysSock.Name=\"" + dir.resolve("log") + "\" SysSock.Unlink=\"on\""
                        + " SysSock.RateLimit.Interval=\"0\")",
                "template(name=\"fields\" type=\"string\" string=\"%syslogfacility%|%syslogseverity%"
                        + "|%programname%|%syslogtag%|%procid%|%msg:::sp-if-no-1st-sp%%msg%\\n\")",
                "*.* action(type=\"omfile\" file=\"" + dir.resolve("messages") + "\" template=\"fields\")",
                ""));
        // rsyslogd too runs in a namespace of its own: whatever it does to /dev stays there.
        Process daemon = new ProcessBuilder(namespaced(dir, List.of(RSYSLOGD.toString(), "-n", "-f", conf.toString(),
                "-i", dir.resolve("pid").toString())))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
        Rsyslog rsyslog = new Rsyslog(daemon, dir);
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

    /// Waits (10 s times the time factor at most) until `count` lines match `which`, and answers them.
    public List<Entry> await(int count, Predicate<Entry> which) throws Exception {
        long deadline = TimeFactor.deadline(Duration.ofSeconds(10));
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

    /// Stops rsyslogd and deletes its files.
    @Override
    public void close() throws IOException {
        daemon.destroy();
        boolean ended;
        try {
            ended = daemon.waitFor(TimeFactor.scale(10), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // Still stop it: a stray rsyslogd would outlive the test run.
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
    }
}
