package org.posix4j.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.posix4j.broker.Policy;
import org.posix4j.broker.Sandbox;
import org.posix4j.spawn.ExitStatus;
import org.posix4j.spawn.Redirect;
import org.posix4j.spawn.Spawn;

/// Soak: many sandboxes served at the same time by one JVM. Run by scripts/soak.sh.
///
/// Usage: `SoakSandboxes PROGRAM FILE PORT SANDBOXES CALLS OUTDIR`. PROGRAM is
/// benchmarks/c/soak_calls.c compiled; each sandbox runs `PROGRAM FILE PORT CALLS 0` under
/// [Sandbox#start(Spawn, Policy)] with a policy allowing reads of FILE's and PROGRAM's
/// directories and of the loader's files, and connects to 127.0.0.1:PORT; its standard output
/// goes to OUTDIR/sandbox-N.out, opened by this JVM. Each is served by one thread
/// ([Sandbox#serve], one serving thread each). First one sandbox of 1,000 calls warms the JVM up
/// (classes, the watcher thread); then the baseline is taken (once the broker's threads for
/// blocking calls, such as connects, have ended: an idle one ends after 30 s), all SANDBOXES
/// are started and served at once, and after the last ended the JVM is watched for up to 40 s
/// until its descriptors and threads are back to the baseline and no child of it is left.
///
/// Prints `wall_ms=N calls=N settle_ms=N` (settle: from the end of the last sandbox to the
/// return to the baseline), the baseline (`base_fds=...`) and what was left after
/// (`after_fds=...`), and `ok=true|false`; exits 1 when a sandbox failed (its exit status or
/// its output) or something was left behind.
public final class SoakSandboxes {
    private SoakSandboxes() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: SoakSandboxes PROGRAM FILE PORT SANDBOXES CALLS OUTDIR");
            System.exit(2);
        }
        Path program = Path.of(args[0]).toAbsolutePath();
        Path file = Path.of(args[1]).toAbsolutePath();
        int port = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        long calls = Long.parseLong(args[4]);
        Path out = Path.of(args[5]);
        Policy.Builder builder = Policy.builder().allowRead(file.getParent()).allowRead(program.getParent())
                .allowConnect(new Policy.NetworkRule(InetAddress.getByName("127.0.0.1"), 32, port, port));
        for (String loader : List.of("/lib", "/lib64", "/usr/lib", "/usr/lib64", "/etc/ld.so.cache")) {
            if (Files.exists(Path.of(loader))) {
                builder.allowRead(Path.of(loader));
            }
        }
        try (Policy policy = builder.build()) {
            List<String> failures = run(policy, program, file, port, 1, 1000, out);
            if (!failures.isEmpty()) {
                throw new IllegalStateException("the warm-up sandbox failed: " + failures);
            }
            SoakProbe baseline = settled(null);
            long t0 = System.nanoTime();
            failures = run(policy, program, file, port, count, calls, out);
            long wall = (System.nanoTime() - t0) / 1_000_000;
            long t1 = System.nanoTime();
            SoakProbe after = settled(baseline);
            long settle = (System.nanoTime() - t1) / 1_000_000;
            System.out.printf(Locale.ROOT, "wall_ms=%d calls=%d settle_ms=%d%n", wall, count * calls, settle);
            System.out.println(baseline.line("base_"));
            System.out.println(after.line("after_"));
            failures.forEach(f -> System.out.println("failed: " + f));
            boolean ok = failures.isEmpty() && after.matches(baseline);
            System.out.println("ok=" + ok);
            if (!ok) {
                System.exit(1);
            }
        }
    }

    /// Starts `count` sandboxes, serves them all at once, and answers what went wrong.
    private static List<String> run(Policy policy, Path program, Path file, int port, int count, long calls,
            Path out) throws Exception {
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> servers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path output = out.resolve("sandbox-" + i + ".out");
            Sandbox sandbox = Sandbox.start(Spawn.program(program.toString())
                    .args(file.toString(), String.valueOf(port), String.valueOf(calls), "0")
                    .stdout(Redirect.file(output)), policy);
            servers.add(Thread.ofPlatform().name("soak-serve-" + i).start(() -> {
                try (sandbox) {
                    ExitStatus status = sandbox.serve(policy, null, 1);
                    String printed = Files.readString(output);
                    if (!status.success() || !printed.startsWith("calls=" + calls + " ")) {
                        failures.add(output + ": " + status + ", printed " + printed.strip());
                    }
                } catch (Exception e) {
                    failures.add(output + ": " + e);
                }
            }));
        }
        for (Thread t : servers) {
            t.join();
        }
        return List.copyOf(failures);
    }

    /// The JVM once it has settled: back to `baseline`, or as it is after 40 s; for the
    /// baseline itself (`null`), once the broker's pool of threads for blocking calls (whose
    /// idle threads end after 30 s) has no thread left.
    private static SoakProbe settled(SoakProbe baseline) throws Exception {
        if (baseline == null) {
            SoakProbe.await(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("posix4j-broker-blocking-")), 40_000);
            return SoakProbe.now();
        }
        SoakProbe[] last = {SoakProbe.now()};
        SoakProbe.await(() -> {
            try {
                last[0] = SoakProbe.now();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return last[0].matches(baseline);
        }, 40_000);
        return last[0];
    }
}
