package org.posix4j.systemd;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.Closeable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.posix4j.PosixException;
import org.posix4j.internal.Libc;
import org.posix4j.internal.SocketH;
import org.posix4j.internal.TimeH;
import org.posix4j.io.Fd;
import org.posix4j.process.Environment;

/// Tells the service manager about the service's state, as sd_notify(3) does, without
/// libsystemd: newline-separated `VARIABLE=value` assignments sent as one datagram from an
/// AF_UNIX SOCK_DGRAM socket to the address in `NOTIFY_SOCKET`.
///
/// The address is an absolute path, or an abstract socket name written with a leading `@`
/// (sent as a leading NUL byte; the address length then ends at the name, without a trailing
/// NUL, as systemd expects). Other forms (relative paths, `vsock:` addresses) are rejected.
///
/// The static [#notify(boolean, String...)] is the one-shot sd_notify(3): it opens a socket,
/// sends and closes, and answers false when `NOTIFY_SOCKET` is not set. An instance keeps its
/// socket open for repeated messages ([#fromEnvironment(boolean)], [#open(String)]).
///
/// Thread safety: an instance may be shared between threads; each message is one datagram,
/// so messages of different threads never interleave.
public final class SystemdNotify implements Closeable {
    /// The variable naming the service manager's notification socket.
    public static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";

    private final Fd socket;
    private final String address;
    private final byte[] sockaddr;

    private SystemdNotify(Fd socket, String address, byte[] sockaddr) {
        this.socket = socket;
        this.address = address;
        this.sockaddr = sockaddr;
    }

    /// Opens a close-on-exec AF_UNIX datagram socket (socket(2)) that sends to `address`, an
    /// absolute path or an `@`-prefixed abstract name.
    ///
    /// @throws IllegalArgumentException if `address` is not absolute and not abstract, is too long
    ///     for `sun_path` (107 bytes for a path, 108 with the `@` for an abstract name), or contains NUL
    /// @throws PosixException with socket(2)'s errno (EMFILE...)
    public static SystemdNotify open(String address) throws PosixException {
        byte[] sockaddr = sockaddr("address", address);
        return new SystemdNotify(Fd.adopt(Sockets.unixDatagram()), address, sockaddr);
    }

    /// The notifier for the address in the real environment's `NOTIFY_SOCKET`, or empty when it
    /// is not set. With `unsetEnvironment`, removes `NOTIFY_SOCKET` from the environment first
    /// (sd_notify's `unset_environment`), so children do not notify in the service's name.
    ///
    /// @throws IllegalArgumentException if `NOTIFY_SOCKET` is set to an address [#open(String)] rejects
    /// @throws PosixException with socket(2)'s errno
    public static Optional<SystemdNotify> fromEnvironment(boolean unsetEnvironment) throws PosixException {
        Optional<String> address = Environment.get(NOTIFY_SOCKET);
        if (unsetEnvironment) {
            Environment.unset(NOTIFY_SOCKET);
        }
        if (address.isEmpty()) {
            return Optional.empty();
        }
        byte[] sockaddr = sockaddr(NOTIFY_SOCKET, address.get());
        return Optional.of(new SystemdNotify(Fd.adopt(Sockets.unixDatagram()), address.get(), sockaddr));
    }

    /// Sends `assignments` as one message to `NOTIFY_SOCKET`: sd_notify(3) without libsystemd.
    /// Answers false and sends nothing when `NOTIFY_SOCKET` is not set (sd_notify's 0), true once
    /// sent. With `unsetEnvironment`, `NOTIFY_SOCKET` is removed from the environment in any case.
    ///
    /// @param assignments `VARIABLE=value` strings, such as `"READY=1"`, `"STATUS=Serving"`
    /// @throws IllegalArgumentException as [#send(String...)], or when `NOTIFY_SOCKET` is malformed
    /// @throws PosixException with sendto(2)'s errno: ENOENT when no socket exists at the path,
    ///     ECONNREFUSED when nobody is bound to it, EAGAIN when the receiver's queue is full
    public static boolean notify(boolean unsetEnvironment, String... assignments) throws PosixException {
        byte[] message = message(assignments);
        Optional<SystemdNotify> target = fromEnvironment(unsetEnvironment);
        if (target.isEmpty()) {
            return false;
        }
        try (SystemdNotify notify = target.get()) {
            notify.sendBytes(message);
        }
        return true;
    }

    /// [#notify(boolean, String...)] that keeps `NOTIFY_SOCKET` in the environment.
    ///
    /// @throws IllegalArgumentException as [#notify(boolean, String...)]
    /// @throws PosixException as [#notify(boolean, String...)]
    public static boolean notify(String... assignments) throws PosixException {
        return notify(false, assignments);
    }

    /// Sends `assignments`, joined with newlines, as one datagram: sendto(2).
    ///
    /// @throws IllegalArgumentException if no assignment is given, or one is null, lacks `=`,
    ///     starts with `=`, or contains a newline or NUL (each names its index)
    /// @throws PosixException with sendto(2)'s errno (ENOENT, ECONNREFUSED, EAGAIN...)
    /// @throws IllegalStateException if this notifier was closed
    public void send(String... assignments) throws PosixException {
        sendBytes(message(assignments));
    }

    /// Sends `READY=1`: start-up is finished.
    ///
    /// @throws PosixException as [#send(String...)]
    public void ready() throws PosixException {
        send("READY=1");
    }

