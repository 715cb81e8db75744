package org.posix4j.journal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.Closeable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Objects;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.PrctlH;
import org.posix4j.internal.SocketH;
import org.posix4j.internal.UioH;
import org.posix4j.io.Fd;
import org.posix4j.ipc.MemoryFdFlag;
import org.posix4j.ipc.SharedMemory;
import org.posix4j.syslog.Level;

/// A connection to systemd-journald's native socket, speaking its protocol as sd_journal_send(3)
/// does, without libsystemd: each [JournalEntry] goes as one datagram from an AF_UNIX SOCK_DGRAM
/// socket to [#SOCKET] (sendmsg(2)); an entry too large for a datagram (EMSGSIZE, or ENOBUFS or
/// EAGAIN) is written to a memfd (memfd_create(2) with MFD_ALLOW_SEALING), sealed against
/// any change (F_ADD_SEALS with F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_WRITE and F_SEAL_SEAL) and
/// passed instead with SCM_RIGHTS in a datagram without payload, which journald reads the entry
/// from.
///
/// As libsystemd does, the socket's send buffer is raised to 8 MiB (SO_SNDBUF, then
/// SO_SNDBUFFORCE, which only a process with CAP_NET_ADMIN may use; the kernel doubles the
/// value), so entries up to that size go as one datagram.
///
/// [#open()] and [#open(String)] give a connection of one's own, to close; [JournalEntry#send()]
/// and [#print(Level, String)] use the process's connection, opened on first use and kept for the
/// life of the process, as libsystemd keeps its own.
///
/// Thread safety: a connection may be shared between threads; each entry is one datagram, so
/// entries of different threads never interleave. Closing it while another thread sends makes
/// that send fail.
public final class Journal implements Closeable {
    /// journald's socket for native entries.
    public static final String SOCKET = "/run/systemd/journal/socket";
    /// The send buffer libsystemd asks for (SNDBUF_SIZE in journal-send.c).
    private static final int SEND_BUFFER = 8 * 1024 * 1024;
    private static final int SEALS = PrctlH.F_SEAL_SHRINK | PrctlH.F_SEAL_GROW | PrctlH.F_SEAL_WRITE
            | PrctlH.F_SEAL_SEAL;
    private static final VarHandle IOV_BASE = UioH.IOVEC.varHandle(PathElement.groupElement("iov_base"));
    private static final VarHandle IOV_LEN = UioH.IOVEC.varHandle(PathElement.groupElement("iov_len"));
    private static final Object PROCESS_LOCK = new Object();
    /// The process's connection; guarded by PROCESS_LOCK, never closed.
    private static Journal process;

    private final Fd socket;
    private final String path;
    private final byte[] sockaddr;

    private Journal(Fd socket, String path, byte[] sockaddr) {
        this.socket = socket;
        this.path = path;
        this.sockaddr = sockaddr;
    }

    /// A connection to the system journal at [#SOCKET].
    ///
    /// @throws PosixException with socket(2)'s errno (EMFILE...)
    public static Journal open() throws PosixException {
        return open(SOCKET);
    }

