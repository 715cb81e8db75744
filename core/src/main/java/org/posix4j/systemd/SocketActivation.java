package org.posix4j.systemd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.internal.SocketH;
import org.posix4j.io.Fd;
import org.posix4j.process.CurrentProcess;
import org.posix4j.process.Environment;

/// Socket activation: the sockets the service manager (systemd, `systemd-socket-activate`)
/// opened and passed to this process, as sd_listen_fds(3) and sd_listen_fds_with_names(3) find
/// them, without libsystemd.
///
/// The manager passes descriptors 3, 4, ... and sets `LISTEN_PID` to the pid meant to use
/// them, `LISTEN_FDS` to their count and `LISTEN_FDNAMES` to their colon-separated names.
///
/// Thread safety: [#listenFds(boolean)] reads and changes the environment; call it once, early,
/// from one thread. [#accept(Fd)] may be called from any thread.
public final class SocketActivation {
    /// The first passed descriptor, SD_LISTEN_FDS_START.
    public static final int LISTEN_FDS_START = 3;
    /// The variable holding the pid the descriptors are meant for.
    public static final String LISTEN_PID = "LISTEN_PID";
    /// The variable holding the number of descriptors.
    public static final String LISTEN_FDS = "LISTEN_FDS";
    /// The variable holding the descriptors' names, separated by colons.
    public static final String LISTEN_FDNAMES = "LISTEN_FDNAMES";

    private SocketActivation() {}

    /// The descriptors passed to this process, in order from descriptor 3, each marked
    /// close-on-exec (so programs this service starts do not inherit them) and owned by the
    /// answered [ActivatedSocket]. Empty when `LISTEN_PID` is not set or names another process.
    /// With `unsetEnvironment` (sd_listen_fds(1)), `LISTEN_PID`, `LISTEN_FDS` and
    /// `LISTEN_FDNAMES` are removed from the real environment in any case, so children do not
    /// take the descriptors for theirs. Without `LISTEN_FDNAMES`, every name is `"unknown"`.
    ///
    /// @throws IllegalStateException if `LISTEN_PID` or `LISTEN_FDS` is not a number, or
    ///     `LISTEN_FDNAMES` does not hold one name per descriptor
    /// @throws PosixException EBADF from fcntl(2) if a counted descriptor is not open
    public static List<ActivatedSocket> listenFds(boolean unsetEnvironment) throws PosixException {
        Optional<String> pid = Environment.get(LISTEN_PID);
        Optional<String> count = Environment.get(LISTEN_FDS);
        Optional<String> names = Environment.get(LISTEN_FDNAMES);
        if (unsetEnvironment) {
            Environment.unset(LISTEN_PID);
            Environment.unset(LISTEN_FDS);
            Environment.unset(LISTEN_FDNAMES);
        }
        if (pid.isEmpty() || number(LISTEN_PID, pid.get()) != CurrentProcess.pid() || count.isEmpty()) {
            return List.of();
        }
        int n = number(LISTEN_FDS, count.get());
        List<String> fdNames = names.map(s -> Arrays.asList(s.split(":", -1)))
                .orElseGet(() -> Collections.nCopies(n, "unknown"));
        if (fdNames.size() != n) {
            throw new IllegalStateException(LISTEN_FDNAMES + " has " + fdNames.size() + " names for " + n
                    + " descriptors: " + names.orElseThrow());
        }
        List<ActivatedSocket> sockets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Fd fd = Fd.adopt(LISTEN_FDS_START + i);
            fd.setCloseOnExec(true);
            sockets.add(describe(fd, fdNames.get(i)));
        }
        return List.copyOf(sockets);
    }

    /// [#listenFds(boolean)] that unsets the variables, as sd_listen_fds(1).
    ///
    /// @throws IllegalStateException as [#listenFds(boolean)]
    /// @throws PosixException as [#listenFds(boolean)]
    public static List<ActivatedSocket> listenFds() throws PosixException {
        return listenFds(true);
    }

    /// Waits for the next connection on the listening socket `listening` and answers it as an
    /// owned, close-on-exec [Fd]: accept4(fd, NULL, NULL, SOCK_CLOEXEC), retried on EINTR. Read and
    /// write the connection with the answer's `inputStream()`, `outputStream()` or `channel()`;
    /// closing one of them closes the connection.
    ///
    /// @throws PosixException with accept4(2)'s errno: EINVAL if the socket is not listening,
    ///     EOPNOTSUPP for a datagram socket, ENOTSOCK for a non-socket, EAGAIN if non-blocking and no
    ///     connection is waiting, ECONNABORTED if a connection was reset before it was accepted
    /// @throws IllegalArgumentException if `listening` is null
    /// @throws IllegalStateException if `listening` was closed
    public static Fd accept(Fd listening) throws PosixException {
        if (listening == null) {
            throw new IllegalArgumentException("listening is null");
        }
        return Fd.adopt(Sockets.accept(listening.intValue()));
    }

    private static ActivatedSocket describe(Fd fd, String name) throws PosixException {
        int n = fd.intValue();
        int domain;
        try {
            domain = Sockets.intOption(n, SocketH.SO_DOMAIN);
        } catch (PosixException e) {
            if (e.is(Errno.ENOTSOCK)) {
                return new ActivatedSocket(fd, name, SocketFamily.NOT_A_SOCKET, SocketType.NOT_A_SOCKET, false);
            }
            throw e;
        }
        return new ActivatedSocket(fd, name, SocketFamily.of(domain),
                SocketType.of(Sockets.intOption(n, SocketH.SO_TYPE)),
                Sockets.intOption(n, SocketH.SO_ACCEPTCONN) != 0);
    }

    private static int number(String variable, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the variable's name
        }
        throw new IllegalStateException(variable + " is not a number: " + value);
    }
}
