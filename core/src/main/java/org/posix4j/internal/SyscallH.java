package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/// Raw binding for `long syscall(long number, ...)`, syscall(2), for the calls glibc does not
/// wrap. Every variadic argument is passed as a full `long`: `syscall` reads each one with
/// `va_arg(ap, long)`, so a 32-bit argument would leave the upper half of the register undefined.
public final class SyscallH {
    private SyscallH() {}

    private static final Linker.Option VARIADIC = Linker.Option.firstVariadicArg(1);

    /// syscall(number, a1)
    public static final MethodHandle SYSCALL1 = Libc.errnoSetting("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG), VARIADIC);
    /// syscall(number, a1, a2)
    public static final MethodHandle SYSCALL2 = Libc.errnoSetting("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), VARIADIC);
    /// syscall(number, a1, a2, a3)
    public static final MethodHandle SYSCALL3 = Libc.errnoSetting("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), VARIADIC);
    /// syscall(number, a1, a2, a3, a4)
    public static final MethodHandle SYSCALL4 = Libc.errnoSetting("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), VARIADIC);
}
