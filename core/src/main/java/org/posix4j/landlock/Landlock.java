package org.posix4j.landlock;

import org.posix4j.internal.LandlockH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SyscallH;

/// What the running kernel's Landlock offers.
public final class Landlock {
    private Landlock() {}

    /// The Landlock ABI version of the running kernel: `landlock_create_ruleset(NULL, 0,
    /// LANDLOCK_CREATE_RULESET_VERSION)`. Each version adds rights (see [FsAccess#abi()]); Linux
    /// 6.12+ speaks at least 6.
    ///
    /// Asked of the kernel at each call (one syscall), so a seccomp filter that hides Landlock
    /// from this thread is seen.
    ///
    /// @return the version, or 0 when the kernel has no Landlock (ENOSYS), it was left out of
    ///     the boot's LSM list (EOPNOTSUPP), the call is refused otherwise, or the architecture
    ///     is unknown to posix4j
    public static int abi() {
        return (int) Math.max(0, ask(LandlockH.CREATE_RULESET_VERSION));
    }

    /// The errata of the running kernel's Landlock that are fixed, as a bit mask (bit N set:
    /// erratum N+1 is fixed): `landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_ERRATA)`.
    ///
    /// @return the mask, or 0 when the kernel cannot tell (before ABI 7) or has no Landlock
    public static long errata() {
        return Math.max(0, ask(LandlockH.CREATE_RULESET_ERRATA));
    }

    private static long ask(long flag) {
        if (LandlockH.CREATE_RULESET < 0) {
            return -1;
        }
        try {
            return SyscallH.SYSCALL.call(Libc.errnoSlot(), LandlockH.CREATE_RULESET, 0L, 0L, flag);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }
}
