/*
 * Socket kinds an attacker reaches past connect and bind allowances with. Each argument is one
 * operation; each prints "OP: RESULT" (OK with what it saw, or the errno's name):
 *
 *   netlink   an AF_NETLINK route socket, then an RTM_GETLINK dump: "OK lo" when the host's
 *             loopback interface was listed
 *   packet    an AF_PACKET socket (all protocols): it would see other processes' frames
 *   raw       a raw IPv4 UDP socket: datagrams to any port, copies of other processes' datagrams
 *   listen    listen(2) on a TCP socket never bound: the kernel binds 0.0.0.0 and an ephemeral
 *             port, reachable by any peer; "OK bound" when getsockname shows a port
 *   bindlisten  bind 127.0.0.1:0 first, then listen
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void fail(const char *op) {
    printf("%s: %s\n", op, strerrorname_np(errno));
}

static void netlink(void) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
        fail("netlink");
        return;
    }
    struct {
        struct nlmsghdr h;
        struct ifinfomsg i;
    } req = {.h = {.nlmsg_len = sizeof req, .nlmsg_type = RTM_GETLINK, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
                   .nlmsg_seq = 1},
             .i = {.ifi_family = AF_UNSPEC}};
    if (send(fd, &req, sizeof req, 0) < 0) {
        fail("netlink");
        close(fd);
        return;
    }
    static char buf[65536];
    int seen = 0, done = 0;
    while (!done) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            break;
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *) buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
                done = 1;
                break;
            }
            struct ifinfomsg *ifi = NLMSG_DATA(h);
            int len = IFLA_PAYLOAD(h);
            for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
                if (a->rta_type == IFLA_IFNAME && strcmp(RTA_DATA(a), "lo") == 0) {
                    seen = 1;
                }
            }
        }
    }
    printf("netlink: %s\n", seen ? "OK lo" : "OK nothing");
    close(fd);
}

static void created(const char *op, int fd) {
    if (fd < 0) {
        fail(op);
        return;
    }
    printf("%s: OK\n", op);
    close(fd);
}

static void listening(const char *op, int bind_first) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fail(op);
        return;
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind_first && bind(fd, (struct sockaddr *) &a, sizeof a) < 0) {
        fail(op);
        close(fd);
        return;
    }
    if (listen(fd, 1) < 0) {
        fail(op);
        close(fd);
        return;
    }
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *) &a, &len);
    printf("%s: %s\n", op, ntohs(a.sin_port) != 0 ? "OK bound" : "OK unbound");
    close(fd);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 1; i < argc; i++) {
        const char *op = argv[i];
        if (strcmp(op, "netlink") == 0) {
            netlink();
        } else if (strcmp(op, "packet") == 0) {
            created(op, socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL)));
        } else if (strcmp(op, "raw") == 0) {
            created(op, socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_UDP));
        } else if (strcmp(op, "listen") == 0) {
            listening(op, 0);
        } else if (strcmp(op, "bindlisten") == 0) {
            listening(op, 1);
        } else {
            printf("%s: unknown\n", op);
        }
    }
    return 0;
}
