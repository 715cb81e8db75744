package org.posix4j.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/// Raw bindings for <sys/socket.h> and <sys/un.h>. No policy here.
public final class SocketH {
    private SocketH() {}

    /// int socket(int domain, int type, int protocol);   socket(2)
    public static final CIntFunction SOCKET = Libc.intFunction("socket");
    /// int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);   bind(2)
    public static final CIntFunction BIND = Libc.intFunction("bind");
    /// ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
    ///                const struct sockaddr *dest_addr, socklen_t addrlen);   sendto(2)
    public static final CLongFunction SENDTO = Libc.longFunction("sendto");
    /// int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);   accept(2)
    public static final CIntFunction ACCEPT4 = Libc.intFunction("accept4");
    /// int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen);   getsockopt(2)
    public static final CIntFunction GETSOCKOPT = Libc.intFunction("getsockopt");
    /// int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);   setsockopt(2)
    public static final CIntFunction SETSOCKOPT = Libc.intFunction("setsockopt");
    /// int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);   getsockname(2)
    public static final CIntFunction GETSOCKNAME = Libc.intFunction("getsockname");

    /// int listen(int sockfd, int backlog);   listen(2)
    public static final CIntFunction LISTEN = Libc.intFunction("listen");

    /// int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen);   connect(2)
    public static final CIntFunction CONNECT = Libc.intFunction("connect");
    /// ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags);   sendmsg(2)
    public static final CLongFunction SENDMSG = Libc.longFunction("sendmsg");
    /// MSG_DONTWAIT
    public static final int MSG_DONTWAIT = 0x40;
    /// SCM_RIGHTS
    public static final int SCM_RIGHTS = 1;
    /// SCM_CREDENTIALS
    public static final int SCM_CREDENTIALS = 2;

    /// AF_UNIX
    public static final int AF_UNIX = 1;
    /// AF_INET
    public static final int AF_INET = 2;
    /// AF_INET6
    public static final int AF_INET6 = 10;
    /// SOCK_STREAM
    public static final int SOCK_STREAM = 1;
    /// SOCK_DGRAM
    public static final int SOCK_DGRAM = 2;
    /// SOCK_SEQPACKET
    public static final int SOCK_SEQPACKET = 5;
    /// SOCK_CLOEXEC, or-ed into the type of socket(2) and the flags of accept4(2)
    public static final int SOCK_CLOEXEC = 02000000;
    /// MSG_NOSIGNAL: EPIPE instead of SIGPIPE
    public static final int MSG_NOSIGNAL = 0x4000;
    /// SOL_SOCKET
    public static final int SOL_SOCKET = 1;
    /// SOL_IP (IPPROTO_IP): the level of IPv4's socket options and control messages
    public static final int SOL_IP = 0;
    /// SOL_IPV6 (IPPROTO_IPV6): the level of IPv6's socket options and control messages
    public static final int SOL_IPV6 = 41;
    /// IP_OPTIONS: the IP header options of every packet the socket sends (a source route among them)
    public static final int IP_OPTIONS = 4;
    /// IP_RETOPTS: IP header options as a control message of one send
    public static final int IP_RETOPTS = 7;
    /// IP_ADD_MEMBERSHIP, the first of IPv4's multicast membership and source-filter options,
    /// which run up to IP_MSFILTER (41); MCAST_JOIN_GROUP (42) to MCAST_MSFILTER (48) follow, at
    /// SOL_IP and SOL_IPV6 alike
    public static final int IP_ADD_MEMBERSHIP = 35;
    /// MCAST_JOIN_GROUP, the first of the protocol-independent multicast options
    public static final int MCAST_JOIN_GROUP = 42;
    /// MCAST_MSFILTER, the last of the protocol-independent multicast options
    public static final int MCAST_MSFILTER = 48;
    /// IPV6_2292RTHDR: RFC 2292's routing header, as a socket option or a control message
    public static final int IPV6_2292RTHDR = 5;
    /// IPV6_2292PKTOPTIONS: RFC 2292's sticky options, a routing header among them
    public static final int IPV6_2292PKTOPTIONS = 6;
    /// IPV6_NEXTHOP: the next hop of the socket's packets, as a socket option or a control message
    public static final int IPV6_NEXTHOP = 9;
    /// IPV6_ADD_MEMBERSHIP (IPV6_JOIN_GROUP)
    public static final int IPV6_ADD_MEMBERSHIP = 20;
    /// IPV6_DROP_MEMBERSHIP (IPV6_LEAVE_GROUP)
    public static final int IPV6_DROP_MEMBERSHIP = 21;
    /// IPV6_JOIN_ANYCAST
    public static final int IPV6_JOIN_ANYCAST = 27;
    /// IPV6_LEAVE_ANYCAST
    public static final int IPV6_LEAVE_ANYCAST = 28;
    /// IPV6_RTHDR: a routing header (segment routing among its types), as a socket option or a
    /// control message
    public static final int IPV6_RTHDR = 57;
    /// SO_TYPE
    public static final int SO_TYPE = 3;
    /// SO_SNDBUF
    public static final int SO_SNDBUF = 7;
    /// SO_SNDBUFFORCE: SO_SNDBUF beyond net.core.wmem_max, with CAP_NET_ADMIN
    public static final int SO_SNDBUFFORCE = 32;
    /// SO_ACCEPTCONN
    public static final int SO_ACCEPTCONN = 30;
    /// SO_DOMAIN
    public static final int SO_DOMAIN = 39;