    /// A connection to a journal listening at `path` (journald's socket in another root, or a
    /// namespace's `/run/systemd/journal.NAMESPACE/socket`): a close-on-exec AF_UNIX datagram
    /// socket (socket(2)) with its send buffer raised as on this class. Nothing is sent yet, so
    /// a missing socket shows only when sending.
    ///
    /// @throws IllegalArgumentException if `path` is not absolute, contains NUL or is 108 bytes
    ///     or longer
    /// @throws PosixException with socket(2)'s errno (EMFILE...)
    public static Journal open(String path) throws PosixException {
        byte[] sockaddr = sockaddr(path);
        MemorySegment errno = Libc.errnoSlot();
        int fd;
        try {
            fd = SocketH.SOCKET.call(errno, SocketH.AF_UNIX, SocketH.SOCK_DGRAM | SocketH.SOCK_CLOEXEC, 0);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
        Libc.check(fd, errno, "socket", "AF_UNIX, SOCK_DGRAM");
        Fd socket = Fd.adopt(fd);
        raiseSendBuffer(fd);
        return new Journal(socket, path, sockaddr);
    }

    /// The process's connection to [#SOCKET], opened on first use.
    static Journal process() throws PosixException {
        synchronized (PROCESS_LOCK) {
            if (process == null) {
                process = open();
            }
            return process;
        }
    }

    /// Sends `message` at `priority` to the system journal through the process's connection,
    /// with the program's short name as identifier: sd_journal_print(3).
    ///
    /// @return true once sent; false if no journal listens at [#SOCKET]
    /// @throws NullPointerException if an argument is null
    /// @throws PosixException as [#send(JournalEntry)]
    public static boolean print(Level priority, String message) throws PosixException {
        return JournalEntry.of(message).priority(priority).send();
    }

    /// Sends `entry`: one datagram, or a sealed memfd when the entry is too large for one.
    /// sd_journal_sendv(3).
    ///
    /// @return true once sent; false if nothing exists at this connection's path (ENOENT), as
    ///     sd_journal_send succeeds silently when journald is not running
    /// @throws PosixException with sendmsg(2)'s errno (ECONNREFUSED when nobody is bound to the
    ///     socket, EACCES...), or memfd_create(2)'s, write(2)'s or fcntl(2)'s when the entry goes
    ///     through a memfd
    /// @throws IllegalStateException if this connection was closed
    public boolean send(JournalEntry entry) throws PosixException {
        Objects.requireNonNull(entry, "entry is null");
        int fd = socket.intValue();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = entry.encode(arena);
            MemorySegment address = arena.allocateFrom(JAVA_BYTE, sockaddr);
            int error = sendmsg(arena, fd, address, data, -1);
            if (error == 0) {
                return true;
            }
            if (error == Errno.ENOENT.number()) {
                return false;
            }
            if (error != Errno.EMSGSIZE.number() && error != Errno.ENOBUFS.number()
                    && error != Errno.EAGAIN.number()) {
                throw new PosixException("sendmsg", error, path);
            }
            try (Fd memfd = sealedCopy(data)) {
                error = sendmsg(arena, fd, address, null, memfd.intValue());
            }
            if (error == Errno.ENOENT.number()) {
                return false;
            }
            if (error != 0) {
                throw new PosixException("sendmsg", error, path + " (SCM_RIGHTS)");
            }
            return true;
        }
    }

    /// The path this connection sends to.
    public String path() {
        return path;
    }

    /// Closes the socket. Closing the connection [JournalEntry#send()] uses is not possible: it is
    /// not handed out.
    ///
    /// @throws PosixException with close(2)'s errno
    @Override
    public void close() throws PosixException {
        socket.close();
    }

    @Override
    public String toString() {
        return "Journal[" + path + "]";
    }

