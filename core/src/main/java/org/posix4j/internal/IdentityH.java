package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/// Raw bindings for the <unistd.h> calls that read and set the process's user and group ids. No
/// policy here.
///
/// Apart from [UnistdH] so that a command needing none of them does not link them: see there.
public final class IdentityH {
    private IdentityH() {}

    private static final FunctionDescriptor INT_VOID = FunctionDescriptor.of(JAVA_INT);
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    /// uid_t getuid(void);   getuid(2)
    public static final MethodHandle GETUID = Libc.plain("getuid", INT_VOID, CRITICAL);
    /// uid_t geteuid(void);   geteuid(2)
    public static final MethodHandle GETEUID = Libc.plain("geteuid", INT_VOID, CRITICAL);
    /// gid_t getgid(void);   getgid(2)
    public static final MethodHandle GETGID = Libc.plain("getgid", INT_VOID, CRITICAL);
    /// gid_t getegid(void);   getegid(2)
    public static final MethodHandle GETEGID = Libc.plain("getegid", INT_VOID, CRITICAL);
    /// int getresuid(uid_t *ruid, uid_t *euid, uid_t *suid);   getresuid(2)
    public static final CIntFunction GETRESUID = Libc.intFunction("getresuid");
    /// int getresgid(gid_t *rgid, gid_t *egid, gid_t *sgid);   getresgid(2)
    public static final CIntFunction GETRESGID = Libc.intFunction("getresgid");
    /// int setuid(uid_t uid);   setuid(2); glibc applies it to every thread of the process.
    public static final CIntFunction SETUID = Libc.intFunction("setuid");
    /// int setgid(gid_t gid);   setgid(2)
    public static final CIntFunction SETGID = Libc.intFunction("setgid");
    /// int setreuid(uid_t ruid, uid_t euid);   setreuid(2)
    public static final CIntFunction SETREUID = Libc.intFunction("setreuid");
    /// int setregid(gid_t rgid, gid_t egid);   setregid(2)
    public static final CIntFunction SETREGID = Libc.intFunction("setregid");
    /// int getgroups(int size, gid_t list[]);   getgroups(2)
    public static final CIntFunction GETGROUPS = Libc.intFunction("getgroups");
}
