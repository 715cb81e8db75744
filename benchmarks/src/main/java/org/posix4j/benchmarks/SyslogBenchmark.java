package org.posix4j.benchmarks;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
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
import org.posix4j.syslog.Facility;
import org.posix4j.syslog.Syslog;

/// One message to the local syslog daemon through posix4j's [Syslog#log] compared in the same
/// run with syslog(3) called through a bare FFM handle on a message already in native memory (and,
/// by scripts/bench-syslog.sh, with the C loop benchmarks/c/syslog_loop.c), all sending the same
/// 64-character message at local0.info to the same rsyslogd, which the script starts on /dev/log.
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class SyslogBenchmark {
    /// The message every variant sends, the same as the C loop's.
    static final String MESSAGE = "posix4j syslog benchmark message, sixty-four characters long....";
    private static final int LOCAL0_INFO = (16 << 3) | 6;
    private static final MethodHandle BARE_SYSLOG = link();

    private final Arena arena = Arena.ofShared();
    private MemorySegment format;
    private MemorySegment message;

    /// Creates the benchmark state; JMH calls this.
    public SyslogBenchmark() {}

    @SuppressWarnings("restricted")
    private static MethodHandle link() {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find("syslog").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, ADDRESS), Linker.Option.firstVariadicArg(2));
    }

    /// Opens the log; fails unless a daemon listens on /dev/log, since without one glibc drops every
    /// message and the benchmark would measure nothing.
    ///
    /// @throws IllegalStateException if /dev/log does not exist
    @Setup(Level.Trial)
    public void setUp() {
        if (!Files.exists(Path.of("/dev/log"))) {
            throw new IllegalStateException("no /dev/log: run scripts/bench-syslog.sh, which starts rsyslogd");
        }
        format = arena.allocateFrom("%s", StandardCharsets.US_ASCII);
        message = arena.allocateFrom(MESSAGE, StandardCharsets.UTF_8);
        Syslog.open("p4j-bench", Set.of(), Facility.LOCAL0);
    }

    /// Closes the log and frees the native copies.
    @TearDown(Level.Trial)
    public void tearDown() {
        Syslog.close();
        arena.close();
    }

    /// The public API: [Syslog#log] with a Java string.
    @Benchmark
    public void posix4j() {
        Syslog.log(Facility.LOCAL0, org.posix4j.syslog.Level.INFO, MESSAGE);
    }

    /// syslog(3) through a bare handle on a message already in native memory: C's cost plus the
    /// downcall's.
    @Benchmark
    public void bareHandle() throws Throwable {
        BARE_SYSLOG.invokeExact(LOCAL0_INFO, format, message);
    }
}
