package org.posix4j.process;

import java.util.Objects;

/// A soft and a hard limit for one resource, as struct rlimit holds them.
///
/// @param soft the limit the kernel enforces
/// @param hard the ceiling up to which an unprivileged process may raise `soft`
public record Rlimit(Limit soft, Limit hard) {
    /// Checks the pair.
    ///
    /// @throws IllegalArgumentException if `soft` exceeds `hard`
    public Rlimit {
        Objects.requireNonNull(soft, "soft");
        Objects.requireNonNull(hard, "hard");
        if (!hard.isUnlimited() && (soft.isUnlimited() || soft.value() > hard.value())) {
            throw new IllegalArgumentException("soft limit " + soft + " exceeds hard limit " + hard);
        }
    }

    /// Both limits finite.
    public static Rlimit of(long soft, long hard) {
        return new Rlimit(Limit.of(soft), Limit.of(hard));
    }

    /// Both limits unlimited.
    public static Rlimit unlimited() {
        return new Rlimit(Limit.UNLIMITED, Limit.UNLIMITED);
    }
}
