package org.posix4j.broker;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.posix4j.internal.CIntFunction;
import org.posix4j.internal.Libc;
import org.posix4j.internal.PollH;
import org.posix4j.internal.SocketH;
import org.posix4j.internal.SysStatH;

/// The socket calls the master makes on a program's own socket: its copy of the program's
/// descriptor (pidfd_getfd(2)) shares the open file description, so a connect or bind acts
/// exactly as the program's would, O_NONBLOCK included. Everything answers a result or -errno.
final class Sockets {
    /// The most data one call makes the master copy out of the program, over all its messages.
    static final int MAX_DATA = 4 << 20;
    private static final int EBADF = 9;
    private static final int EINVAL = 22;
    private static final int EPERM = 1;
    private static final int EINTR = 4;
    private static final int SO_TYPE = 3;
    private static final int SOCK_STREAM = 1;
    private static final int EAGAIN = 11;
    private static final int ENOTSOCK = 88;
    private static final int EMSGSIZE = 90;
    private static final int ETOOMANYREFS = 109;
    /// The most descriptors one message may pass (the kernel's SCM_MAX_FD, over all of its
    /// SCM_RIGHTS): more is EINVAL, as the kernel answers.
    static final int MAX_PASSED = 253;
    private static final int F_GETFL = 3;
    private static final int MSGHDR = 56;
    private static final int MMSGHDR = 64;
    private static final int UIO_MAXIOV = 1024;

    private Sockets() {}

    /// 0 if `fd` is a socket, -ENOTSOCK if not.
    static int checkSocket(Scratch s, int fd) {
        s.path2.set(JAVA_BYTE, 0, (byte) 0);
        int r = Kernel.statx(fd, s.path2, SysStatH.AT_EMPTY_PATH, s.statx);
        if (r < 0) {
            return r;
        }
        int mode = Short.toUnsignedInt(s.statx.get(JAVA_SHORT, 28));
        return (mode & SysStatH.S_IFMT) == SysStatH.S_IFSOCK ? 0 : -ENOTSOCK;
    }

