package org.posix4j.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.posix4j.PosixException;
import org.posix4j.spawn.Child;
import org.posix4j.spawn.Spawn;
import org.posix4j.spawn.Subprocesses;
import org.posix4j.spawn.Watched;

/// Soak: many short children started, watched and reaped through posix4j's subprocess watcher.
/// Run by scripts/soak.sh.
///
/// Usage: `SoakSpawns SPAWNS INFLIGHT PROGRAM`. Starts PROGRAM (no arguments, such as /bin/true)
/// SPAWNS times with [Spawn#start()], at most INFLIGHT alive at once; each child is put on the
/// watch list ([Subprocesses#watch(org.posix4j.spawn.Child, boolean)]) and its end is heard
/// through [Child#onExit()], whose callback hands it back to the main thread, which checks its
/// status and that its watch saw the end, then closes it and the watch's descriptor. 1,000 spawns first warm the JVM up;
/// the baseline is taken once the watcher thread, idle, has ended; after the last child the JVM
/// is watched for up to 5 s until its descriptors and threads are back to the baseline and no
/// child of it is left.
///
/// Prints `wall_ms=N spawns=N rate=X` (spawns per second), the baseline (`base_fds=...`) and
/// what was left (`after_fds=...`), and `ok=true|false`; exits 1 when a child failed or
/// something was left behind.
public final class SoakSpawns {
    private SoakSpawns() {}

    /// A child and its entry on the watch list.
    private record Started(Child child, Watched watched) {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SoakSpawns SPAWNS INFLIGHT PROGRAM");
            System.exit(2);
        }
        long spawns = Long.parseLong(args[0]);
        int inflight = Integer.parseInt(args[1]);
        String program = args[2];
        long failed = run(program, 1000, inflight);
        if (failed != 0) {
            throw new IllegalStateException(failed + " warm-up children failed");
        }
        Thread.sleep(1000);
        SoakProbe baseline = SoakProbe.now();
        long t0 = System.nanoTime();
        failed = run(program, spawns, inflight);
        long wall = (System.nanoTime() - t0) / 1_000_000;
        SoakProbe[] after = {SoakProbe.now()};
        SoakProbe.await(() -> {
            try {
                after[0] = SoakProbe.now();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return after[0].matches(baseline);
        }, 5000);
        System.out.printf(Locale.ROOT, "wall_ms=%d spawns=%d rate=%.0f%n", wall, spawns, spawns * 1000.0 / wall);
        System.out.println(baseline.line("base_"));
        System.out.println(after[0].line("after_"));
        System.out.println("failed=" + failed);
        boolean ok = failed == 0 && after[0].matches(baseline);
        System.out.println("ok=" + ok);
        if (!ok) {
            System.exit(1);
        }
    }

    /// Spawns `program` `spawns` times, at most `inflight` alive at once, and answers how many
    /// children did not exit 0 or whose watch did not see their end.
    private static long run(String program, long spawns, int inflight) throws Exception {
        Semaphore slots = new Semaphore(inflight);
        LinkedBlockingQueue<Started> ended = new LinkedBlockingQueue<>();
        AtomicLong failed = new AtomicLong();
        Spawn spawn = Spawn.program(program);
        for (long i = 0; i < spawns; i++) {
            slots.acquire();
            reap(ended, failed);
            Child child = spawn.start();
            Started s = new Started(child, Subprocesses.watch(child, true));
            // Runs on the watcher thread: only hands the child over, so that closing it (which
            // takes the watcher's lock) happens on the main thread.
            child.onExit().whenComplete((status, error) -> {
                ended.add(s);
                slots.release();
            });
        }
        slots.acquire(inflight);
        reap(ended, failed);
        return failed.get();
    }

    private static void reap(LinkedBlockingQueue<Started> ended, AtomicLong failed) throws PosixException {
        for (Started s; (s = ended.poll()) != null; ) {
            boolean ok = s.child.status().map(st -> st.success()).orElse(false) && s.watched.hasEnded();
            if (!ok) {
                failed.incrementAndGet();
            }
            s.child.close();
            // The watch's end-of-process pipe is the caller's to close (Watched#fd()).
            s.watched.fd().close();
        }
    }
}
