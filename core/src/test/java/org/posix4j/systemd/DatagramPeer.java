package org.posix4j.systemd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.posix4j.testing.TimeFactor;

/// An independent receiver for notification datagrams: Python's socket module bound to an
/// AF_UNIX SOCK_DGRAM address (a path, or `@name` for an abstract one), printing each datagram
/// in hex on a line of its own.
final class DatagramPeer implements AutoCloseable {
    private static final String SCRIPT = """
            import socket, sys
            a = sys.argv[1]
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind('\\0' + a[1:] if a.startswith('@') else a)
            print('bound', flush=True)
            while True:
                print(s.recv(65536).hex(), flush=True)
            """;

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    DatagramPeer(String address) throws IOException, InterruptedException {
        process = new ProcessBuilder("python3", "-c", SCRIPT, address).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("error " + e);
            }
        });
        if (!"bound".equals(lines.poll(TimeFactor.scale(10), TimeUnit.SECONDS))) {
            process.destroyForcibly();
            throw new AssertionError("python3 did not bind " + address);
        }
    }

    /// The next datagram, or null if none arrives within `millis` (times the time factor).
    String next(long millis) throws InterruptedException {
        return within(TimeFactor.scale(millis), TimeUnit.MILLISECONDS);
    }

    /// Every datagram arriving within `millis` (times the time factor).
    List<String> drain(long millis) throws InterruptedException {
        List<String> all = new ArrayList<>();
        long end = TimeFactor.deadline(Duration.ofMillis(millis));
        for (String d; (d = within(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
            all.add(d);
            if (System.nanoTime() >= end) {
                break;
            }
        }
        return all;
    }

    private String within(long timeout, TimeUnit unit) throws InterruptedException {
        String hex = lines.poll(timeout, unit);
        return hex == null ? null : new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
