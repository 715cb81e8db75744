package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/// Raw bindings for <spawn.h> and the `environ` variable. No policy here. The sigset_t and
/// sigaction bindings spawning also needs are in [SignalH].
///
/// Every `posix_spawn*` function returns an error number instead of setting errno: check with
/// [Libc#checkReturned], never with [Libc#check]. The `_np` file actions are glibc extensions
/// (2.29, 2.34, 2.35); a libc without one leaves its handle empty.
public final class SpawnH {
    private SpawnH() {}

    private static final FunctionDescriptor INT_PTR = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final FunctionDescriptor INT_PTR_INT = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor INT_PTR_PTR = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    private static final FunctionDescriptor SPAWN =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);

    /// int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *file_actions,
    ///     const posix_spawnattr_t *attrp, char *const argv[], char *const envp[]);   posix_spawn(3)
    public static final MethodHandle POSIX_SPAWN = Libc.plain("posix_spawn", SPAWN);
    /// int posix_spawnp(pid_t *pid, const char *file, ...same as posix_spawn);   posix_spawn(3):
    /// searches the caller's PATH; glibc 2.15+ does not fall back to /bin/sh on ENOEXEC.
    public static final MethodHandle POSIX_SPAWNP = Libc.plain("posix_spawnp", SPAWN);

    /// int posix_spawnattr_init(posix_spawnattr_t *attr);   posix_spawnattr_init(3)
    public static final MethodHandle ATTR_INIT = Libc.plain("posix_spawnattr_init", INT_PTR);
    /// int posix_spawnattr_destroy(posix_spawnattr_t *attr);   posix_spawnattr_destroy(3)
    public static final MethodHandle ATTR_DESTROY = Libc.plain("posix_spawnattr_destroy", INT_PTR);
    /// int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags);   posix_spawnattr_setflags(3)
    public static final MethodHandle ATTR_SETFLAGS = Libc.plain("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    /// int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup);   posix_spawnattr_setpgroup(3)
    public static final MethodHandle ATTR_SETPGROUP = Libc.plain("posix_spawnattr_setpgroup", INT_PTR_INT);
    /// int posix_spawnattr_setsigdefault(posix_spawnattr_t *attr, const sigset_t *sigdefault);
    /// posix_spawnattr_setsigdefault(3)
    public static final MethodHandle ATTR_SETSIGDEFAULT = Libc.plain("posix_spawnattr_setsigdefault", INT_PTR_PTR);
    /// int posix_spawnattr_setsigmask(posix_spawnattr_t *attr, const sigset_t *sigmask);
    /// posix_spawnattr_setsigmask(3)
    public static final MethodHandle ATTR_SETSIGMASK = Libc.plain("posix_spawnattr_setsigmask", INT_PTR_PTR);

    /// int posix_spawn_file_actions_init(posix_spawn_file_actions_t *file_actions);
    /// posix_spawn_file_actions_init(3)
    public static final MethodHandle FA_INIT = Libc.plain("posix_spawn_file_actions_init", INT_PTR);
    /// int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *file_actions);
    /// posix_spawn_file_actions_destroy(3)
    public static final MethodHandle FA_DESTROY = Libc.plain("posix_spawn_file_actions_destroy", INT_PTR);
    /// int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd);
    /// posix_spawn_file_actions_addclose(3); glibc's child ignores EBADF for a descriptor below
    /// the descriptor limit.
    public static final MethodHandle FA_ADDCLOSE = Libc.plain("posix_spawn_file_actions_addclose", INT_PTR_INT);
    /// int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd);
    /// posix_spawn_file_actions_adddup2(3); with fd == newfd it clears FD_CLOEXEC (Austin Group
    /// issue 411) and fails with EBADF when fd is not open.
    public static final MethodHandle FA_ADDDUP2 = Libc.plain("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    /// int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa, int fd, const char *path,
    ///     int oflag, mode_t mode);   posix_spawn_file_actions_addopen(3); copies path.
    public static final MethodHandle FA_ADDOPEN = Libc.plain("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    /// int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *fa, const char *path);
    /// glibc 2.29+; copies path.
    public static final Optional<MethodHandle> FA_ADDCHDIR_NP = optional("posix_spawn_file_actions_addchdir_np",
            INT_PTR_PTR);
    /// int posix_spawn_file_actions_addfchdir_np(posix_spawn_file_actions_t *fa, int fd);   glibc 2.29+
    public static final Optional<MethodHandle> FA_ADDFCHDIR_NP = optional("posix_spawn_file_actions_addfchdir_np",
            INT_PTR_INT);
    /// int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *fa, int from);
    /// glibc 2.34+; the child uses close_range(2).
    public static final Optional<MethodHandle> FA_ADDCLOSEFROM_NP =
            optional("posix_spawn_file_actions_addclosefrom_np", INT_PTR_INT);
    /// int posix_spawn_file_actions_addtcsetpgrp_np(posix_spawn_file_actions_t *fa, int tcfd);
    /// glibc 2.35+; the child makes its process group the foreground group of terminal tcfd.
    public static final Optional<MethodHandle> FA_ADDTCSETPGRP_NP =
            optional("posix_spawn_file_actions_addtcsetpgrp_np", INT_PTR_INT);

    /// posix_spawnattr_t, opaque: only its size and alignment matter.
    public static final MemoryLayout POSIX_SPAWNATTR = MemoryLayout.sequenceLayout(42, JAVA_LONG);
    /// posix_spawn_file_actions_t, opaque.
    public static final MemoryLayout POSIX_SPAWN_FILE_ACTIONS = MemoryLayout.sequenceLayout(10, JAVA_LONG);

    /// POSIX_SPAWN_SETPGROUP
    public static final short POSIX_SPAWN_SETPGROUP = 0x02;
    /// POSIX_SPAWN_SETSIGDEF
    public static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    /// POSIX_SPAWN_SETSIGMASK
    public static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /// POSIX_SPAWN_SETSID (glibc 2.26+)
    public static final short POSIX_SPAWN_SETSID = 0x80;

    private static final MemorySegment ENVIRON_SYMBOL =
            Linker.nativeLinker().defaultLookup().findOrThrow("environ");

    /// The current value of libc's `char **environ`, read at each call because setenv(3) may
    /// move the array.
    @SuppressWarnings("restricted")
    public static MemorySegment environ() {
        return ENVIRON_SYMBOL.reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
    }

    private static Optional<MethodHandle> optional(String name, FunctionDescriptor descriptor) {
        return Libc.has(name) ? Optional.of(Libc.plain(name, descriptor)) : Optional.empty();
    }

    static {
        Abi.check("posix_spawnattr_t", POSIX_SPAWNATTR, 336);
        Abi.check("posix_spawn_file_actions_t", POSIX_SPAWN_FILE_ACTIONS, 80);
    }
}