    /// struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }
    public static final StructLayout SOCKADDR_UN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(108, JAVA_BYTE).withName("sun_path")).withName("sockaddr_un");
    /// sockaddr_un.sun_family
    public static final VarHandle SUN_FAMILY = SOCKADDR_UN.varHandle(PathElement.groupElement("sun_family"));
    /// offsetof(struct sockaddr_un, sun_path)
    public static final long SUN_PATH_OFFSET = SOCKADDR_UN.byteOffset(PathElement.groupElement("sun_path"));
    /// sizeof(sockaddr_un.sun_path)
    public static final int SUN_PATH_SIZE = 108;

    /// struct msghdr { void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov; size_t msg_iovlen;
    ///                 void *msg_control; size_t msg_controllen; int msg_flags; }
    public static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4)).withName("msghdr");
    /// msghdr.msg_name
    public static final VarHandle MSG_NAME = MSGHDR.varHandle(PathElement.groupElement("msg_name"));
    /// msghdr.msg_namelen
    public static final VarHandle MSG_NAMELEN = MSGHDR.varHandle(PathElement.groupElement("msg_namelen"));
    /// msghdr.msg_iov
    public static final VarHandle MSG_IOV = MSGHDR.varHandle(PathElement.groupElement("msg_iov"));
    /// msghdr.msg_iovlen
    public static final VarHandle MSG_IOVLEN = MSGHDR.varHandle(PathElement.groupElement("msg_iovlen"));
    /// msghdr.msg_control
    public static final VarHandle MSG_CONTROL = MSGHDR.varHandle(PathElement.groupElement("msg_control"));
    /// msghdr.msg_controllen
    public static final VarHandle MSG_CONTROLLEN = MSGHDR.varHandle(PathElement.groupElement("msg_controllen"));

    /// struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; /* data, aligned to size_t */ }
    public static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("cmsg_len"),
            JAVA_INT.withName("cmsg_level"),
            JAVA_INT.withName("cmsg_type")).withName("cmsghdr");
    /// cmsghdr.cmsg_len
    public static final VarHandle CMSG_LEN = CMSGHDR.varHandle(PathElement.groupElement("cmsg_len"));
    /// cmsghdr.cmsg_level
    public static final VarHandle CMSG_LEVEL = CMSGHDR.varHandle(PathElement.groupElement("cmsg_level"));
    /// cmsghdr.cmsg_type
    public static final VarHandle CMSG_TYPE = CMSGHDR.varHandle(PathElement.groupElement("cmsg_type"));

    /// CMSG_LEN(n): the cmsg_len of a control message carrying `n` data bytes.
    public static long cmsgLen(long n) {
        return CMSGHDR.byteSize() + n;
    }

    /// CMSG_SPACE(n): the room a control message carrying `n` data bytes takes, padded to size_t.
    public static long cmsgSpace(long n) {
        return CMSGHDR.byteSize() + ((n + 7) & ~7L);
    }

    /// struct sockaddr_storage, large enough for any address getsockname(2) answers.
    public static final long SOCKADDR_STORAGE_SIZE = 128;
    /// offsetof(struct sockaddr_in, sin_port), also of sin6_port: big-endian port
    public static final long SIN_PORT_OFFSET = 2;
    /// offsetof(struct sockaddr_in, sin_addr): 4 address bytes
    public static final long SIN_ADDR_OFFSET = 4;
    /// offsetof(struct sockaddr_in6, sin6_addr): 16 address bytes
    public static final long SIN6_ADDR_OFFSET = 8;
    /// offsetof(struct sockaddr_in6, sin6_scope_id)
    public static final long SIN6_SCOPE_ID_OFFSET = 24;

    static {
        Abi.check("sockaddr_un", SOCKADDR_UN, 110);
        Abi.check("struct msghdr", MSGHDR, 56);
        Abi.check("struct cmsghdr", CMSGHDR, 16);
    }
}
