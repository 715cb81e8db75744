package org.posix4j.landlock;

import java.util.Set;
import org.posix4j.internal.LandlockH;

/// A network right Landlock can handle (`LANDLOCK_ACCESS_NET_*`, ABI 4): TCP only, on IPv4 and
/// IPv6 alike, granted by port and never by address. UDP, unix and raw sockets are not governed.
public enum NetAccess {
    /// bind(2) a TCP socket to a port (port 0: an ephemeral one).
    BIND_TCP(LandlockH.ACCESS_NET_BIND_TCP),
    /// connect(2) a TCP socket to a remote port.
    CONNECT_TCP(LandlockH.ACCESS_NET_CONNECT_TCP);

    /// The first Landlock ABI version with network rights.
    public static final int ABI = 4;

    private final long bit;

    NetAccess(long bit) {
        this.bit = bit;
    }

    static long mask(Set<NetAccess> rights) {
        long m = 0;
        for (NetAccess a : rights) {
            m |= a.bit;
        }
        return m;
    }
}
