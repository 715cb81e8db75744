package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import org.posix4j.PosixException;

/// The one place that links C functions and reads the errno they leave behind.
///
/// Each errno-setting binding takes a capture segment as its first argument; the segment comes
/// from [#errnoSlot()], which hands every thread its own, allocated once per thread, so the
/// success path of a call allocates nothing and no two threads ever share a capture buffer.
public final class Libc {
    /// EINTR, the only errno the bindings act on themselves.
    public static final int EINTR = 4;
    /// ERANGE, returned by the `_r` functions when the caller's buffer is too small.
    public static final int ERANGE = 34;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<MemorySegment> SLOT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private Libc() {}

    /// Whether libc exports `name`.
    public static boolean has(String name) {
        return LOOKUP.find(name).isPresent();
    }

    /// A downcall handle for a function that does not report through errno (or cannot fail).
    @SuppressWarnings("restricted")
    public static MethodHandle plain(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(symbol(name), descriptor, options);
    }

    /// A downcall handle of its own descriptor whose first parameter is the errno capture segment
    /// from [#errnoSlot()], for the functions that take memory the caller does not own for the
    /// whole call: a user's segment ([org.posix4j.io.Fd#read]), or one that another thread may
    /// close (a semaphore, a poll or epoll array). Given as a segment rather than an address, the
    /// linker refuses a closed or heap segment, and keeps a shared arena from closing until the
    /// call returns.
    @SuppressWarnings("restricted")
    public static MethodHandle errnoSetting(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO);
    }

    /// A C function returning an `int` (or narrower, or `void`), linked with [#SHARED].
    public static CIntFunction intFunction(String name) {
        return new CIntFunction(shared(name));
    }

    /// A C function returning a `long`, a size or a pointer, linked with [#SHARED].
    public static CLongFunction longFunction(String name) {
        return new CLongFunction(shared(name));
    }

    /// The descriptor every [CIntFunction] and [CLongFunction] is linked with: seven `long`
    /// arguments, a `long` result, errno captured.
    ///
    /// The linker spins a stub class and a dozen method-handle classes for each descriptor it
    /// has not seen, 2-4 ms of a start each, and a handle of a descriptor it has seen costs a
    /// fraction of a millisecond: a sandbox's start linked 86 handles of 53 descriptors. On the
    /// ABIs posix4j runs on (Linux x86_64 and AArch64) one descriptor can serve every function
    /// whose arguments and result are integers or pointers: each such argument travels in a
    /// 64-bit register (the seventh, `syscall`'s last, on the stack), a callee reads only the
    /// low bits its C type declares and ignores registers beyond its parameters, a variadic
    /// callee (`open`, `fcntl`, `ioctl`, `prctl`, `syscall`, `syslog`, `sem_open`) reads its
    /// integer arguments from the same registers (on x86_64 the linker sets `%al`, the count of
    /// vector registers, to 0 for every call), and a 32-bit result is the low half of the
    /// returned register, which [CIntFunction] keeps.
    private static final FunctionDescriptor SHARED = FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    @SuppressWarnings("restricted")
    private static MethodHandle shared(String name) {
        return LINKER.downcallHandle(symbol(name), SHARED, CAPTURE_ERRNO);
    }

    /// `address` as a segment of unbounded size, for walking a C array or string whose end the
    /// caller finds by its terminator. The one place besides linking that uses a restricted method.
    @SuppressWarnings("restricted")
    public static MemorySegment unbounded(MemorySegment address) {
        return address.reinterpret(Long.MAX_VALUE);
    }

    private static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    /// This thread's errno capture segment.
    public static MemorySegment errnoSlot() {
        return SLOT.get();
    }

    /// The errno the last call through `slot` captured. Meaningful only after that call failed.
    public static int errno(MemorySegment slot) {
        return (int) ERRNO.get(slot, 0L);
    }

    /// Whether the failed call through `slot` was interrupted by a signal and may be retried.
    public static boolean interrupted(MemorySegment slot) {
        return errno(slot) == EINTR;
    }

    /// Returns `r`, or throws the [PosixException] for `function` on `subject` when `r` is
    /// negative, with the errno captured in `slot`.
    public static int check(int r, MemorySegment slot, String function, String subject) throws PosixException {
        if (r < 0) {
            throw new PosixException(function, errno(slot), subject);
        }
        return r;
    }

    /// [#check(int, MemorySegment, String, String)] with a numeric subject, formatted only on failure.
    public static int check(int r, MemorySegment slot, String function, long subject) throws PosixException {
        if (r < 0) {
            throw new PosixException(function, errno(slot), Long.toString(subject));
        }
        return r;
    }

    /// [#check(int, MemorySegment, String, String)] for calls that return a `long`.
    public static long check(long r, MemorySegment slot, String function, String subject) throws PosixException {
        if (r < 0) {
            throw new PosixException(function, errno(slot), subject);
        }
        return r;
    }

    /// For functions that return an error number instead of setting errno (`posix_fallocate`,
    /// `posix_fadvise`, `posix_spawn*`, the `_r` lookups): throws when `rc` is not zero.
    public static void checkReturned(int rc, String function, String subject) throws PosixException {
        if (rc != 0) {
            throw new PosixException(function, rc, subject);
        }
    }

    /// Lets a [PosixException] through and converts anything else `invokeExact` may throw; use as
    /// `catch (Throwable t) { throw Libc.propagate(t); }`.
    public static PosixException propagate(Throwable t) {
        if (t instanceof PosixException p) {
            return p;
        }
        throw unexpected(t);
    }

    /// Converts what `invokeExact` may throw into an unchecked throwable. A downcall declares
    /// `Throwable` but only throws what the JVM itself throws (errors, wrong-argument exceptions).
    public static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call threw " + t, t);
    }
}
