package org.posix4j.syslog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.posix4j.testing.Requires;
import org.posix4j.testing.TimeFactor;

/// A real rsyslogd for the tests, with a configuration of its own that writes facility,
/// severity, program name, tag, pid and message of every line it receives to a file. Started
/// once per test JVM (before the first test class extended with it) and stopped when the run
/// ends.
///
/// The machine's own /dev/log is never touched, whoever owns it (journald, rsyslog, nobody):
/// rsyslogd listens on a socket in its own directory, and the programs that log run through
/// [#command(List)] in a private mount namespace (unshare(1) `--mount`, root only) whose /dev is
/// a tmpfs of links to the real /dev entries, except /dev/log, which links to that socket. So
/// test JVMs run side by side, each with its own daemon, while the machine logs as before.
// Public for the tests of the logging modules, which use it from the test jar; javac, compiling
// these tests as part of module org.posix4j, warns that a public type of an exported package
// implements JUnit's interfaces, which no module exports here.
@SuppressWarnings("exports")
public final class Rsyslog implements BeforeAllCallback, ParameterResolver, AutoCloseable {
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
    private final Path out;

    /// Used by JUnit as an extension; the daemon itself is made by [#start].
    public Rsyslog() {
        this.daemon = null;
        this.dir = null;
        this.out = null;
    }

    private Rsyslog(Process daemon, Path dir) {
        this.daemon = daemon;
        this.dir = dir;
        this.out = dir.resolve("messages");
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

    /// One line as rsyslog received it.
    ///
    /// @param facility the facility number
    /// @param severity the severity number
    /// @param program the program name rsyslog took from the tag
    /// @param tag the whole tag (`ident[pid]:`)
    /// @param pid the pid from the tag, or `-`
    /// @param message the message, with control characters escaped by rsyslog as `#ooo`
    public record Entry(int facility, int severity, String program, String tag, String pid, String message) {
        static Entry parse(String line) {
            String[] f = line.split("\\|", 6);
            // The template puts exactly one space before the message.
            return new Entry(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], f[3], f[4], f[5].substring(1));
        }
    }

    /// Starts the daemon before the first test class that uses it, where a skip skips the class.
    @Override
    public void beforeAll(ExtensionContext context) {
        shared(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Rsyslog.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    private static Rsyslog shared(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Rsyslog.class, k -> start(), Rsyslog.class);
    }

    /// Starts rsyslogd on its own socket, or skips (fails under CI) when that cannot be done.
    public static Rsyslog start() {
        Requires.root();
        Requires.that(Files.isExecutable(Path.of("/usr/sbin/rsyslogd")),
                "rsyslogd is not installed (apt-get install rsyslog)");
        try {
            Path dir = Files.createTempDirectory("posix4j-rsyslog");
            Files.createDirectory(dir.resolve("dev"));
            Path conf = dir.resolve("rsyslog.conf");
            Files.writeString(conf, String.join("\n",
                    "global(workDirectory=\"" + dir + "\")",
                    // No rate limit: the tests send hundreds of messages within a second.
                    "module(load=\"imuxsock\" SysSock.Name=\"" + dir.resolve("log") + "\" SysSock.Unlink=\"on\""
                            + " SysSock.RateLimit.Interval=\"0\")",
                    "template(name=\"fields\" type=\"string\" string=\"%syslogfacility%|%syslogseverity%"
                            + "|%programname%|%syslogtag%|%procid%|%msg:::sp-if-no-1st-sp%%msg%\\n\")",
                    "*.* action(type=\"omfile\" file=\"" + dir.resolve("messages") + "\" template=\"fields\")",
                    ""));
            // rsyslogd too runs in a namespace of its own: whatever it does to /dev stays there.
            Process p = new ProcessBuilder(namespaced(dir, List.of("/usr/sbin/rsyslogd", "-n", "-f", conf.toString(),
                    "-i", dir.resolve("pid").toString())))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
            Rsyslog r = new Rsyslog(p, dir);
            // Ready once its own start message is written: the socket is bound by then.
            r.await(e -> e.program().equals("rsyslogd") && e.message().contains(" start"));
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start rsyslogd", e);
        }
    }

    /// Every line received so far.
    public List<Entry> entries() {
        List<Entry> list = new ArrayList<>();
        try {
            if (Files.exists(out)) {
                for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                    list.add(Entry.parse(line));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return list;
    }

    /// The lines whose program name is `program`.
    public List<Entry> from(String program) {
        return entries().stream().filter(e -> e.program().equals(program)).toList();
    }

    /// Waits (10 s at most) for a line matching `wanted` and answers it.
    public Entry await(Predicate<Entry> wanted) {
        return poll(list -> list.stream().filter(wanted).findFirst().orElse(null));
    }

    /// Waits (10 s at most) for `count` lines from `program` and answers them.
    public List<Entry> awaitFrom(String program, int count) {
        return poll(list -> {
            List<Entry> mine = list.stream().filter(e -> e.program().equals(program)).toList();
            return mine.size() >= count ? mine : null;
        });
    }

    private <T> T poll(Function<List<Entry>, T> answer) {
        long deadline = TimeFactor.deadline(Duration.ofSeconds(10));
        do {
            T t = answer.apply(entries());
            if (t != null) {
                return t;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        } while (System.nanoTime() < deadline && daemon.isAlive());
        throw new AssertionError("rsyslog did not receive the expected lines within 10 s; it has " + entries()
                + (daemon.isAlive() ? "" : "; rsyslogd exited " + daemon.exitValue() + ": " + rsyslogdOutput()));
    }

    private String rsyslogdOutput() {
        try {
            return Files.readString(dir.resolve("rsyslogd.out"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /// Stops rsyslogd and removes its files.
    @Override
    public void close() throws IOException {
        daemon.destroy();
        try {
            if (!daemon.waitFor(TimeFactor.scale(10), TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            daemon.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
