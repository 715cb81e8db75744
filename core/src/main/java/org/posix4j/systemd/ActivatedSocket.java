package org.posix4j.systemd;

import java.net.SocketAddress;
import java.util.Optional;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;

/// A descriptor passed by the service manager through socket activation, found by
/// [SocketActivation#listenFds(boolean)].
///
/// The JDK cannot wrap an inherited descriptor in a `ServerSocketChannel` (only
/// `System.inheritedChannel()` for descriptor 0), so [#accept()] accepts connections itself and
/// answers each as an [Fd], whose `inputStream()`, `outputStream()` and `channel()` read and
/// write the connection.
///
/// Thread safety: immutable; [#accept()] may be called from several threads at once, each
/// connection goes to one of them.
///
/// @param fd the descriptor, owned (closing it closes the socket) and close-on-exec
/// @param name its name from `LISTEN_FDNAMES` (systemd's `FileDescriptorName=`), or `"unknown"`
/// @param family its address family, [SocketFamily#NOT_A_SOCKET] for a FIFO or a file
/// @param type its socket type, [SocketType#NOT_A_SOCKET] for a FIFO or a file
/// @param listening whether it is a listening socket (getsockopt SO_ACCEPTCONN)
public record ActivatedSocket(Fd fd, String name, SocketFamily family, SocketType type, boolean listening) {
    /// Checks the components.
    ///
    /// @throws IllegalArgumentException if a component is null
    public ActivatedSocket {
        if (fd == null || name == null || family == null || type == null) {
            throw new IllegalArgumentException("fd, name, family and type must not be null");
        }
    }

    /// Waits for the next connection on this listening socket and answers it as an owned,
    /// close-on-exec [Fd]: accept4(2) with SOCK_CLOEXEC, retried on EINTR. See
    /// [SocketActivation#accept(Fd)].
    ///
    /// @throws PosixException with accept4(2)'s errno: EINVAL if the socket is not listening,
    ///     EOPNOTSUPP for a datagram socket, ENOTSOCK for a FIFO or file, EAGAIN if non-blocking and
    ///     no connection is waiting
    /// @throws IllegalStateException if `fd` was closed
    public Fd accept() throws PosixException {
        return SocketActivation.accept(fd);
    }

    /// The local address of the socket (getsockname(2)): an `InetSocketAddress` for INET and
    /// INET6, a `UnixDomainSocketAddress` for a UNIX socket bound to a path; empty for an abstract
    /// or unnamed UNIX socket and for other families.
    ///
    /// @throws PosixException with getsockname(2)'s errno: ENOTSOCK for a FIFO or a file
    /// @throws IllegalStateException if `fd` was closed
    public Optional<SocketAddress> localAddress() throws PosixException {
        return Sockets.localAddress(fd.intValue());
    }
}
