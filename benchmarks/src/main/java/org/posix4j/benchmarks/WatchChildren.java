package org.posix4j.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.posix4j.signal.Signal;
import org.posix4j.spawn.Child;
import org.posix4j.spawn.Spawn;

/// Whole-process benchmark: what watching many live children for their exit costs this JVM, in
/// threads and resident memory, through posix4j (`Child.onExit`, one watcher thread over pidfds)
/// or through `ProcessBuilder` and `Process.onExit` (the JDK waits for each child on a thread of
/// its own). Run by scripts/bench-spawn.sh, each mode in a fresh JVM with a pre-touched heap, so
/// that the resident memory added is the threads' and the kernel objects', not the heap growing.
///
/// Usage: `WatchChildren posix4j|processbuilder COUNT`. Starts and waits for 20 short children
/// (classes loaded, watcher or reaper threads running), measures, starts COUNT `sleep 600`
/// children each with an exit callback, lets them settle for a second, measures again, then
/// kills them all and waits until every callback ran. Prints `threads.start` (before the first
/// child), `threads.before`, `threads.after`,
/// `rss.before` and `rss.after` (KiB, from /proc/self/status), `heap.before` and `heap.after`
/// (KiB used after a GC), and `exits` (callbacks run) with `exitMillis` (from the kill to the last
/// callback).
public final class WatchChildren {
    private WatchChildren() {}

    /// One way to start a child and hear of its end.
    private interface Mode {
        /// Starts `sleep 600`; `onExit` runs once it has ended. Answers how to kill it.
        Runnable start(Runnable onExit) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: WatchChildren posix4j|processbuilder COUNT");
            System.exit(2);
        }
        Mode mode = switch (args[0]) {
            case "posix4j" -> onExit -> {
                Child c = Spawn.program("/bin/sleep").args("600").start();
                c.onExit().thenRun(onExit);
                return () -> {
                    try {
                        c.signal(Signal.KILL);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                };
            };
            case "processbuilder" -> onExit -> {
                Process p = new ProcessBuilder("/bin/sleep", "600").inheritIO().start();
                p.onExit().thenRun(onExit);
                return p::destroyForcibly;
            };
            default -> throw new IllegalArgumentException("mode must be posix4j or processbuilder: " + args[0]);
        };
        int count = Integer.parseInt(args[1]);

        System.out.printf(Locale.ROOT, "threads.start=%s%n", status("Threads"));
        CountDownLatch warm = new CountDownLatch(20);
        for (int i = 0; i < 20; i++) {
            mode.start(warm::countDown).run();
        }
        if (!warm.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("warm-up children did not end");
        }
        report("before");

        CountDownLatch exits = new CountDownLatch(count);
        List<Runnable> kills = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            kills.add(mode.start(exits::countDown));
        }
        Thread.sleep(1000);
        report("after");

        long t0 = System.nanoTime();
        kills.forEach(Runnable::run);
        boolean all = exits.await(120, TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "exits=%d%n", count - exits.getCount());
        System.out.printf(Locale.ROOT, "exitMillis=%d%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        if (!all) {
            throw new IllegalStateException("not every exit was reported");
        }
    }

    private static void report(String when) throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        System.out.printf(Locale.ROOT, "threads.%s=%s%n", when, status("Threads"));
        System.out.printf(Locale.ROOT, "rss.%s=%s%n", when, status("VmRSS").replace(" kB", ""));
        System.out.printf(Locale.ROOT, "heap.%s=%d%n", when, memory.getHeapMemoryUsage().getUsed() >> 10);
    }

    private static String status(String key) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith(key + ":")).findFirst().orElseThrow()
                .substring(key.length() + 1).strip();
    }
}
