package org.posix4j.systemd;

import org.posix4j.internal.SocketH;

/// The type of an activated descriptor (getsockopt SO_TYPE).
public enum SocketType {
    /// SOCK_STREAM: connections (TCP, stream UNIX sockets); accept them with [ActivatedSocket#accept()].
    STREAM,
    /// SOCK_DGRAM: datagrams (UDP, datagram UNIX sockets).
    DATAGRAM,
    /// SOCK_SEQPACKET: connections keeping message boundaries.
    SEQPACKET,
    /// Another type (raw sockets...).
    OTHER,
    /// The descriptor is not a socket.
    NOT_A_SOCKET;

    static SocketType of(int type) {
        return switch (type) {
            case SocketH.SOCK_STREAM -> STREAM;
            case SocketH.SOCK_DGRAM -> DATAGRAM;
            case SocketH.SOCK_SEQPACKET -> SEQPACKET;
            default -> OTHER;
        };
    }
}
