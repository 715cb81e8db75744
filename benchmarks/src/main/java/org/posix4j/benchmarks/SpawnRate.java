package org.posix4j.benchmarks;

import java.util.Locale;
import org.posix4j.spawn.Child;
import org.posix4j.spawn.Spawn;

/// Whole-process benchmark: how many times a second this JVM can start a program and wait for
/// it, through posix4j or through `ProcessBuilder`. Run by scripts/bench-spawn.sh, with small and
/// 1 GiB pre-touched heaps, next to a C posix_spawn loop (benchmarks/c/spawn_loop.c) and Python's
/// `subprocess.run`, all in one run.
///
/// Usage: `SpawnRate posix4j|processbuilder WARMUP_SECONDS SECONDS PROGRAM`. Starts PROGRAM (no
/// arguments, standard descriptors inherited, as the C loop does) again and again for
/// WARMUP_SECONDS unmeasured, so that the JIT has compiled the path (a spawn takes hundreds of
/// microseconds, so a count of a few thousand would still be measuring the compiler at work),
/// then for SECONDS measured, and prints `rate=X` (spawns per second) and `heap=N` (the committed
/// heap in MiB, to show which heap the run had).
public final class SpawnRate {
    private SpawnRate() {}

    @FunctionalInterface
    private interface Once {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: SpawnRate posix4j|processbuilder WARMUP_SECONDS SECONDS PROGRAM");
            System.exit(2);
        }
        String program = args[3];
        Once once = switch (args[0]) {
            case "posix4j" -> () -> {
                try (Child c = Spawn.program(program).start()) {
                    check(c.waitFor().success(), program);
                }
            };
            case "processbuilder" -> {
                ProcessBuilder builder = new ProcessBuilder(program).inheritIO();
                yield () -> check(builder.start().waitFor() == 0, program);
            }
            default -> throw new IllegalArgumentException("mode must be posix4j or processbuilder: " + args[0]);
        };
        long warmupEnd = System.nanoTime() + (long) (Double.parseDouble(args[1]) * 1e9);
        while (System.nanoTime() < warmupEnd) {
            once.run();
        }
        long t0 = System.nanoTime();
        long end = t0 + (long) (Double.parseDouble(args[2]) * 1e9);
        long count = 0;
        long now;
        do {
            once.run();
            count++;
            now = System.nanoTime();
        } while (now < end);
        System.out.printf(Locale.ROOT, "rate=%.1f%n", count / ((now - t0) / 1e9));
        System.out.printf(Locale.ROOT, "heap=%d%n", Runtime.getRuntime().totalMemory() >> 20);
    }

    private static void check(boolean ok, String program) {
        if (!ok) {
            throw new IllegalStateException(program + " did not exit 0");
        }
    }
}
