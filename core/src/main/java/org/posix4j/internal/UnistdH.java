package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/// Raw bindings for <unistd.h>. No policy here.
public final class UnistdH {
    private UnistdH() {}

    private static final FunctionDescriptor INT_VOID = FunctionDescriptor.of(JAVA_INT);
    private static final FunctionDescriptor INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_PTR3 = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    /// pid_t getpid(void);   getpid(2). Cannot fail; short enough to run as a critical call.
    public static final MethodHandle GETPID = Libc.plain("getpid", INT_VOID, CRITICAL);
    /// pid_t getppid(void);   getppid(2)
    public static final MethodHandle GETPPID = Libc.plain("getppid", INT_VOID, CRITICAL);
    /// uid_t getuid(void);   getuid(2)
    public static final MethodHandle GETUID = Libc.plain("getuid", INT_VOID, CRITICAL);
    /// uid_t geteuid(void);   geteuid(2)
    public static final MethodHandle GETEUID = Libc.plain("geteuid", INT_VOID, CRITICAL);
    /// gid_t getgid(void);   getgid(2)
    public static final MethodHandle GETGID = Libc.plain("getgid", INT_VOID, CRITICAL);
    /// gid_t getegid(void);   getegid(2)
    public static final MethodHandle GETEGID = Libc.plain("getegid", INT_VOID, CRITICAL);
    /// int getresuid(uid_t *ruid, uid_t *euid, uid_t *suid);   getresuid(2)
    public static final MethodHandle GETRESUID = Libc.errnoSetting("getresuid", INT_PTR3);
    /// int getresgid(gid_t *rgid, gid_t *egid, gid_t *sgid);   getresgid(2)
    public static final MethodHandle GETRESGID = Libc.errnoSetting("getresgid", INT_PTR3);
    /// int setuid(uid_t uid);   setuid(2); glibc applies it to every thread of the process.
    public static final MethodHandle SETUID = Libc.errnoSetting("setuid", INT_INT);
    /// int setgid(gid_t gid);   setgid(2)
    public static final MethodHandle SETGID = Libc.errnoSetting("setgid", INT_INT);
    /// int setreuid(uid_t ruid, uid_t euid);   setreuid(2)
    public static final MethodHandle SETREUID = Libc.errnoSetting("setreuid", INT_INT_INT);
    /// int setregid(gid_t rgid, gid_t egid);   setregid(2)
    public static final MethodHandle SETREGID = Libc.errnoSetting("setregid", INT_INT_INT);
    /// int getgroups(int size, gid_t list[]);   getgroups(2)
    public static final MethodHandle GETGROUPS = Libc.errnoSetting("getgroups",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    /// pid_t getpgid(pid_t pid);   getpgid(2)
    public static final MethodHandle GETPGID = Libc.errnoSetting("getpgid", INT_INT);
    /// pid_t getpgrp(void);   getpgrp(2)
    public static final MethodHandle GETPGRP = Libc.plain("getpgrp", INT_VOID, CRITICAL);
    /// int setpgid(pid_t pid, pid_t pgid);   setpgid(2)
    public static final MethodHandle SETPGID = Libc.errnoSetting("setpgid", INT_INT_INT);
    /// pid_t getsid(pid_t pid);   getsid(2)
    public static final MethodHandle GETSID = Libc.errnoSetting("getsid", INT_INT);
    /// pid_t setsid(void);   setsid(2)
    public static final MethodHandle SETSID = Libc.errnoSetting("setsid", INT_VOID);
    /// pid_t tcgetpgrp(int fd);   tcgetpgrp(3)
    public static final MethodHandle TCGETPGRP = Libc.errnoSetting("tcgetpgrp", INT_INT);
    /// int tcsetpgrp(int fd, pid_t pgrp);   tcsetpgrp(3)
    public static final MethodHandle TCSETPGRP = Libc.errnoSetting("tcsetpgrp", INT_INT_INT);
    /// int ttyname_r(int fd, char *buf, size_t buflen);   ttyname(3); returns an error number.
    public static final MethodHandle TTYNAME_R = Libc.plain("ttyname_r",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    /// int isatty(int fd);   isatty(3)
    public static final MethodHandle ISATTY = Libc.errnoSetting("isatty", INT_INT);
    /// long sysconf(int name);   sysconf(3)
    public static final MethodHandle SYSCONF = Libc.errnoSetting("sysconf",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    /// ssize_t read(int fd, void *buf, size_t count);   read(2)
    public static final MethodHandle READ = Libc.errnoSetting("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    /// ssize_t write(int fd, const void *buf, size_t count);   write(2)
    public static final MethodHandle WRITE = Libc.errnoSetting("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    /// ssize_t pread(int fd, void *buf, size_t count, off_t offset);   pread(2)
    public static final MethodHandle PREAD = Libc.errnoSetting("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    /// ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset);   pwrite(2)
    public static final MethodHandle PWRITE = Libc.errnoSetting("pwrite",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    /// int close(int fd);   close(2)
    public static final MethodHandle CLOSE = Libc.errnoSetting("close", INT_INT);
    /// int pipe2(int pipefd[2], int flags);   pipe(2)
    public static final MethodHandle PIPE2 = Libc.errnoSetting("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    /// _SC_OPEN_MAX, for sysconf.
    public static final int SC_OPEN_MAX = 4;
    /// ssize_t readlinkat(int dirfd, const char *pathname, char *buf, size_t bufsiz);   readlinkat(2)
    public static final MethodHandle READLINKAT = Libc.errnoSetting("readlinkat",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    /// int unlinkat(int dirfd, const char *pathname, int flags);   unlinkat(2)
    public static final MethodHandle UNLINKAT = Libc.errnoSetting("unlinkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /// int faccessat(int dirfd, const char *pathname, int mode, int flags);   faccessat(2)
    public static final MethodHandle FACCESSAT = Libc.errnoSetting("faccessat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
}
