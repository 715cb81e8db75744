package org.posix4j.systemd;

import org.posix4j.internal.SocketH;

/// The address family of an activated descriptor (getsockopt SO_DOMAIN).
public enum SocketFamily {
    /// AF_UNIX: a local socket, named by a path or an abstract name.
    UNIX,
    /// AF_INET: IPv4.
    INET,
    /// AF_INET6: IPv6.
    INET6,
    /// Another family (netlink, vsock...).
    OTHER,
    /// The descriptor is not a socket (a FIFO or a file passed by the service manager).
    NOT_A_SOCKET;

    static SocketFamily of(int domain) {
        return switch (domain) {
            case SocketH.AF_UNIX -> UNIX;
            case SocketH.AF_INET -> INET;
            case SocketH.AF_INET6 -> INET6;
            default -> OTHER;
        };
    }
}
