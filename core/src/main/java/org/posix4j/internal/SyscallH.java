package org.posix4j.internal;

/// Raw binding for `long syscall(long number, ...)`, syscall(2), for the calls glibc does not
/// wrap. `syscall` reads each variadic argument with `va_arg(ap, long)`, so every argument is
/// passed as a full `long`, as [CLongFunction] passes them all: a 32-bit argument sign-extended
/// by Java, which the kernel truncates back to its 32-bit parameter.
public final class SyscallH {
    private SyscallH() {}

    /// long syscall(long number, ...);   syscall(2), with the number first and up to six arguments.
    public static final CLongFunction SYSCALL = Libc.longFunction("syscall");
}
