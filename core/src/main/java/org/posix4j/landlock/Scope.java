package org.posix4j.landlock;

import java.util.Set;
import org.posix4j.internal.LandlockH;

/// What a restricted thread, and every process it starts, may no longer reach outside its
/// Landlock domain (`LANDLOCK_SCOPE_*`, ABI 6). A domain is the set of processes restricted by one
/// [Ruleset#restrictCurrentThread()] and those they start; processes outside it (the rest of the
/// JVM included) are out of reach, those of domains nested in it are not.
public enum Scope {
    /// connect(2) and sendto(2) to an abstract unix socket bound by a process outside the domain
    /// fail with EPERM.
    ABSTRACT_UNIX_SOCKET(LandlockH.SCOPE_ABSTRACT_UNIX_SOCKET),
    /// Signals to a process outside the domain (kill(2), tgkill(2), pidfd_send_signal(2), and
    /// SIGIO/SIGURG through fcntl F_SETOWN) fail with EPERM.
    SIGNAL(LandlockH.SCOPE_SIGNAL);

    /// The first Landlock ABI version with scopes.
    public static final int ABI = 6;

    private final long bit;

    Scope(long bit) {
        this.bit = bit;
    }

    static long mask(Set<Scope> scopes) {
        long m = 0;
        for (Scope s : scopes) {
            m |= s.bit;
        }
        return m;
    }
}
