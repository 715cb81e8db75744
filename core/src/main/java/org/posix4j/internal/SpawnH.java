package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/// Raw bindings for <spawn.h> and the `environ` variable. No policy here. The sigset_t and
/// sigaction bindings spawning also needs are in [SignalH].
///
/// Every `posix_spawn*` function returns an error number instead of setting errno: check with
/// [Libc#checkReturned], never with [Libc#check]. The `_np` file actions are glibc extensions
/// (2.29, 2.34, 2.35); a libc without one leaves its handle empty.
public final class SpawnH {
    private SpawnH() {}

    /// int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *file_actions,
    ///     const posix_spawnattr_t *attrp, char *const argv[], char *const envp[]);   posix_spawn(3)
    public static final CIntFunction POSIX_SPAWN = Libc.intFunction("posix_spawn");
    /// int posix_spawnp(pid_t *pid, const char *file, ...same as posix_spawn);   posix_spawn(3):
    /// searches the caller's PATH; glibc 2.15+ does not fall back to /bin/sh on ENOEXEC.
    public static final CIntFunction POSIX_SPAWNP = Libc.intFunction("posix_spawnp");

    /// int posix_spawnattr_init(posix_spawnattr_t *attr);   posix_spawnattr_init(3)
    public static final CIntFunction ATTR_INIT = Libc.intFunction("posix_spawnattr_init");
    /// int posix_spawnattr_destroy(posix_spawnattr_t *attr);   posix_spawnattr_destroy(3)
    public static final CIntFunction ATTR_DESTROY = Libc.intFunction("posix_spawnattr_destroy");
    /// int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags);   posix_spawnattr_setflags(3)
    public static final CIntFunction ATTR_SETFLAGS = Libc.intFunction("posix_spawnattr_setflags");
    /// int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup);   posix_spawnattr_setpgroup(3)
    public static final CIntFunction ATTR_SETPGROUP = Libc.intFunction("posix_spawnattr_setpgroup");
    /// int posix_spawnattr_setsigdefault(posix_spawnattr_t *attr, const sigset_t *sigdefault);
    /// posix_spawnattr_setsigdefault(3)
    public static final CIntFunction ATTR_SETSIGDEFAULT = Libc.intFunction("posix_spawnattr_setsigdefault");
    /// int posix_spawnattr_setsigmask(posix_spawnattr_t *attr, const sigset_t *sigmask);
    /// posix_spawnattr_setsigmask(3)
    public static final CIntFunction ATTR_SETSIGMASK = Libc.intFunction("posix_spawnattr_setsigmask");

    /// int posix_spawn_file_actions_init(posix_spawn_file_actions_t *file_actions);
    /// posix_spawn_file_actions_init(3)
    public static final CIntFunction FA_INIT = Libc.intFunction("posix_spawn_file_actions_init");
    /// int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *file_actions);
    /// posix_spawn_file_actions_destroy(3)
    public static final CIntFunction FA_DESTROY = Libc.intFunction("posix_spawn_file_actions_destroy");
    /// int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd);
    /// posix_spawn_file_actions_addclose(3); glibc's child ignores EBADF for a descriptor below
    /// the descriptor limit.
    public static final CIntFunction FA_ADDCLOSE = Libc.intFunction("posix_spawn_file_actions_addclose");
    /// int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd);
    /// posix_spawn_file_actions_adddup2(3); with fd == newfd it clears FD_CLOEXEC (Austin Group
    /// issue 411) and fails with EBADF when fd is not open.
    public static final CIntFunction FA_ADDDUP2 = Libc.intFunction("posix_spawn_file_actions_adddup2");
    /// int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa, int fd, const char *path,
    ///     int oflag, mode_t mode);   posix_spawn_file_actions_addopen(3); copies path.
    public static final CIntFunction FA_ADDOPEN = Libc.intFunction("posix_spawn_file_actions_addopen");
    /// int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *fa, const char *path);
    /// glibc 2.29+; copies path.
    public static final Optional<CIntFunction> FA_ADDCHDIR_NP = optional("posix_spawn_file_actions_addchdir_np");
    /// int posix_spawn_file_actions_addfchdir_np(posix_spawn_file_actions_t *fa, int fd);   glibc 2.29+
    public static final Optional<CIntFunction> FA_ADDFCHDIR_NP = optional("posix_spawn_file_actions_addfchdir_np");
    /// int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *fa, int from);
    /// glibc 2.34+; the child uses close_range(2).
    public static final Optional<CIntFunction> FA_ADDCLOSEFROM_NP =
            optional("posix_spawn_file_actions_addclosefrom_np");
    /// int posix_spawn_file_actions_addtcsetpgrp_np(posix_spawn_file_actions_t *fa, int tcfd);
    /// glibc 2.35+; the child makes its process group the foreground group of terminal tcfd.
    public static final Optional<CIntFunction> FA_ADDTCSETPGRP_NP =
            optional("posix_spawn_file_actions_addtcsetpgrp_np");

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

    private static Optional<CIntFunction> optional(String name) {
        return Libc.has(name) ? Optional.of(Libc.intFunction(name)) : Optional.empty();
    }

    static {
        Abi.check("posix_spawnattr_t", POSIX_SPAWNATTR, 336);
        Abi.check("posix_spawn_file_actions_t", POSIX_SPAWN_FILE_ACTIONS, 80);
    }
}
