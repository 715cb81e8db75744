package org.posix4j.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/// What the soak drivers compare before and after their load, read from /proc: this JVM's open
/// descriptors, its threads, its resident memory, and the processes whose parent it is (a child
/// left behind is either still running or a zombie nobody reaped); and the Java heap in use
/// after a full GC, where objects kept by mistake (a cache that only grows) would show.
record SoakProbe(int fds, int threads, long rssKiB, long heapKiB, List<String> children) {
    /// The JVM as /proc shows it now, and its heap after a full GC.
    static SoakProbe now() throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        long heap = memory.getHeapMemoryUsage().getUsed() >> 10;
        int fds;
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            // One of the entries is the directory stream doing the listing.
            fds = (int) entries.count() - 1;
        }
        return new SoakProbe(fds, Integer.parseInt(status("Threads")),
                Long.parseLong(status("VmRSS").replace(" kB", "")), heap, childrenNow());
    }

    /// Whether the descriptor and thread counts are `baseline`'s and no child is left.
    boolean matches(SoakProbe baseline) {
        return fds == baseline.fds && threads == baseline.threads && children.isEmpty();
    }

    /// "fds=N threads=N rss_kib=N heap_kib=N children=N [PID:STATE ...]" with `prefix` before
    /// each name: what the soak script parses.
    String line(String prefix) {
        return String.format(Locale.ROOT, "%sfds=%d %sthreads=%d %srss_kib=%d %sheap_kib=%d %schildren=%d%s", prefix,
                fds, prefix, threads, prefix, rssKiB, prefix, heapKiB, prefix, children.size(),
                children.isEmpty() ? "" : " " + children);
    }

    /// Polls every 100 ms for up to `millis` until `settled` holds: threads end, and a serving
    /// thread closes its copy of a descriptor, a little after the work that used them.
    static void await(BooleanSupplier settled, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!settled.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
    }

    private static String status(String key) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith(key + ":")).findFirst().orElseThrow()
                .substring(key.length() + 1).strip();
    }

    /// "PID:STATE" of every process whose parent is this JVM, from /proc/PID/stat (the state
    /// letter follows the command name in parentheses, the parent's pid comes next).
    private static List<String> childrenNow() throws IOException {
        String self = String.valueOf(ProcessHandle.current().pid());
        List<String> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path p : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException gone) {
                    // Ended between the listing and the read: not a child of ours any more.
                    continue;
                }
                String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (after[1].equals(self)) {
                    found.add(p.getFileName() + ":" + after[0]);
                }
            }
        }
        return found;
    }
}
