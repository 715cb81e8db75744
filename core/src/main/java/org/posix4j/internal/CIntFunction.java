package org.posix4j.internal;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/// A C function that returns an `int` (or `void`, or an id type such as `pid_t`): the result is
/// the low 32 bits of the returned register, which is all the C ABI defines for such a type.
///
/// Linked by [Libc#intFunction] with the descriptor that most bindings share: each argument, whatever
/// its C type (an `int`, a `size_t`, a pointer given as [MemorySegment#address()]), travels as
/// a `long`, and unused ones as 0. `errno` is the caller's capture segment from
/// [Libc#errnoSlot()]; for the functions that report failure by their return value it is
/// written but never read. Thread-safe: a record of one constant handle.
public record CIntFunction(MethodHandle handle) {
    /// Calls the function with no arguments; `errno` receives the errno it leaves.
    public int call(MemorySegment errno) throws Throwable {
        return (int) (long) handle.invokeExact(errno, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
    }

    /// Calls the function with one argument.
    public int call(MemorySegment errno, long a) throws Throwable {
        return (int) (long) handle.invokeExact(errno, a, 0L, 0L, 0L, 0L, 0L, 0L);
    }

    /// Calls the function with two arguments.
    public int call(MemorySegment errno, long a, long b) throws Throwable {
        return (int) (long) handle.invokeExact(errno, a, b, 0L, 0L, 0L, 0L, 0L);
    }

    /// Calls the function with three arguments.
    public int call(MemorySegment errno, long a, long b, long c) throws Throwable {
        return (int) (long) handle.invokeExact(errno, a, b, c, 0L, 0L, 0L, 0L);
    }

    /// Calls the function with four arguments.
    public int call(MemorySegment errno, long a, long b, long c, long d) throws Throwable {
        return (int) (long) handle.invokeExact(errno, a, b, c, d, 0L, 0L, 0L);
    }

    /// Calls the function with five arguments.
    public int call(MemorySegment errno, long a, long b, long c, long d, long e) throws Throwable {
        return (int) (long) handle.invokeExact(errno, a, b, c, d, e, 0L, 0L);
    }

    /// Calls the function with six arguments.
    public int call(MemorySegment errno, long a, long b, long c, long d, long e, long f) throws Throwable {
        return (int) (long) handle.invokeExact(errno, a, b, c, d, e, f, 0L);
    }

    /// Calls the function with seven arguments.
    public int call(MemorySegment errno, long a, long b, long c, long d, long e, long f, long g) throws Throwable {
        return (int) (long) handle.invokeExact(errno, a, b, c, d, e, f, g);
    }
}
