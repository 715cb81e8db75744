package org.posix4j.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.process.CurrentProcess;
import org.posix4j.process.Sessions;

/// The cost of one trivial system call, getpid(2), through posix4j's public API compared in the
/// same run with a bare FFM downcall handle, with jnr-posix, and with the JDK's cached pid; plus the
/// cost of a call that fails in the kernel and surfaces as a [PosixException].
///
/// glibc has not cached the pid since 2.25, so every getpid here except the JDK's enters the
/// kernel; the differences between them are the cost of each way of reaching native code.
///
/// Run by `scripts/bench.sh`, which also prints the ratios between these results.
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Many short iterations over three forks: on a shared 2-core machine a neighbour's burst spoils
// one short iteration instead of a long one, and fork-to-fork differences show in the error.
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
// jvmArgs, not jvmArgsAppend: the forks get exactly these, not a second copy of the launching
// JVM's. Everything runs on the class path; JMH and jnr-ffi still use sun.misc.Unsafe's memory
// access, which JDK 25 warns about unless allowed.
@Fork(value = 3, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class GetpidBenchmark {
    /// getpid linked the plainest way FFM allows: no linker options at all.
    private static final MethodHandle BARE_GETPID = link();

    /// getpid linked as a critical function, the way posix4j links it, to separate the cost of the
    /// linker option from the cost of posix4j's own code around the handle.
    private static final MethodHandle CRITICAL_GETPID = link(Linker.Option.critical(false));

    /// Above PID_MAX_LIMIT (2^22 on 64-bit Linux), so never a live process: getsid(2) fails with
    /// ESRCH from the kernel, for root too.
    private static final int NO_SUCH_PID = Integer.MAX_VALUE;

    private POSIX jnr;

    /// Creates the benchmark state; JMH calls this.
    public GetpidBenchmark() {}

    @SuppressWarnings("restricted")
    private static MethodHandle link(Linker.Option... options) {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find("getpid").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT), options);
    }

    /// Loads jnr-posix and checks that it reached libc rather than its pure-Java fallback, and that
    /// the failing call really fails with ESRCH; a benchmark of the wrong thing is worse than none.
    ///
    /// @throws IllegalStateException if jnr-posix is not native or getsid did not fail with ESRCH
    @Setup(Level.Trial)
    public void setUp() {
        jnr = POSIXFactory.getNativePOSIX();
        if (!jnr.isNative()) {
            throw new IllegalStateException("jnr-posix fell back to Java: " + jnr.getClass().getName());
        }
        if (jnr.getpid() != CurrentProcess.pid()) {
            throw new IllegalStateException("jnr-posix and posix4j disagree on the pid");
        }
        try {
            throw new IllegalStateException("getsid(" + NO_SUCH_PID + ") succeeded: " + Sessions.sessionOf(NO_SUCH_PID));
        } catch (PosixException e) {
            if (!e.is(Errno.ESRCH)) {
                throw new IllegalStateException("getsid(" + NO_SUCH_PID + ") failed with the wrong errno", e);
            }
        }
    }

    /// (a) posix4j's public API: [CurrentProcess#pid()].
    ///
    /// @return the pid, consumed by JMH
    @Benchmark
    public int posix4j() {
        return CurrentProcess.pid();
    }

    /// (b) A bare `static final` downcall handle with no linker options, called with `invokeExact`.
    ///
    /// @return the pid, consumed by JMH
    /// @throws Throwable never in practice; `invokeExact` declares it
    @Benchmark
    public int bareHandle() throws Throwable {
        return (int) BARE_GETPID.invokeExact();
    }

    /// (b') A bare downcall handle linked with `Linker.Option.critical(false)`, as posix4j links it.
    ///
    /// @return the pid, consumed by JMH
    /// @throws Throwable never in practice; `invokeExact` declares it
    @Benchmark
    public int bareCriticalHandle() throws Throwable {
        return (int) CRITICAL_GETPID.invokeExact();
    }

    /// (c) jnr-posix's native `getpid`, through jnr-ffi and jffi's JNI stub.
    ///
    /// @return the pid, consumed by JMH
    @Benchmark
    public int jnrPosix() {
        return jnr.getpid();
    }

    /// (d) A call that fails in the kernel, through the public API: [Sessions#sessionOf(int)] on a
    /// pid that cannot exist, so getsid(2) returns -1 with ESRCH and posix4j throws a
    /// [PosixException], which is caught here and handed to the black hole.
    ///
    /// @param blackhole JMH's sink, which keeps the exception from being optimised away
    @Benchmark
    public void posix4jFailure(Blackhole blackhole) {
        try {
            blackhole.consume(Sessions.sessionOf(NO_SUCH_PID));
        } catch (PosixException e) {
            blackhole.consume(e);
        }
    }

    /// (e) The JDK's `ProcessHandle.current().pid()`. The JDK reads the pid once and caches it, so
    /// this is a field read, not a system call: the floor, not a fair competitor.
    ///
    /// @return the pid, consumed by JMH
    @Benchmark
    public long jdkProcessHandleCached() {
        return ProcessHandle.current().pid();
    }
}
