package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/// Raw bindings for <unistd.h>. No policy here.
///
/// The calls on ids, sessions and terminals are in [IdentityH], [SessionH] and [TerminalH]:
/// initialising a binding class links every native call it holds, so a command pays at its start
/// only for the classes it uses (a fraction of a millisecond a call of the shared descriptor,
/// [Libc#intFunction], a few for each descriptor of its own not linked before).
public final class UnistdH {
    private UnistdH() {}

    private static final FunctionDescriptor INT_VOID = FunctionDescriptor.of(JAVA_INT);
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    /// pid_t getpid(void);   getpid(2). Cannot fail; short enough to run as a critical call.
    public static final MethodHandle GETPID = Libc.plain("getpid", INT_VOID, CRITICAL);
    /// pid_t getppid(void);   getppid(2)
    public static final MethodHandle GETPPID = Libc.plain("getppid", INT_VOID, CRITICAL);
    /// long sysconf(int name);   sysconf(3)
    public static final CLongFunction SYSCONF = Libc.longFunction("sysconf");
    /// ssize_t read(int fd, void *buf, size_t count);   read(2)
    public static final MethodHandle READ = Libc.errnoSetting("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    /// ssize_t write(int fd, const void *buf, size_t count);   write(2)
    public static final MethodHandle WRITE = Libc.errnoSetting("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    /// ssize_t pread(int fd, void *buf, size_t count, off_t offset);   pread(2)
    public static final CLongFunction PREAD = Libc.longFunction("pread");
    /// ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset);   pwrite(2)
    public static final CLongFunction PWRITE = Libc.longFunction("pwrite");
    /// int close(int fd);   close(2)
    public static final CIntFunction CLOSE = Libc.intFunction("close");
    /// int pipe2(int pipefd[2], int flags);   pipe(2)
    public static final CIntFunction PIPE2 = Libc.intFunction("pipe2");

    /// _SC_OPEN_MAX, for sysconf.
    public static final int SC_OPEN_MAX = 4;
    /// ssize_t readlinkat(int dirfd, const char *pathname, char *buf, size_t bufsiz);   readlinkat(2)
    public static final CLongFunction READLINKAT = Libc.longFunction("readlinkat");
    /// int unlinkat(int dirfd, const char *pathname, int flags);   unlinkat(2)
    public static final CIntFunction UNLINKAT = Libc.intFunction("unlinkat");
    /// int faccessat(int dirfd, const char *pathname, int mode, int flags);   faccessat(2)
    public static final CIntFunction FACCESSAT = Libc.intFunction("faccessat");
}
