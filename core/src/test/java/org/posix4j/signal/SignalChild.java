package org.posix4j.signal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.posix4j.testing.Report;

/// A child JVM driven line by line from its parent test: opens a [SignalChannel], reads from it,
/// polls its descriptor, raises, closes; prints one `key=value` line per command. `close` waits
/// for a reader started by `readbg`, so that reader's line comes first. A shutdown hook
/// prints `hook=ran`, so the parent sees whether the JVM's shutdown ran.
public final class SignalChild {
    private SignalChild() {}

    private static SignalChannel channel;
    private static Thread reader;

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook=ran")));
        System.out.println("pid=" + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.split(" ");
            String[] rest = Arrays.copyOfRange(w, 1, w.length);
            switch (w[0]) {
                case "open" -> Report.value("open", () -> {
                    channel = SignalChannel.open(SignalSet.of(rest));
                    return "signalfd:" + channel.viaSignalfd() + " jvm:" + channel.viaJvmHandler();
                });
                case "read" -> Report.value("read", () -> format(channel.read()));
                case "timed" -> Report.value("timed", () -> {
                    long t0 = System.nanoTime();
                    Optional<SignalEvent> e = channel.read(Duration.ofMillis(Long.parseLong(rest[0])));
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    return e.map(SignalChild::format).orElse("empty") + " elapsed=" + ms;
                });
                case "try" -> Report.value("try", () -> channel.tryRead().map(SignalChild::format).orElse("empty"));
                case "poll" -> Report.value("poll", () -> RawLibc.pollIn(channel.fd().intValue(), Integer.parseInt(rest[0])));
                case "readbg" -> {
                    reader = new Thread(() -> Report.value("reader", () -> format(channel.read())));
                    reader.start();
                    while (reader.getState() != Thread.State.WAITING) {
                        Thread.onSpinWait();
                    }
                    System.out.println("readbg=waiting");
                }
                case "close" -> Report.done("close", () -> {
                    channel.close();
                    if (reader != null) {
                        reader.join();
                        reader = null;
                    }
                });
                case "raise" -> Report.done("raise", () -> Signals.raise(Signal.numberOf(rest[0])));
                case "fds" -> System.out.println("fds=" + kernelObjects());
                case "threads" -> System.out.println("threads=" + Thread.getAllStackTraces().keySet().stream()
                        .map(Thread::getName).filter(n -> n.startsWith("posix4j-signalfd")).toList());
                case "spawn" -> Report.value("spawn", () -> {
                    Process p = new ProcessBuilder("true").redirectInput(ProcessBuilder.Redirect.INHERIT)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                    p.waitFor();
                    return p.pid();
                });
                case "exit" -> {
                    return;
                }
                default -> System.out.println("unknown=" + line);
            }
        }
    }

    /// What this JVM's descriptors refer to, other than files (the class loader opens jars
    /// lazily): pipes, sockets and anonymous inodes such as a signalfd, sorted.
    private static List<String> kernelObjects() throws Exception {
        List<String> objects = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : s.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!target.startsWith("/")) {
                        objects.add(target);
                    }
                } catch (NoSuchFileException closedMeanwhile) {
                    // the listing's own descriptor, closed by now
                }
            }
        }
        Collections.sort(objects);
        return objects;
    }

    /// `NAME code=C pid=P uid=U value=V`, with `-` for what the event does not carry.
    static String format(SignalEvent e) {
        return e.name() + " code=" + text(e.code()) + " pid=" + text(e.senderPid()) + " uid=" + text(e.senderUid())
                + " value=" + text(e.value());
    }

    private static String text(OptionalInt i) {
        return i.isPresent() ? Integer.toString(i.getAsInt()) : "-";
    }
}
