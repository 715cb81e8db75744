package org.posix4j.broker;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/// The arguments of an arbitrated call, as the seed lists them for each function (Emilua's
/// `libc_service.master:arguments()`). Paths are exactly the strings the program passed;
/// [Call#directory()] says what a relative one is relative to.
public sealed interface Arguments {

    /// `open` and `openat`: the path, the seed's flags, and the mode, present only when the
    /// flags have `create` or `temporary`.
    ///
    /// @param path the path as passed
    /// @param flags the seed's open flags (openat's include its `resolve_*` flags)
    /// @param mode the creation mode, only with `create` or `temporary`
    record Open(String path, Set<OpenFlag> flags, OptionalInt mode) implements Arguments {
        /// Copies `flags`.
        public Open {
            flags = Set.copyOf(flags);
        }
    }

    /// `unlink`, `rmdir`, `stat`, `lstat` and `readlink`: one path.
    ///
    /// @param path the path as passed
    record Path(String path) implements Arguments {}

    /// `rename`: the seed's path1 (the old name) and path2 (the new name).
    ///
    /// @param path1 the old name as passed
    /// @param path2 the new name as passed
    /// @param noReplace renameat2's RENAME_NOREPLACE (beyond the seed)
    /// @param exchange renameat2's RENAME_EXCHANGE (beyond the seed)
    record Rename(String path1, String path2, boolean noReplace, boolean exchange) implements Arguments {}

    /// `access` and `eaccess`: the path and the seed's amode; an empty set is the seed's `"f"`.
    ///
    /// @param path the path as passed
    /// @param amode the permissions asked for, empty for existence only
    record Access(String path, Set<AccessMode> amode) implements Arguments {
        /// Copies `amode`.
        public Access {
            amode = Set.copyOf(amode);
        }
    }

    /// `chmod` (beyond the seed): the path and the mode bits. For fchmod(2) the path is the one
    /// the kernel gives the program's descriptor.
    ///
    /// @param path the path as passed
    /// @param mode the mode bits as passed
    record Chmod(String path, int mode) implements Arguments {}

    /// `utimes` (beyond the seed): utimensat(2)'s path and its two times, access then
    /// modification; both [Time#NOW] when the program passed no times, which the kernel treats
    /// alike. For futimens(3) (utimensat on a descriptor with a NULL path) the path is the one
    /// the kernel gives the program's descriptor.
    ///
    /// @param path the path as passed, or the descriptor's
    /// @param access the new access time
    /// @param modification the new modification time
    record Utimes(String path, Time access, Time modification) implements Arguments {
        /// Checks the fields.
        public Utimes {
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(modification, "modification");
        }

        /// One of utimensat(2)'s struct timespec: seconds and nanoseconds since the Epoch, or
        /// [#NOW] or [#OMIT], whose seconds the kernel ignores (kept as 0 here).
        ///
        /// @param seconds seconds since the Epoch
        /// @param nanoseconds 0 to 999,999,999, or [#UTIME_NOW] or [#UTIME_OMIT]
        public record Time(long seconds, long nanoseconds) {
            /// The nanoseconds that mean the current time (UTIME_NOW).
            public static final long UTIME_NOW = (1L << 30) - 1;
            /// The nanoseconds that leave the time as it is (UTIME_OMIT).
            public static final long UTIME_OMIT = (1L << 30) - 2;
            /// The current time.
            public static final Time NOW = new Time(0, UTIME_NOW);
            /// The time left as it is.
            public static final Time OMIT = new Time(0, UTIME_OMIT);

            /// Checks the nanoseconds, as the kernel does.
            ///
            /// @throws IllegalArgumentException if `nanoseconds` is neither a valid count nor
            ///     UTIME_NOW or UTIME_OMIT
            public Time {
                if (nanoseconds == UTIME_NOW || nanoseconds == UTIME_OMIT) {
                    seconds = 0;
                } else if (!valid(nanoseconds)) {
                    throw new IllegalArgumentException("nanoseconds: " + nanoseconds);
                }
            }

            /// Whether the kernel takes `nanoseconds` as a struct timespec's tv_nsec.
            static boolean valid(long nanoseconds) {
                return (nanoseconds >= 0 && nanoseconds <= 999_999_999) || nanoseconds == UTIME_NOW
                        || nanoseconds == UTIME_OMIT;
            }

            /// `now`, `omit`, or the instant (`2001-01-01T00:00:00Z`; seconds.nanoseconds past the
            /// range of [Instant], which the kernel accepts too).
            @Override
            public String toString() {
                if (nanoseconds == UTIME_NOW || nanoseconds == UTIME_OMIT) {
                    return nanoseconds == UTIME_NOW ? "now" : "omit";
                }
                if (seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
                    return seconds + "." + String.format("%09d", nanoseconds);
                }
                return Instant.ofEpochSecond(seconds, nanoseconds).toString();
            }
        }
    }

    /// `mkdir`: the path and the mode bits.
    ///
    /// @param path the path as passed
    /// @param mode the mode bits as passed
    record Mkdir(String path, int mode) implements Arguments {}

    /// `symlink` (beyond the seed): the link's contents and where the link is made.
    ///
    /// @param target the contents as passed, not resolved
    /// @param path the new link's path as passed
    record Symlink(String target, String path) implements Arguments {}

    /// `link` (beyond the seed): the existing file and its new name.
    ///
    /// @param path1 the existing name as passed
    /// @param path2 the new name as passed
    /// @param follow linkat's AT_SYMLINK_FOLLOW: a symbolic link at `path1` is followed
    record Link(String path1, String path2, boolean follow) implements Arguments {}

    /// `truncate` (beyond the seed): the path and the new length.
    ///
    /// @param path the path as passed
    /// @param length the length in bytes
    record Truncate(String path, long length) implements Arguments {}

    /// `mknod` (beyond the seed): the path, the mode with its file type bits (`S_IFIFO`,
    /// `S_IFSOCK`, `S_IFREG` or 0, `S_IFCHR`, `S_IFBLK`), and the device number.
    ///
    /// @param path the path as passed
    /// @param mode the type and mode bits as passed
    /// @param device the device number, meaningful for a device node only
    record Mknod(String path, int mode, long device) implements Arguments {}

    /// `connect_unix` and `bind_unix`: the socket path as passed; an abstract name is `@name`,
    /// an unnamed address (bind's autobind) is "".
    ///
    /// @param path the path, `@name`, or ""
    record Unix(String path) implements Arguments {}

    /// `connect_inet`, `connect_inet6`, `bind_inet` and `bind_inet6`: the seed's ipv4_addr or
    /// ipv6_addr, and port. sendto(2) and sendmsg(2) with a destination arrive as the
    /// `connect_*` function of that destination.
    ///
    /// @param address the address
    /// @param port the port
    record Inet(InetAddress address, int port) implements Arguments {}

    /// `socket` (beyond the seed): socket(2)'s arguments as passed, and the [SocketKind] they
    /// make, `null` for a kind no policy can allow.
    ///
    /// @param domain the address family
    /// @param type the type, with SOCK_NONBLOCK and SOCK_CLOEXEC
    /// @param protocol the protocol
    /// @param kind the kind, or `null`
    record Socket(int domain, int type, int protocol, SocketKind kind) implements Arguments {}

    /// `getaddrinfo`: the seed's node, service and protocol ("tcp", "udp" or `null`).
    ///
    /// @param node the host name
    /// @param service the service, or `null`
    /// @param protocol "tcp", "udp", or `null`
    record GetAddrInfo(String node, String service, String protocol) implements Arguments {}
}
