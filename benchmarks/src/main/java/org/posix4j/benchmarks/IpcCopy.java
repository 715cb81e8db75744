package org.posix4j.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.posix4j.io.Fd;
import org.posix4j.ipc.MappingMode;
import org.posix4j.ipc.SharedMemory;
import org.posix4j.ipc.ShmFlag;

/// Whole-process benchmark: bulk copy from a native heap segment into a shared memory mapping
/// made by posix4j, with one [MemorySegment#copy] per pass. Run by scripts/bench-ipc.sh next to
/// its C twin (benchmarks/c/ipc_copy.c, memcpy into a mmap'd shm object).
///
/// Usage: `IpcCopy MIB WARMUP ROUNDS PASSES`. Creates (and at once unlinks) a shared memory object
/// of MIB MiB, maps it, fills a native segment of the same size, copies WARMUP times unmeasured
/// (every page of the object is then allocated and the copy compiled), then times ROUNDS rounds
/// of PASSES copies, each printed as `round=X` (GB/s, 10^9 bytes a second), then `median=X`.
public final class IpcCopy {
    private IpcCopy() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: IpcCopy MIB WARMUP ROUNDS PASSES");
            System.exit(2);
        }
        long size = Long.parseLong(args[0]) << 20;
        int warmup = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int passes = Integer.parseInt(args[3]);
        String name = "/posix4j-bench-copy-" + ProcessHandle.current().pid();
        try (Arena arena = Arena.ofShared();
                Fd fd = SharedMemory.open(name, EnumSet.of(ShmFlag.READ_WRITE, ShmFlag.CREATE, ShmFlag.EXCLUSIVE), 0600)) {
            SharedMemory.unlink(name);
            SharedMemory.resize(fd, size);
            MemorySegment mapping = SharedMemory.map(fd, 0, size, MappingMode.READ_WRITE, arena);
            MemorySegment source = arena.allocate(size, 4096);
            for (long i = 0; i < size; i += 8) {
                source.set(ValueLayout.JAVA_LONG_UNALIGNED, i, i * 0x9E3779B97F4A7C15L);
            }
            for (int i = 0; i < warmup; i++) {
                MemorySegment.copy(source, 0, mapping, 0, size);
            }
            List<Double> rates = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int p = 0; p < passes; p++) {
                    MemorySegment.copy(source, 0, mapping, 0, size);
                }
                double rate = (double) size * passes / (System.nanoTime() - t0);
                rates.add(rate);
                System.out.printf(Locale.ROOT, "round=%.2f%n", rate);
            }
            // The copy must have happened: a wrong last word would mean a measured no-op.
            long last = size - 8;
            if (mapping.get(ValueLayout.JAVA_LONG_UNALIGNED, last) != last * 0x9E3779B97F4A7C15L) {
                throw new IllegalStateException("the mapping does not hold the copied data");
            }
            rates.sort(null);
            System.out.printf(Locale.ROOT, "median=%.2f%n", rates.get(rounds / 2));
        }
    }
}
