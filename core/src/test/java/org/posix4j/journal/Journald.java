package org.posix4j.journal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.posix4j.testing.Requires;

/// A real systemd-journald for the tests, without systemd as PID 1: started in private mount
/// and PID namespaces (unshare(1), root only) where /run/systemd and /run/log are tmpfs mounts of
/// their own, so that it binds /run/systemd/journal/socket and writes /run/log/journal there,
/// and the machine's own journal, if any, is neither needed nor touched. The PID namespace keeps
/// it from switching on the kernel's audit subsystem, which journald does at start but the
/// kernel allows only from the initial PID namespace.
///
/// Programs that log run through [#command(List)] in the same namespaces (nsenter(1)), so
/// journald sees their pids and reads their /proc entries; the journal is read back with
/// `journalctl -D` through the daemon's root in /proc.
///
/// Thread safety: one test thread at a time.
public final class Journald implements AutoCloseable {
    static final Path JOURNALD = Path.of("/lib/systemd/systemd-journald");
    /// Run by `sh -c` in the new namespaces with journald as argument. The mount points are made
    /// where a machine without systemd running lacks them (empty directories, left in place).
    private static final String SETUP = """
            set -eu
            mkdir -p /run/systemd /run/log
            mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run/systemd
            mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run/log
            exec "$@"
            """;
    static final long FACTOR = Long.parseLong(System.getenv().getOrDefault("POSIX4J_TEST_TIME_FACTOR", "1"));

    private final Process unshare;
    private final ProcessHandle daemon;
    private final Path output;

    /// One journal entry as `journalctl -o export` writes it: its fields in order, names repeating
    /// when a field has several values.
    public record Entry(List<Map.Entry<String, byte[]>> fields) {
        /// The first value of `name` as UTF-8, or null.
        public String get(String name) {
            byte[] v = bytes(name);
            return v == null ? null : new String(v, StandardCharsets.UTF_8);
        }

        /// The first value of `name`, or null.
        public byte[] bytes(String name) {
            return fields.stream().filter(f -> f.getKey().equals(name)).map(Map.Entry::getValue).findFirst()
                    .orElse(null);
        }

        /// Every field, values as UTF-8, sorted by name (a repeated name's values in order).
        public TreeMap<String, List<String>> byName() {
            TreeMap<String, List<String>> m = new TreeMap<>();
            fields.forEach(f -> m.computeIfAbsent(f.getKey(), k -> new ArrayList<>())
                    .add(new String(f.getValue(), StandardCharsets.UTF_8)));
            return m;
        }
    }

    private Journald(Process unshare, ProcessHandle daemon, Path output) {
        this.unshare = unshare;
        this.daemon = daemon;
        this.output = output;
    }

