package org.posix4j.systemd;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.posix4j.PosixException;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SocketH;

/// The socket calls of this package, on raw descriptor numbers.
final class Sockets {
    private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    private Sockets() {}

    /// socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0).
    static int unixDatagram() throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            int fd = SocketH.SOCKET.call(errno, SocketH.AF_UNIX, SocketH.SOCK_DGRAM | SocketH.SOCK_CLOEXEC, 0);
            return Libc.check(fd, errno, "socket", "AF_UNIX, SOCK_DGRAM");
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// sendto(2) of one datagram to the sockaddr_un whose bytes are `address`, retried on EINTR.
    static void sendTo(int fd, byte[] message, byte[] address, String subject) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocateFrom(JAVA_BYTE, message);
            MemorySegment addr = arena.allocateFrom(JAVA_BYTE, address);
            long r;
            do {
                r = SocketH.SENDTO.call(errno, fd, buf.address(), (long) message.length, SocketH.MSG_NOSIGNAL,
                        addr.address(), address.length);
            } while (r < 0 && Libc.interrupted(errno));
            Libc.check(r, errno, "sendto", subject);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// accept4(fd, NULL, NULL, SOCK_CLOEXEC), retried on EINTR.
    static int accept(int fd) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try {
            int r;
            do {
                r = SocketH.ACCEPT4.call(errno, fd, 0L, 0L,
                        SocketH.SOCK_CLOEXEC);
            } while (r < 0 && Libc.interrupted(errno));
            return Libc.check(r, errno, "accept4", fd);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// getsockopt(fd, SOL_SOCKET, option) of an int option; the PosixException carries ENOTSOCK
    /// when `fd` is not a socket.
    static int intOption(int fd, int option) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) JAVA_INT.byteSize());
            int r = SocketH.GETSOCKOPT.call(errno, fd, SocketH.SOL_SOCKET, option, value.address(), length.address());
            Libc.check(r, errno, "getsockopt", fd);
            return value.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// The address getsockname(2) answers, for the INET, INET6 and named UNIX families.
    static Optional<SocketAddress> localAddress(int fd) throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = arena.allocate(SocketH.SOCKADDR_STORAGE_SIZE, 8);
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) SocketH.SOCKADDR_STORAGE_SIZE);
            int r = SocketH.GETSOCKNAME.call(errno, fd, addr.address(), length.address());
            Libc.check(r, errno, "getsockname", fd);
            return decode(addr, length.get(JAVA_INT, 0));
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    private static Optional<SocketAddress> decode(MemorySegment addr, int length) throws UnknownHostException {
        int family = addr.get(JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(addr.get(PORT, SocketH.SIN_PORT_OFFSET));
        return switch (family) {
            case SocketH.AF_INET -> Optional.of(new InetSocketAddress(InetAddress.getByAddress(
                    addr.asSlice(SocketH.SIN_ADDR_OFFSET, 4).toArray(JAVA_BYTE)), port));
            case SocketH.AF_INET6 -> Optional.of(new InetSocketAddress(Inet6Address.getByAddress(null,
                    addr.asSlice(SocketH.SIN6_ADDR_OFFSET, 16).toArray(JAVA_BYTE),
                    addr.get(JAVA_INT, SocketH.SIN6_SCOPE_ID_OFFSET)), port));
            case SocketH.AF_UNIX -> unixPath(addr, length);
            default -> Optional.empty();
        };
    }

    // An unnamed socket has no path, an abstract one starts with NUL: neither is a file system path.
    private static Optional<SocketAddress> unixPath(MemorySegment addr, int length) {
        long pathLength = length - SocketH.SUN_PATH_OFFSET;
        if (pathLength <= 0 || addr.get(JAVA_BYTE, SocketH.SUN_PATH_OFFSET) == 0) {
            return Optional.empty();
        }
        byte[] path = addr.asSlice(SocketH.SUN_PATH_OFFSET, pathLength).toArray(JAVA_BYTE);
        int end = 0;
        while (end < path.length && path[end] != 0) {
            end++;
        }
        return Optional.of(UnixDomainSocketAddress.of(new String(path, 0, end, StandardCharsets.UTF_8)));
    }
}
