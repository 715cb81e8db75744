package org.posix4j.broker;

import java.net.InetAddress;
import java.util.Arrays;

/// A socket address a program named, decoded once from the bytes it passed; the master performs
/// the call with those same bytes (or, for a unix path, with a descriptor on the decided file).
///
/// @param family AF_UNIX, AF_INET, AF_INET6 or another family number
/// @param raw the sockaddr bytes as the program passed them
/// @param unixPath for AF_UNIX: the path (raw), `@name` for an abstract name, "" for unnamed
/// @param address for AF_INET/AF_INET6: the address
/// @param port for AF_INET/AF_INET6: the port
record Endpoint(int family, byte[] raw, String unixPath, InetAddress address, int port) {
    static final int AF_UNSPEC = 0;
    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int MAX = 128;
    private static final int EINVAL = 22;

    /// The endpoint in `raw`, or `null` with the kernel's errno in `errno[0]` when malformed.
    static Endpoint decode(byte[] raw, int[] errno) {
        if (raw.length < 2 || raw.length > MAX) {
            errno[0] = EINVAL;
            return null;
        }
        int family = (raw[0] & 0xff) | (raw[1] & 0xff) << 8;
        try {
            return switch (family) {
                case AF_UNIX -> new Endpoint(family, raw, unixPath(raw), null, 0);
                case AF_INET -> {
                    if (raw.length < 16) {
                        errno[0] = EINVAL;
                        yield null;
                    }
                    yield new Endpoint(family, raw, null, InetAddress.getByAddress(Arrays.copyOfRange(raw, 4, 8)),
                            port(raw));
                }
                case AF_INET6 -> {
                    if (raw.length < 24) {
                        errno[0] = EINVAL;
                        yield null;
                    }
                    yield new Endpoint(family, raw, null, InetAddress.getByAddress(Arrays.copyOfRange(raw, 8, 24)),
                            port(raw));
                }
                default -> new Endpoint(family, raw, null, null, 0);
            };
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("an address of the right length is always accepted", e);
        }
    }

    private static int port(byte[] raw) {
        return (raw[2] & 0xff) << 8 | (raw[3] & 0xff);
    }

    private static String unixPath(byte[] raw) {
        if (raw.length == 2) {
            return "";
        }
        if (raw[2] == 0) {
            return "@" + new String(raw, 3, raw.length - 3, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        int end = 2;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 2, end - 2, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /// `address` as people write it: dotted IPv4, or IPv6 with the longest run of zero groups
    /// compressed (RFC 5952: `::1`, not Java's `0:0:0:0:0:0:0:1`).
    static String text(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return address.getHostAddress();
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    boolean isUnixPath() {
        return family == AF_UNIX && !unixPath.isEmpty() && !unixPath.startsWith("@");
    }

    /// The address as the policy decides it: an IPv4-mapped IPv6 address is its IPv4 address.
    InetAddress decidedAddress() {
        if (address instanceof java.net.Inet6Address six) {
            byte[] b = six.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
    }

    /// The seed's function for connecting to (or binding) this endpoint.
    Function function(boolean bind) {
        return switch (family) {
            case AF_UNIX -> bind ? Function.BIND_UNIX : Function.CONNECT_UNIX;
            case AF_INET -> bind ? Function.BIND_INET : Function.CONNECT_INET;
            case AF_INET6 -> bind ? Function.BIND_INET6 : Function.CONNECT_INET6;
            default -> null;
        };
    }
}