    /// Starts journald and returns once its native socket exists. Skips (fails under CI) when not
    /// root or when journald, journalctl, logger or nsenter is missing.
    public static Journald start() throws Exception {
        Requires.root();
        Requires.that(Files.isExecutable(JOURNALD), JOURNALD + " is missing (apt-get install systemd)");
        Requires.that(Files.isExecutable(Path.of("/usr/bin/journalctl")), "journalctl is missing (apt-get install systemd)");
        Requires.that(Files.isExecutable(Path.of("/usr/bin/logger")), "logger is missing (apt-get install bsdutils)");
        Requires.that(Files.isExecutable(Path.of("/usr/bin/nsenter")), "nsenter is missing (apt-get install util-linux)");
        Path output = Files.createTempFile("posix4j-journald", ".out");
        Process unshare = new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc",
                "--propagation", "private", "--", "sh", "-c", SETUP, "sh", JOURNALD.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10 * FACTOR);
        ProcessHandle daemon = null;
        try {
            while (System.nanoTime() < deadline && unshare.isAlive()) {
                daemon = unshare.toHandle().children().findFirst().orElse(null);
                if (daemon != null && daemon.info().command().orElse("").endsWith("systemd-journald")
                        && Files.exists(root(daemon).resolve("run/systemd/journal/socket"))) {
                    return new Journald(unshare, daemon, output);
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            unshare.destroyForcibly();
            throw e;
        }
        unshare.destroyForcibly().waitFor();
        throw new AssertionError("journald did not start: " + Files.readString(output));
    }

    private static Path root(ProcessHandle p) {
        return Path.of("/proc", Long.toString(p.pid()), "root");
    }

    /// `command` wrapped to run in the daemon's mount and PID namespaces: /run/systemd/journal/socket
    /// is this daemon's there.
    public List<String> command(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("nsenter", "--target", Long.toString(daemon.pid()),
                "--mount", "--pid", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /// Runs `logger --journald` in the daemon's namespaces with `lines` (`NAME=value` each) on
    /// its standard input: util-linux's logger sends them with libsystemd's sd_journal_sendv.
    public void logger(List<String> lines) throws Exception {
        Path input = Files.createTempFile("posix4j-logger", ".txt");
        try {
            Files.writeString(input, String.join("\n", lines) + "\n");
            Process p = new ProcessBuilder(command(List.of("logger", "--journald=" + input)))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30 * FACTOR, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError("logger --journald failed: " + out);
            }
        } finally {
            Files.delete(input);
        }
    }

    /// The entries `journalctl` selects with `match` (`FIELD=value`), oldest first.
    public List<Entry> entries(String match) throws Exception {
        Process p = new ProcessBuilder("journalctl", "-D", root(daemon).resolve("run/log/journal").toString(),
                "-o", "export", "--no-pager", match).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(30 * FACTOR, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("journalctl did not end");
        }
        return parse(out);
    }

    /// Waits (10 s at most, times the time factor) until `count` entries match, and answers them.
    public List<Entry> await(String match, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10 * FACTOR);
        List<Entry> got;
        do {
            got = entries(match);
            if (got.size() >= count) {
                return got;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline && daemon.isAlive());
        throw new AssertionError("expected " + count + " entries with " + match + ", the journal has " + got.size()
                + "; journald said: " + Files.readString(output));
    }

    /// journalctl's export format (systemd's JOURNAL_EXPORT_FORMATS): `NAME=value` lines, or the
    /// name, a newline, a 64-bit little-endian length, the bytes and a newline; a blank line ends
    /// an entry.
    static List<Entry> parse(byte[] out) {
        List<Entry> entries = new ArrayList<>();
        List<Map.Entry<String, byte[]>> fields = new ArrayList<>();
        int at = 0;
        while (at < out.length) {
            int nl = indexOf(out, (byte) '\n', at);
            if (nl == at) {
                entries.add(new Entry(fields));
                fields = new ArrayList<>();
                at++;
                continue;
            }
            int eq = indexOf(out, (byte) '=', at);
            if (eq >= 0 && eq < nl) {
                fields.add(Map.entry(new String(out, at, eq - at, StandardCharsets.US_ASCII),
                        Arrays.copyOfRange(out, eq + 1, nl)));
                at = nl + 1;
            } else {
                String name = new String(out, at, nl - at, StandardCharsets.US_ASCII);
                long length = ByteBuffer.wrap(out, nl + 1, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                int start = nl + 9;
                fields.add(Map.entry(name, Arrays.copyOfRange(out, start, start + (int) length)));
                at = start + (int) length + 1;
            }
        }
        if (!fields.isEmpty()) {
            entries.add(new Entry(fields));
        }
        return entries;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /// Stops journald (SIGTERM, then SIGKILL after 10 s) and waits for unshare to end.
    @Override
    public void close() throws IOException {
        daemon.destroy();
        try {
            if (!unshare.waitFor(10 * FACTOR, TimeUnit.SECONDS)) {
                unshare.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            // Still stop it: a stray journald would outlive the test run.
            Thread.currentThread().interrupt();
            unshare.destroyForcibly();
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
