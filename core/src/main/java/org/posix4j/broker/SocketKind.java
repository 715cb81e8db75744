package org.posix4j.broker;

/// The kinds of socket a sandboxed program may create only when its [Policy] names them
/// ([Policy.Builder#allowSocket]). Unix sockets and TCP/UDP sockets over IPv4 and IPv6 need no
/// allowance (what they reach is decided at connect, bind, listen and send); every kind below
/// reaches past those decisions, and other families and protocols are always refused.
public enum SocketKind {
    /// AF_NETLINK, any protocol: reads (and, with the program's capabilities, changes) the
    /// host's interfaces, addresses, routes and firewall.
    NETLINK("netlink"),
    /// AF_PACKET: link-level frames, including other processes' traffic (needs CAP_NET_RAW).
    PACKET("packet"),
    /// SOCK_RAW over IPv4 or IPv6: any protocol, any header with IP_HDRINCL, received copies of
    /// other processes' datagrams, destinations no connect allowance governs (needs CAP_NET_RAW).
    RAW("raw"),
    /// ICMP echo datagram sockets ("ping sockets", SOCK_DGRAM with IPPROTO_ICMP or
    /// IPPROTO_ICMPV6): echo requests to any host, within net.ipv4.ping_group_range.
    PING("ping");

    private final String optionName;

    SocketKind(String optionName) {
        this.optionName = optionName;
    }

    /// The kind's name on the command line (`--allow-socket netlink`).
    public String optionName() {
        return optionName;
    }

    /// The kind of `socket(domain, type, protocol)` among these, or `null` when it is none of
    /// them (a unix, TCP or UDP socket, which the filter lets through, or one that is always
    /// refused).
    static SocketKind of(int domain, int type, int protocol) {
        int base = type & 0xf;
        return switch (domain) {
            case 16 -> NETLINK;
            case 17 -> PACKET;
            case 2, 10 -> base == 3 ? RAW
                    : base == 2 && (protocol == 1 || protocol == 58) ? PING
                    : null;
            default -> null;
        };
    }
}