    /// Sends `RELOADING=1` with `MONOTONIC_USEC` set to now, which systemd 253 and later require
    /// to match the reload to its `READY=1`.
    ///
    /// @throws PosixException as [#send(String...)], or clock_gettime(2)'s errno
    public void reloading() throws PosixException {
        send("RELOADING=1", monotonicUsec());
    }

    /// Sends `STOPPING=1`: the service is shutting down.
    ///
    /// @throws PosixException as [#send(String...)]
    public void stopping() throws PosixException {
        send("STOPPING=1");
    }

    /// Sends `STATUS=text`, a one-line status for `systemctl status`.
    ///
    /// @throws IllegalArgumentException if `text` contains a newline or NUL
    /// @throws PosixException as [#send(String...)]
    public void status(String text) throws PosixException {
        send("STATUS=" + text);
    }

    /// Sends `ERRNO=errno`, the error the service failed with.
    ///
    /// @throws IllegalArgumentException if `errno` is negative
    /// @throws PosixException as [#send(String...)]
    public void errno(int errno) throws PosixException {
        if (errno < 0) {
            throw new IllegalArgumentException("errno must not be negative: " + errno);
        }
        send("ERRNO=" + errno);
    }

    /// Sends `MAINPID=pid`, the service's main process when it is not the one systemd started.
    ///
    /// @throws IllegalArgumentException if `pid` is not positive
    /// @throws PosixException as [#send(String...)]
    public void mainPid(int pid) throws PosixException {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
        send("MAINPID=" + pid);
    }

    /// Sends `WATCHDOG=1`, one keep-alive ping ([Watchdog] sends them periodically).
    ///
    /// @throws PosixException as [#send(String...)]
    public void watchdog() throws PosixException {
        send("WATCHDOG=1");
    }

    /// The address this notifier sends to, as given (`/path` or `@name`).
    public String address() {
        return address;
    }

    /// `MONOTONIC_USEC=` with the current CLOCK_MONOTONIC time in microseconds
    /// (clock_gettime(2)), for sending with `RELOADING=1`.
    ///
    /// @throws PosixException with clock_gettime(2)'s errno
    public static String monotonicUsec() throws PosixException {
        MemorySegment errno = Libc.errnoSlot();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ts = arena.allocate(TimeH.TIMESPEC);
            int r = TimeH.CLOCK_GETTIME.call(errno, TimeH.CLOCK_MONOTONIC, ts.address());
            Libc.check(r, errno, "clock_gettime", "CLOCK_MONOTONIC");
            return "MONOTONIC_USEC=" + (ts.get(JAVA_LONG, 0) * 1_000_000L + ts.get(JAVA_LONG, 8) / 1_000L);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Closes the socket.
    ///
    /// @throws PosixException with close(2)'s errno
    @Override
    public void close() throws PosixException {
        socket.close();
    }

    @Override
    public String toString() {
        return "SystemdNotify[" + address + "]";
    }

    private void sendBytes(byte[] message) throws PosixException {
        Sockets.sendTo(socket.intValue(), message, sockaddr, address);
    }

    private static byte[] message(String... assignments) {
        if (assignments == null || assignments.length == 0) {
            throw new IllegalArgumentException("assignments must not be empty");
        }
        StringBuilder message = new StringBuilder();
        for (int i = 0; i < assignments.length; i++) {
            String a = assignments[i];
            String name = "assignments[" + i + "]";
            if (a == null) {
                throw new IllegalArgumentException(name + " is null");
            }
            if (a.indexOf('=') <= 0 || a.indexOf('\n') >= 0 || a.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(name + " must be VARIABLE=value on one line without NUL: "
                        + a.replace("\n", "\\n").replace("\0", "\\0"));
            }
            if (i > 0) {
                message.append('\n');
            }
            message.append(a);
        }
        return message.toString().getBytes(StandardCharsets.UTF_8);
    }

    // The bytes of a struct sockaddr_un, cut at the length to pass to the kernel: a path keeps
    // its terminating NUL; an abstract name ends at its last byte, because the kernel counts
    // every byte of an abstract name, NULs included.
    private static byte[] sockaddr(String argument, String address) {
        if (address == null) {
            throw new IllegalArgumentException(argument + " is null");
        }
        if (address.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(argument + " contains a NUL character");
        }
        byte[] name = address.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = address.startsWith("@");
        if (!abstractName && !address.startsWith("/")) {
            throw new IllegalArgumentException(argument + " must be an absolute path or an @abstract name: " + address);
        }
        if (abstractName ? name.length < 2 || name.length > SocketH.SUN_PATH_SIZE : name.length >= SocketH.SUN_PATH_SIZE) {
            throw new IllegalArgumentException(argument + " is " + name.length + " bytes, too long or empty for sun_path ("
                    + SocketH.SUN_PATH_SIZE + " bytes): " + address);
        }
        int pathLength = abstractName ? name.length : name.length + 1;
        ByteBuffer b = ByteBuffer.allocate((int) SocketH.SUN_PATH_OFFSET + pathLength).order(ByteOrder.nativeOrder());
        b.putShort((short) SocketH.AF_UNIX);
        b.put(name);
        if (abstractName) {
            b.put((int) SocketH.SUN_PATH_OFFSET, (byte) 0);
        }
        return b.array();
    }
}
