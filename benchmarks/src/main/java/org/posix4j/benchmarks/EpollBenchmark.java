package org.posix4j.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.posix4j.PosixException;
import org.posix4j.event.EpollEvents;
import org.posix4j.event.EpollSelector;
import org.posix4j.event.EventFd;
import org.posix4j.event.Trigger;

/// The cost of one [EpollSelector#select(Duration)] (zero timeout) plus a walk over the ready
/// set, with 10 or 10,000 eventfds registered level-triggered and the same 10 of them ready
/// (spread evenly). epoll's wait cost should follow the number of ready descriptors, not the
/// number registered: `scripts/bench-event.sh` reports the 10,000 / 10 ratio, the allocation per
/// wait (`-prof gc`), and the same ratio for the C program `benchmarks/c/poll_baseline.c`
/// (`epoll`).
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Many short iterations over three forks: on a shared 2-core machine a neighbour's burst spoils
// one short iteration instead of a long one, and the medians stay put.
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class EpollBenchmark {
    /// Ready descriptors per wait.
    static final int READY = 10;

    /// The number of registered eventfds.
    @Param({"10", "10000"})
    public int registered;

    private final List<EventFd> events = new ArrayList<>();
    private EpollSelector selector;

    /// Creates the benchmark state; JMH calls this.
    public EpollBenchmark() {}

    /// Opens and registers the eventfds, token = index, with a count of 1 in every
    /// `registered / READY`th one; checks that a select reports exactly those.
    ///
    /// @throws PosixException if the eventfds cannot be created (RLIMIT_NOFILE too low)
    /// @throws IllegalStateException if a select does not report the expected descriptors
    @Setup(Level.Trial)
    public void setUp() throws PosixException {
        selector = EpollSelector.open(64);
        int stride = registered / READY;
        long expectedSum = 0;
        for (int i = 0; i < registered; i++) {
            boolean ready = i % stride == 0;
            EventFd e = EventFd.open(ready ? 1 : 0, EventFd.NON_BLOCKING);
            events.add(e);
            selector.add(e.intValue(), EpollEvents.READABLE, Trigger.LEVEL, i);
            expectedSum += ready ? i : 0;
        }
        if (selectAndIterate() != expectedSum || selector.readyCount() != READY) {
            throw new IllegalStateException("select did not report the " + READY + " ready eventfds");
        }
    }

    /// Closes the selector and every eventfd.
    ///
    /// @throws PosixException if a close fails
    @TearDown(Level.Trial)
    public void tearDown() throws PosixException {
        selector.close();
        for (EventFd e : events) {
            e.close();
        }
    }

    /// One select without waiting, then the ready tokens summed by index.
    ///
    /// @return the sum of the ready tokens, consumed by JMH
    /// @throws PosixException never here
    @Benchmark
    public long selectAndIterate() throws PosixException {
        int n = selector.select(Duration.ZERO);
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += selector.readyToken(i);
        }
        return sum;
    }
}
