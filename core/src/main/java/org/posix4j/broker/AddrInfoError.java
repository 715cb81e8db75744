package org.posix4j.broker;

import java.util.Optional;

/// A getaddrinfo(3) error, the seed's failure answer for `getaddrinfo`, with glibc's numbers.
public enum AddrInfoError {
    /// Invalid flags.
    EAI_BADFLAGS(-1),
    /// The name is not known (the answer for names the policy does not allow).
    EAI_NONAME(-2),
    /// A temporary failure; try again.
    EAI_AGAIN(-3),
    /// A permanent failure.
    EAI_FAIL(-4),
    /// The host has no address of the requested family.
    EAI_NODATA(-5),
    /// The family is not supported.
    EAI_FAMILY(-6),
    /// The socket type is not supported.
    EAI_SOCKTYPE(-7),
    /// The service is not known for the socket type.
    EAI_SERVICE(-8),
    /// The host has no address in the requested family.
    EAI_ADDRFAMILY(-9),
    /// Out of memory.
    EAI_MEMORY(-10),
    /// A system error.
    EAI_SYSTEM(-11);

    private final int code;

    AddrInfoError(int code) {
        this.code = code;
    }

    /// glibc's (negative) number for this error.
    public int code() {
        return code;
    }

    /// The error for glibc's number `code`.
    public static Optional<AddrInfoError> of(int code) {
        for (AddrInfoError e : values()) {
            if (e.code == code) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