    private static boolean isStream(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment type = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocateFrom(JAVA_INT, 4);
            int r = SocketH.GETSOCKOPT.call(Libc.errnoSlot(), fd, SocketH.SOL_SOCKET, SO_TYPE, type.address(),
                    length.address());
            return r == 0 && type.get(JAVA_INT, 0) == SOCK_STREAM;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static boolean isBlocking(int fd) {
        int flags = Kernel.fcntl(fd, F_GETFL, 0);
        return flags >= 0 && (flags & OpenFlag.O_NONBLOCK) == 0;
    }

    static int connect(int fd, byte[] address) {
        return withAddress(SocketH.CONNECT, fd, address);
    }

    static int bind(int fd, byte[] address) {
        return withAddress(SocketH.BIND, fd, address);
    }

    /// socket(2), close-on-exec, or -errno.
    static int create(int domain, int type, int protocol) {
        try {
            MemorySegment errno = Libc.errnoSlot();
            int r = SocketH.SOCKET.call(errno, domain, type | OpenFlag.O_CLOEXEC, protocol);
            return r < 0 ? -Libc.errno(errno) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int listen(int fd, int backlog) {
        try {
            MemorySegment errno = Libc.errnoSlot();
            int r = SocketH.LISTEN.call(errno, fd, backlog);
            return r < 0 ? -Libc.errno(errno) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// The local address of socket `fd` (getsockname(2)), or `null` when it has none to tell.
    static byte[] localAddress(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(SocketH.SOCKADDR_STORAGE_SIZE);
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) a.byteSize());
            int r = SocketH.GETSOCKNAME.call(Libc.errnoSlot(), fd, a.address(), length.address());
            int n = Math.min(length.get(JAVA_INT, 0), (int) a.byteSize());
            return r < 0 ? null : a.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// connect(2) or bind(2), which share their signature: `call` on `fd` with `address`.
    private static int withAddress(CIntFunction call, int fd, byte[] address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocateFrom(JAVA_BYTE, address);
            MemorySegment errno = Libc.errnoSlot();
            int r = call.call(errno, fd, a.address(), address.length);
            return r < 0 ? -Libc.errno(errno) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// A sockaddr_un naming `path` (raw), or `null` when it does not fit sun_path.
    static byte[] unixAddress(String path) {
        byte[] p = path.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (p.length >= SocketH.SUN_PATH_SIZE) {
            return null;
        }
        byte[] a = new byte[2 + p.length + 1];
        a[0] = (byte) Endpoint.AF_UNIX;
        System.arraycopy(p, 0, a, 2, p.length);
        return a;
    }

    /// One message of the program to send: its data, control messages translated to the
    /// master's descriptors (which the caller closes), its flags, and whether the data was cut
    /// to the copy limit (a stream takes the part as a partial send; a datagram is EMSGSIZE).
    record Message(byte[] data, byte[] control, List<Integer> fds, int flags, boolean truncated) {}

    /// Reads the data at `address` (`length` bytes, at most [#MAX_DATA]) from the caller, counted
    /// in the master's budget ([Caller#reserve]); `null` when it cannot ([Caller#copyError()]
    /// says why).
    static byte[] readData(Caller c, long address, long length) {
        int n = (int) Math.min(length, MAX_DATA);
        if (n == 0) {
            return new byte[0];
        }
        if (!c.reserve(n)) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(n);
            long r = c.read(buf, address, n);
            return r == n ? buf.toArray(JAVA_BYTE) : null;
        }
    }

    /// The msghdr at `address` in the caller: {name pointer, name length, message}, its data
    /// copied up to `limit` bytes, or an errno in `errno[0]`.
    static Object[] readMsghdr(Caller c, long address, long limit, int[] errno) {
        byte[] hdr = readData(c, address, MSGHDR);
        if (hdr == null) {
            errno[0] = c.copyError();
            return null;
        }
        MemorySegment h = MemorySegment.ofArray(hdr);
        long name = h.get(JAVA_LONG.withByteAlignment(1), 0);
        int nameLength = h.get(JAVA_INT.withByteAlignment(1), 8);
        long iov = h.get(JAVA_LONG.withByteAlignment(1), 16);
        long iovCount = h.get(JAVA_LONG.withByteAlignment(1), 24);
        long control = h.get(JAVA_LONG.withByteAlignment(1), 32);
        long controlLength = h.get(JAVA_LONG.withByteAlignment(1), 40);
        if (iovCount < 0 || iovCount > UIO_MAXIOV || controlLength < 0 || controlLength > 65536) {
            errno[0] = iovCount > UIO_MAXIOV ? EMSGSIZE : EINVAL;
            return null;
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        boolean truncated = false;
        if (iovCount > 0) {
            byte[] vecs = readData(c, iov, iovCount * 16);
            if (vecs == null) {
                errno[0] = c.copyError();
                return null;
            }
            MemorySegment v = MemorySegment.ofArray(vecs);
            for (int i = 0; i < iovCount && !truncated; i++) {
                long base = v.get(JAVA_LONG.withByteAlignment(1), 16L * i);
                long len = v.get(JAVA_LONG.withByteAlignment(1), 16L * i + 8);
                long room = limit - data.size();
                truncated = len < 0 || len > room;
                byte[] part = readData(c, base, truncated ? room : len);
                if (part == null) {
                    errno[0] = c.copyError();
                    return null;
                }
                data.writeBytes(part);
            }
        }
        byte[] cmsg = new byte[0];
        List<Integer> fds = new ArrayList<>();
        if (control != 0 && controlLength > 0) {
            cmsg = readData(c, control, controlLength);
            if (cmsg == null) {
                errno[0] = c.copyError();
                return null;
            }
            int e = translateRights(cmsg, c, fds);
            if (e != 0) {
                fds.forEach(Kernel::close);
                errno[0] = e;
                return null;
            }
        }
        return new Object[] {name, nameLength, new Message(data.toByteArray(), cmsg, fds, 0, truncated)};
    }

    /// Replaces the program's descriptor numbers in SCM_RIGHTS messages with the master's
    /// copies (added to `fds`); refuses SCM_CREDENTIALS, which the kernel would check against
    /// the master's credentials instead of the program's, and the messages that route one send
    /// elsewhere than the address decided on (IP_RETOPTS, IPv6 routing headers and next hops),
    /// as the filter refuses the same as socket options. More than [#MAX_PASSED] descriptors
    /// are EINVAL, as in the kernel; copies past the master's budget ETOOMANYREFS
    /// ([Caller#DESCRIPTOR_BUDGET]), reserved for the whole message before any copy is made.
    private static int translateRights(byte[] cmsg, Caller caller, List<Integer> fds) {
        MemorySegment c = MemorySegment.ofArray(cmsg);
        int passed = passedCount(c, cmsg.length);
        if (passed < 0) {
            return -passed;
        }
        if (passed > 0 && !caller.reserveDescriptors(passed)) {
            return ETOOMANYREFS;
        }
        int at = 0;
        while (at + 16 <= cmsg.length) {
            long len = c.get(JAVA_LONG.withByteAlignment(1), at);
            int level = c.get(JAVA_INT.withByteAlignment(1), at + 8);
            int type = c.get(JAVA_INT.withByteAlignment(1), at + 12);
            if (len < 16 || at + len > cmsg.length) {
                return EINVAL;
            }
            if (level == SocketH.SOL_SOCKET && type == SocketH.SCM_CREDENTIALS || routes(level, type)) {
                return EPERM;
            }
            if (level == SocketH.SOL_SOCKET && type == SocketH.SCM_RIGHTS) {
                for (int off = at + 16; off + 4 <= at + len; off += 4) {
                    int copy = caller.copyFd(c.get(JAVA_INT.withByteAlignment(1), off));
                    if (copy < 0) {
                        return copy == -EBADF ? EBADF : -copy;
                    }
                    fds.add(copy);
                    c.set(JAVA_INT.withByteAlignment(1), off, copy);
                }
            }
            at += (int) ((len + 7) & ~7L);
        }
        return 0;
    }

    /// The number of descriptors the SCM_RIGHTS messages of the control buffer `c` (`length`
    /// bytes) pass, or -errno: EINVAL for a malformed header or more than [#MAX_PASSED].
    private static int passedCount(MemorySegment c, int length) {
        int passed = 0;
        int at = 0;
        while (at + 16 <= length) {
            long len = c.get(JAVA_LONG.withByteAlignment(1), at);
            if (len < 16 || at + len > length) {
                return -EINVAL;
            }
            if (c.get(JAVA_INT.withByteAlignment(1), at + 8) == SocketH.SOL_SOCKET
                    && c.get(JAVA_INT.withByteAlignment(1), at + 12) == SocketH.SCM_RIGHTS) {
                passed += (int) ((len - 16) / 4);
                if (passed > MAX_PASSED) {
                    return -EINVAL;
                }
            }
            at += (int) ((len + 7) & ~7L);
        }
        return passed;
    }

    /// Whether a control message of `level` and `type` sets where a packet goes.
    private static boolean routes(int level, int type) {
        return level == SocketH.SOL_IP && type == SocketH.IP_RETOPTS
                || level == SocketH.SOL_IPV6 && (type == SocketH.IPV6_RTHDR || type == SocketH.IPV6_2292RTHDR
                        || type == SocketH.IPV6_NEXTHOP);
    }

    /// sendmsg(2) of `m` to `address` (`null`: none) on `fd`.
    static long send(int fd, Message m, byte[] address, int flags) {
        if (m.truncated() && !isStream(fd)) {
            return -EMSGSIZE;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hdr = arena.allocate(MSGHDR, 8);
            MemorySegment iov = arena.allocate(16, 8);
            MemorySegment data = m.data().length == 0 ? MemorySegment.NULL : arena.allocateFrom(JAVA_BYTE, m.data());
            iov.set(JAVA_LONG, 0, data.address());
            iov.set(JAVA_LONG, 8, m.data().length);
            if (address != null) {
                MemorySegment a = arena.allocateFrom(JAVA_BYTE, address);
                hdr.set(JAVA_LONG, 0, a.address());
                hdr.set(JAVA_INT, 8, address.length);
            }
            hdr.set(JAVA_LONG, 16, iov.address());
            hdr.set(JAVA_LONG, 24, 1);
            if (m.control().length > 0) {
                MemorySegment c = arena.allocateFrom(JAVA_BYTE, m.control());
                hdr.set(JAVA_LONG, 32, c.address());
                hdr.set(JAVA_LONG, 40, m.control().length);
            }
            MemorySegment errno = Libc.errnoSlot();
            long r = SocketH.SENDMSG.call(errno, fd, hdr.address(), flags);
            return r < 0 ? -Libc.errno(errno) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// A send that waits as a blocking one would, without blocking in the kernel for long: the
    /// socket is polled for room once a second, and the wait ends when the program's call
    /// `id` is gone (the caller was killed or interrupted), so a peer that never reads holds a
    /// pool thread only while the caller waits.
    static long sendWaiting(Master master, Scratch s, long id, int fd, Message m, byte[] address, int flags) {
        for (;;) {
            long r = NetworkCalls.send(fd, m, address, flags | SocketH.MSG_DONTWAIT);
            if (r != -EAGAIN) {
                return r;
            }
            if (!master.stillWaiting(s, id)) {
                return -EINTR;
            }
            s.pollfds.set(JAVA_INT, 0, fd);
            s.pollfds.set(JAVA_SHORT, 4, (short) PollH.POLLOUT);
            s.pollfds.set(JAVA_SHORT, 6, (short) 0);
            Kernel.poll(s.pollfds, 1, 1000);
        }
    }

    static int mmsgSize() {
        return MMSGHDR;
    }
}
