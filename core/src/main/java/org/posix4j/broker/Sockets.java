package org.posix4j.broker;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SocketH;
import org.posix4j.internal.SysStatH;
import org.posix4j.internal.SyscallH;
import org.posix4j.internal.Syscalls;

/// The socket calls the master makes on a program's own socket: its copy of the program's
/// descriptor (pidfd_getfd(2)) shares the open file description, so a connect or bind acts
/// exactly as the program's would, O_NONBLOCK included. Everything answers a result or -errno.
final class Sockets {
    static final int MAX_DATA = 4 << 20;
    private static final int EBADF = 9;
    private static final int EFAULT = 14;
    private static final int EINVAL = 22;
    private static final int EPERM = 1;
    private static final int ENOTSOCK = 88;
    private static final int EMSGSIZE = 90;
    private static final int F_GETFL = 3;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int MSGHDR = 56;
    private static final int MMSGHDR = 64;
    private static final int UIO_MAXIOV = 1024;

    private Sockets() {}

    /// The master's copy of descriptor `fd` of process `pid`, or -errno (EBADF: no such fd).
    static int copy(int pid, int fd) {
        MemorySegment errno = Libc.errnoSlot();
        try {
            long pidfd = (long) SyscallH.SYSCALL2.invokeExact(errno, Syscalls.CURRENT.pidfdOpen(), (long) pid, 0L);
            if (pidfd < 0) {
                return -Libc.errno(errno);
            }
            long copy = (long) SyscallH.SYSCALL3.invokeExact(errno, Syscalls.CURRENT.pidfdGetfd(), pidfd, (long) fd, 0L);
            int err = copy < 0 ? Libc.errno(errno) : 0;
            Kernel.close((int) pidfd);
            return copy < 0 ? -err : (int) copy;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// 0 if `fd` is a socket, -ENOTSOCK if not.
    static int checkSocket(Scratch s, int fd) {
        s.path2.set(JAVA_BYTE, 0, (byte) 0);
        int r = Kernel.statx(fd, s.path2, SysStatH.AT_EMPTY_PATH, s.statx);
        if (r < 0) {
            return r;
        }
        int mode = Short.toUnsignedInt(s.statx.get(JAVA_SHORT, 28));
        return (mode & S_IFMT) == S_IFSOCK ? 0 : -ENOTSOCK;
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

    /// connect(2) or bind(2), which share their signature: `call` on `fd` with `address`.
    private static int withAddress(MethodHandle call, int fd, byte[] address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocateFrom(JAVA_BYTE, address);
            MemorySegment errno = Libc.errnoSlot();
            int r = (int) call.invokeExact(errno, fd, a, address.length);
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
    /// master's descriptors (which the caller closes), and its destination.
    record Message(byte[] data, byte[] control, List<Integer> fds, int flags) {}

    /// Reads the data at `address` (`length` bytes, at most [#MAX_DATA]) from thread `tid`.
    static byte[] readData(Scratch s, int tid, long address, long length) {
        int n = (int) Math.min(length, MAX_DATA);
        if (n == 0) {
            return new byte[0];
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(n);
            long r = Kernel.readMemory(tid, s.iovecs, buf, address, n);
            return r == n ? buf.toArray(JAVA_BYTE) : null;
        }
    }

    /// The msghdr at `address` in thread `tid`: {name pointer, name length, data, control},
    /// or an errno in `errno[0]`.
    static Object[] readMsghdr(Scratch s, int tid, int pid, long address, int[] errno) {
        byte[] hdr = readData(s, tid, address, MSGHDR);
        if (hdr == null) {
            errno[0] = EFAULT;
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
        if (iovCount > 0) {
            byte[] vecs = readData(s, tid, iov, iovCount * 16);
            if (vecs == null) {
                errno[0] = EFAULT;
                return null;
            }
            MemorySegment v = MemorySegment.ofArray(vecs);
            for (int i = 0; i < iovCount && data.size() < MAX_DATA; i++) {
                long base = v.get(JAVA_LONG.withByteAlignment(1), 16L * i);
                long len = v.get(JAVA_LONG.withByteAlignment(1), 16L * i + 8);
                byte[] part = readData(s, tid, base, Math.min(len, MAX_DATA - data.size()));
                if (part == null) {
                    errno[0] = EFAULT;
                    return null;
                }
                data.writeBytes(part);
            }
        }
        byte[] cmsg = new byte[0];
        List<Integer> fds = new ArrayList<>();
        if (control != 0 && controlLength > 0) {
            cmsg = readData(s, tid, control, controlLength);
            if (cmsg == null) {
                errno[0] = EFAULT;
                return null;
            }
            int e = translateRights(cmsg, pid, fds);
            if (e != 0) {
                fds.forEach(Kernel::close);
                errno[0] = e;
                return null;
            }
        }
        return new Object[] {name, nameLength, new Message(data.toByteArray(), cmsg, fds, 0)};
    }

    /// Replaces the program's descriptor numbers in SCM_RIGHTS messages with the master's
    /// copies (added to `fds`); refuses SCM_CREDENTIALS, which the kernel would check against
    /// the master's credentials instead of the program's.
    private static int translateRights(byte[] cmsg, int pid, List<Integer> fds) {
        MemorySegment c = MemorySegment.ofArray(cmsg);
        int at = 0;
        while (at + 16 <= cmsg.length) {
            long len = c.get(JAVA_LONG.withByteAlignment(1), at);
            int level = c.get(JAVA_INT.withByteAlignment(1), at + 8);
            int type = c.get(JAVA_INT.withByteAlignment(1), at + 12);
            if (len < 16 || at + len > cmsg.length) {
                return EINVAL;
            }
            if (level == SocketH.SOL_SOCKET && type == SocketH.SCM_CREDENTIALS) {
                return EPERM;
            }
            if (level == SocketH.SOL_SOCKET && type == SocketH.SCM_RIGHTS) {
                for (int off = at + 16; off + 4 <= at + len; off += 4) {
                    int copy = copy(pid, c.get(JAVA_INT.withByteAlignment(1), off));
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

    /// sendmsg(2) of `m` to `address` (`null`: none) on `fd`.
    static long send(int fd, Message m, byte[] address, int flags) {
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
            long r = (long) SocketH.SENDMSG.invokeExact(errno, fd, hdr, flags);
            return r < 0 ? -Libc.errno(errno) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    static int mmsgSize() {
        return MMSGHDR;
    }
}
