package org.posix4j.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.posix4j.io.Fd;
import org.posix4j.ipc.AnonymousSemaphore;
import org.posix4j.ipc.MappingMode;
import org.posix4j.ipc.SharedMemory;
import org.posix4j.ipc.ShmFlag;

/// Whole-process benchmark: semaphore ping-pong between two JVMs through posix4j. Run by
/// scripts/bench-ipc.sh next to its C twin (benchmarks/c/ipc_pingpong.c), unpinned and with both
/// processes pinned to one CPU.
///
/// Usage: `IpcPingPong WARMUP ROUNDS N`. This JVM creates a shared memory object, initialises two
/// process-shared anonymous semaphores in it (S1 and S2, both 0) and starts a peer JVM (the same
/// java and class path, `IpcPingPong peer NAME COUNT`) that maps the object and uses the same
/// semaphores through [AnonymousSemaphore#view]. One round trip: this side posts S1 and waits
/// S2, the peer waits S1 and posts S2. After WARMUP unmeasured round trips (the peer's start-up
/// and the JIT), ROUNDS rounds of N round trips are timed, each printed as `round=NS` (nanoseconds
/// per round trip), then `median=NS`. Both sides run on the main platform thread.
public final class IpcPingPong {
    private IpcPingPong() {}

    private static final long SIZE = 4096;

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("peer")) {
            peer(args[1], Long.parseLong(args[2]));
            return;
        }
        if (args.length != 3) {
            System.err.println("usage: IpcPingPong WARMUP ROUNDS N");
            System.exit(2);
        }
        long warmup = Long.parseLong(args[0]);
        int rounds = Integer.parseInt(args[1]);
        long n = Long.parseLong(args[2]);
        String name = "/posix4j-bench-ipc-" + ProcessHandle.current().pid();
        try (Arena arena = Arena.ofShared();
                Fd fd = SharedMemory.open(name, EnumSet.of(ShmFlag.READ_WRITE, ShmFlag.CREATE, ShmFlag.EXCLUSIVE), 0600)) {
            Process peer;
            try {
                SharedMemory.resize(fd, SIZE);
                MemorySegment shared = SharedMemory.map(fd, 0, SIZE, MappingMode.READ_WRITE, arena);
                AnonymousSemaphore s1 = AnonymousSemaphore.init(shared, 0, true, 0);
                AnonymousSemaphore s2 = AnonymousSemaphore.init(shared, 64, true, 0);
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                peer = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                        System.getProperty("java.class.path"), IpcPingPong.class.getName(), "peer", name,
                        Long.toString(warmup + rounds * n))
                        .inheritIO()
                        .start();
                // The peer maps the object before its first wait, so the name may go once it
                // answered the first round trip.
                pingPong(s1, s2, 1);
                SharedMemory.unlink(name);
                pingPong(s1, s2, warmup - 1);
                List<Double> perTrip = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    pingPong(s1, s2, n);
                    double ns = (double) (System.nanoTime() - t0) / n;
                    perTrip.add(ns);
                    System.out.printf(Locale.ROOT, "round=%.1f%n", ns);
                }
                perTrip.sort(null);
                System.out.printf(Locale.ROOT, "median=%.1f%n", perTrip.get(rounds / 2));
            } catch (Exception | Error e) {
                try {
                    SharedMemory.unlink(name);
                } catch (Exception ignored) {
                    // Already unlinked after the first round trip.
                }
                throw e;
            }
            if (peer.waitFor() != 0) {
                throw new IllegalStateException("peer exited with " + peer.exitValue());
            }
        }
    }

    private static void pingPong(AnonymousSemaphore s1, AnonymousSemaphore s2, long count) throws Exception {
        for (long i = 0; i < count; i++) {
            s1.post();
            s2.await();
        }
    }

    private static void peer(String name, long count) throws Exception {
        try (Arena arena = Arena.ofShared(); Fd fd = SharedMemory.open(name, EnumSet.of(ShmFlag.READ_WRITE), 0)) {
            MemorySegment shared = SharedMemory.map(fd, 0, SIZE, MappingMode.READ_WRITE, arena);
            AnonymousSemaphore s1 = AnonymousSemaphore.view(shared, 0);
            AnonymousSemaphore s2 = AnonymousSemaphore.view(shared, 64);
            for (long i = 0; i < count; i++) {
                s1.await();
                s2.post();
            }
        }
    }
}
