package org.posix4j.benchmarks;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.posix4j.PosixException;
import org.posix4j.event.PollArray;
import org.posix4j.event.PollCell;
import org.posix4j.event.RequestedEvents;
import org.posix4j.io.Pipe;

/// One poll(2) over 1,000 pipe read ends, every tenth holding a byte, with a zero timeout:
/// through posix4j's [PollArray#poll(int, Duration)], and through a bare FFM downcall on the same
/// kind of array as a second baseline. The first baseline is the C program
/// `benchmarks/c/poll_baseline.c` (`poll 1000`), which `scripts/bench-event.sh` runs in the same
/// run on descriptors in the same state.
///
/// Nearly all of the time is the kernel walking 1,000 descriptors; what posix4j adds per call
/// (errno capture, argument checks, the timeout conversion) is what the ratios show.
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Many short iterations over three forks: on a shared 2-core machine a neighbour's burst spoils
// one short iteration instead of a long one, and the medians stay put.
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class PollBenchmark {
    /// Descriptors per poll.
    static final int FDS = 1000;
    /// Every `READY_EVERY`th pipe holds a byte, so poll reports `FDS / READY_EVERY` of them.
    static final int READY_EVERY = 10;

    /// poll linked the plainest way: no errno capture, no options.
    private static final MethodHandle BARE_POLL = link();

    private final List<Pipe> pipes = new ArrayList<>();
    private PollArray array;
    private MemorySegment bare;

    /// Creates the benchmark state; JMH calls this.
    public PollBenchmark() {}

    @SuppressWarnings("restricted")
    private static MethodHandle link() {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find("poll").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    /// Opens the pipes, writes a byte into every tenth, and fills both arrays with the read ends;
    /// checks that both ways of polling see the same 100 ready descriptors.
    ///
    /// @throws PosixException if the pipes cannot be created (RLIMIT_NOFILE too low)
    /// @throws IllegalStateException if a poll does not report the expected descriptors
    @Setup(Level.Trial)
    public void setUp() throws PosixException {
        array = PollArray.create(FDS);
        bare = Arena.global().allocate(8L * FDS, 4);
        RequestedEvents read = RequestedEvents.of(true, false, false);
        for (int i = 0; i < FDS; i++) {
            Pipe pipe = Pipe.openNonBlocking();
            pipes.add(pipe);
            if (i % READY_EVERY == 0) {
                pipe.writeEnd().write(Arena.global().allocate(1));
            }
            int fd = pipe.readEnd().intValue();
            array.set(i, new PollCell(fd, read));
            bare.set(JAVA_INT, 8L * i, fd);
            bare.set(JAVA_SHORT, 8L * i + 4, (short) read.bits());
        }
        int expected = FDS / READY_EVERY;
        if (posix4j() != expected || bareFfm() != expected) {
            throw new IllegalStateException("poll did not report " + expected + " ready descriptors");
        }
    }

    /// Closes every pipe and frees the array.
    ///
    /// @throws PosixException if a close fails
    @TearDown(Level.Trial)
    public void tearDown() throws PosixException {
        array.close();
        for (Pipe pipe : pipes) {
            pipe.close();
        }
    }

    /// posix4j: [PollArray#poll(int, Duration)] over the 1,000 cells, not waiting.
    ///
    /// @return the number of ready descriptors, consumed by JMH
    /// @throws PosixException never here
    @Benchmark
    public int posix4j() throws PosixException {
        return array.poll(FDS, Duration.ZERO);
    }

    /// A bare FFM downcall to poll(2) on a global-arena array, without errno capture.
    ///
    /// @return the number of ready descriptors, consumed by JMH
    @Benchmark
    public int bareFfm() {
        try {
            return (int) BARE_POLL.invokeExact(bare, (long) FDS, 0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