    /// sendmsg(2) of `data` (null: no payload) and, when `passed` is not negative, that
    /// descriptor with SCM_RIGHTS, to `address`; retried on EINTR. Answers 0 or the errno.
    private static int sendmsg(Arena arena, int fd, MemorySegment address, MemorySegment data, int passed) {
        MemorySegment msg = arena.allocate(SocketH.MSGHDR);
        SocketH.MSG_NAME.set(msg, 0L, address);
        SocketH.MSG_NAMELEN.set(msg, 0L, (int) address.byteSize());
        if (data != null) {
            MemorySegment iov = arena.allocate(UioH.IOVEC);
            IOV_BASE.set(iov, 0L, data);
            IOV_LEN.set(iov, 0L, data.byteSize());
            SocketH.MSG_IOV.set(msg, 0L, iov);
            SocketH.MSG_IOVLEN.set(msg, 0L, 1L);
        }
        if (passed >= 0) {
            MemorySegment control = arena.allocate(SocketH.cmsgSpace(JAVA_INT.byteSize()), 8);
            SocketH.CMSG_LEN.set(control, 0L, SocketH.cmsgLen(JAVA_INT.byteSize()));
            SocketH.CMSG_LEVEL.set(control, 0L, SocketH.SOL_SOCKET);
            SocketH.CMSG_TYPE.set(control, 0L, SocketH.SCM_RIGHTS);
            control.set(JAVA_INT, SocketH.CMSGHDR.byteSize(), passed);
            SocketH.MSG_CONTROL.set(msg, 0L, control);
            SocketH.MSG_CONTROLLEN.set(msg, 0L, control.byteSize());
        }
        MemorySegment errno = Libc.errnoSlot();
        try {
            long r;
            do {
                r = SocketH.SENDMSG.call(errno, fd, msg.address(), SocketH.MSG_NOSIGNAL);
            } while (r < 0 && Libc.interrupted(errno));
            return r < 0 ? Libc.errno(errno) : 0;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /// A memfd holding `data`, sealed so that journald may map it knowing it cannot change.
    private static Fd sealedCopy(MemorySegment data) throws PosixException {
        Fd memfd = SharedMemory.memfd("posix4j-journal", EnumSet.of(MemoryFdFlag.ALLOW_SEALING));
        try {
            for (long at = 0; at < data.byteSize(); ) {
                at += memfd.write(data.asSlice(at));
            }
            MemorySegment errno = Libc.errnoSlot();
            int r;
            try {
                r = FcntlH.FCNTL.call(errno, memfd.intValue(), PrctlH.F_ADD_SEALS, SEALS);
            } catch (Throwable t) {
                throw Libc.unexpected(t);
            }
            Libc.check(r, errno, "fcntl", "F_ADD_SEALS on the memfd of a journal entry");
            return memfd;
        } catch (PosixException | RuntimeException e) {
            try {
                memfd.close();
            } catch (PosixException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    /// Raises the send buffer as libsystemd's fd_inc_sndbuf does: SO_SNDBUF, which the kernel
    /// caps at net.core.wmem_max, then SO_SNDBUFFORCE, which only CAP_NET_ADMIN may use, when
    /// the buffer is still smaller. Failures only leave the buffer smaller: larger entries then
    /// go through a memfd.
    private static void raiseSendBuffer(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocateFrom(JAVA_INT, SEND_BUFFER);
            MemorySegment got = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) JAVA_INT.byteSize());
            MemorySegment errno = Libc.errnoSlot();
            int set = SocketH.SETSOCKOPT.call(errno, fd, SocketH.SOL_SOCKET, SocketH.SO_SNDBUF, value.address(),
                    (int) JAVA_INT.byteSize());
            int read = SocketH.GETSOCKOPT.call(errno, fd, SocketH.SOL_SOCKET, SocketH.SO_SNDBUF, got.address(),
                    length.address());
            // The kernel doubles what it is given, for its bookkeeping.
            if (set < 0 || read < 0 || got.get(JAVA_INT, 0) < 2L * SEND_BUFFER) {
                // EPERM without CAP_NET_ADMIN: the buffer stays as SO_SNDBUF left it.
                int ignored = SocketH.SETSOCKOPT.call(errno, fd, SocketH.SOL_SOCKET,
                        SocketH.SO_SNDBUFFORCE, value.address(), (int) JAVA_INT.byteSize());
            }
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    // The bytes of a struct sockaddr_un for `path`, up to and with the terminating NUL.
    private static byte[] sockaddr(String path) {
        if (path == null) {
            throw new IllegalArgumentException("path is null");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path contains a NUL character");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must be absolute: " + path);
        }
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length >= SocketH.SUN_PATH_SIZE) {
            throw new IllegalArgumentException("path is " + name.length + " bytes, too long for sun_path (at most "
                    + (SocketH.SUN_PATH_SIZE - 1) + "): " + path);
        }
        byte[] addr = new byte[(int) SocketH.SUN_PATH_OFFSET + name.length + 1];
        addr[0] = (byte) SocketH.AF_UNIX;
        System.arraycopy(name, 0, addr, (int) SocketH.SUN_PATH_OFFSET, name.length);
        return addr;
    }
}
