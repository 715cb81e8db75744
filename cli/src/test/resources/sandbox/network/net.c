/*
 * The network calls of the sandbox tests, one operation per run, as a program under test would
 * make them. Every line it prints is "LABEL: OK [details]" or "LABEL: ERRNO" (the errno's
 * symbolic name), so that a run inside the sandbox compares line by line with a run outside.
 *
 *   connect ADDR PORT              TCP connect(2) (ADDR IPv4 or IPv6), then read a line
 *   nbconnect ADDR PORT            non-blocking TCP connect: EINPROGRESS, poll for POLLOUT, SO_ERROR
 *   bind ADDR PORT                 TCP bind(2), then the port getsockname(2) reports
 *   serve ADDR PORT                bind, listen, print the port, accept one peer and greet it
 *   sendto ADDR PORT TEXT          UDP sendto(2) from a socket never connected
 *   sendmsg ADDR PORT TEXT         the same with sendmsg(2) and msg_name
 *   connected ADDR PORT TEXT       UDP connect(2), then send(2) with no address
 *   unix-connect PATH              AF_UNIX stream connect ("@NAME": abstract), then read a line
 *   unix-bind PATH                 AF_UNIX bind, then lstat(2) of PATH
 *   pending ADDR PORT FILE         a blocking connect to a peer that never accepts, while a second
 *                                  thread opens FILE for 500 ms
 *   malformed ADDR PORT UNIXPATH   connect(2) with malformed or mismatched addresses (see below),
 *                                  with ADDR:PORT and UNIXPATH as the well-formed ones
 *   sendmmsg ADDR PORT1 PORT2 TEXT one sendmmsg(2) of two datagrams, TEXT-1 to PORT1, TEXT-2 to PORT2
 *   redirect ADDR PORT1 PORT2 TEXT UDP connect to PORT1, then sendto(2) PORT2 on the same socket
 *   unix-loop PATH N               N AF_UNIX connects to PATH; prints how many ended how (the
 *                                  peer's greeting or the errno)
 *   race ADDR PORT1 PORT2 N        N TCP connects to one sockaddr whose port a second thread keeps
 *                                  switching between PORT1 and PORT2; prints how many greetings
 *                                  came from each peer and how many connects failed, by errno
 *   routed ADDR PORT VIA TEXT      on a UDP socket: SO_REUSEADDR and IP_TOS (options that route
 *                                  nothing), IP_OPTIONS with a loose source route through VIA, the
 *                                  options the socket then holds (getsockopt), a sendmsg(2) of
 *                                  TEXT-routed to ADDR:PORT routed through VIA by an IP_RETOPTS
 *                                  control message, and a plain sendto(2) of TEXT to ADDR:PORT
 *   join GROUP4 GROUP6             IP_MULTICAST_TTL, then joins of the IPv4 GROUP4 (IP_ADD_MEMBERSHIP,
 *                                  MCAST_JOIN_GROUP) and the IPv6 GROUP6 (IPV6_ADD_MEMBERSHIP), and a
 *                                  segment routing header (IPV6_RTHDR) on an IPv6 UDP socket
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* ms milliseconds times POSIX4J_TEST_TIME_FACTOR, which the test's environment passes through the
   sandbox: a limit that a loaded machine stretches, as the Java tests' limits. */
static int scaled_ms(int ms) {
    const char *f = getenv("POSIX4J_TEST_TIME_FACTOR");
    double factor = f ? atof(f) : 1;
    return factor > 0 ? (int) (ms * factor) : ms;
}

static const char *errname(int e) {
    const char *name = strerrorname_np(e);
    return name != NULL ? name : "E?";
}

/* One write per line, so that lines of concurrent threads never interleave. */
static void say(const char *label, int rc, const char *details) {
    char line[1024];
    int n;
    if (rc < 0) {
        n = snprintf(line, sizeof line, "%s: %s\n", label, errname(errno));
    } else if (details != NULL && details[0] != 0) {
        n = snprintf(line, sizeof line, "%s: OK %s\n", label, details);
    } else {
        n = snprintf(line, sizeof line, "%s: OK\n", label);
    }
    if (write(1, line, (size_t) n) != n) {
        _exit(3);
    }
}

/* Fills sa from ADDR (IPv4 or IPv6) and PORT; answers its length, or exits on a bad argument. */
static socklen_t inet_of(const char *addr, const char *port, struct sockaddr_storage *sa) {
    memset(sa, 0, sizeof *sa);
    struct sockaddr_in *in4 = (struct sockaddr_in *) sa;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) sa;
    if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((unsigned short) atoi(port));
        return sizeof *in4;
    }
    if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((unsigned short) atoi(port));
        return sizeof *in6;
    }
    fprintf(stderr, "not an address: %s\n", addr);
    exit(2);
}

/*
 * Fills sa from PATH, "@NAME" being the abstract NAME; answers the length with the NUL, except
 * for a path that fills sun_path whole (108 bytes), which the kernel takes without one.
 */
static socklen_t unix_of(const char *path, struct sockaddr_un *sa) {
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    size_t len = strlen(path);
    if (len > sizeof sa->sun_path) {
        fprintf(stderr, "too long: %s\n", path);
        exit(2);
    }
    memcpy(sa->sun_path, path, len);
    if (path[0] == '@') {
        sa->sun_path[0] = 0;
        return (socklen_t) (offsetof(struct sockaddr_un, sun_path) + len);
    }
    if (len == sizeof sa->sun_path) {
        return sizeof *sa;
    }
    return (socklen_t) (offsetof(struct sockaddr_un, sun_path) + len + 1);
}

/* Reads one line (up to 200 bytes, 5 s scaled at most) from s into details as "read=LINE". */
static void read_line(int s, char *details, size_t size) {
    struct pollfd p = {.fd = s, .events = POLLIN};
    char buf[201];
    if (poll(&p, 1, scaled_ms(5000)) != 1) {
        snprintf(details, size, "read=nothing");
        return;
    }
    ssize_t r = read(s, buf, 200);
    if (r < 0) {
        snprintf(details, size, "read=%s", errname(errno));
        return;
    }
    buf[r] = 0;
    buf[strcspn(buf, "\n")] = 0;
    snprintf(details, size, "read=%s", buf);
}

static int op_connect(char **a) {
    struct sockaddr_storage sa;
    socklen_t len = inet_of(a[0], a[1], &sa);
    int s = socket(sa.ss_family, SOCK_STREAM, 0);
    int rc = connect(s, (struct sockaddr *) &sa, len);
    char details[300] = "";
    if (rc == 0) {
        read_line(s, details, sizeof details);
    }
    say("connect", rc, details);
    close(s);
    return rc;
}

static int op_nbconnect(char **a) {
    struct sockaddr_storage sa;
    socklen_t len = inet_of(a[0], a[1], &sa);
    int s = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int rc = connect(s, (struct sockaddr *) &sa, len);
    if (rc == 0) {
        say("connect", 0, "at once");
    } else {
        say("connect", rc, NULL);
        if (errno != EINPROGRESS) {
            return -1;
        }
    }
    struct pollfd p = {.fd = s, .events = POLLOUT};
    int ready = poll(&p, 1, scaled_ms(5000));
    char details[64];
    snprintf(details, sizeof details, "%d ready, revents%s", ready, (p.revents & POLLOUT) ? " POLLOUT" : "");
    say("poll", ready, details);
    int error = -1;
    socklen_t elen = sizeof error;
    rc = getsockopt(s, SOL_SOCKET, SO_ERROR, &error, &elen);
    snprintf(details, sizeof details, "SO_ERROR=%s", error == 0 ? "0" : errname(error));
    say("getsockopt", rc, details);
    read_line(s, details, sizeof details);
    say("read", 0, details);
    close(s);
    return 0;
}

static int op_bind(char **a) {
    struct sockaddr_storage sa;
    socklen_t len = inet_of(a[0], a[1], &sa);
    int s = socket(sa.ss_family, SOCK_STREAM, 0);
    int rc = bind(s, (struct sockaddr *) &sa, len);
    char details[64] = "";
    if (rc == 0) {
        struct sockaddr_storage bound;
        socklen_t blen = sizeof bound;
        getsockname(s, (struct sockaddr *) &bound, &blen);
        int port = ntohs(((struct sockaddr_in *) &bound)->sin_port);
        snprintf(details, sizeof details, "%s", port == atoi(a[1]) ? "the port asked for" : "an ephemeral port");
    }
    say("bind", rc, details);
    close(s);
    return rc;
}

static int op_serve(char **a) {
    struct sockaddr_storage sa;
    socklen_t len = inet_of(a[0], a[1], &sa);
    int s = socket(sa.ss_family, SOCK_STREAM, 0);
    int rc = bind(s, (struct sockaddr *) &sa, len);
    say("bind", rc, NULL);
    if (rc < 0) {
        return rc;
    }
    rc = listen(s, 1);
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    getsockname(s, (struct sockaddr *) &bound, &blen);
    char details[300];
    snprintf(details, sizeof details, "port %d", ntohs(((struct sockaddr_in *) &bound)->sin_port));
    say("listen", rc, details);
    struct pollfd p = {.fd = s, .events = POLLIN};
    if (poll(&p, 1, scaled_ms(10000)) != 1) {
        say("accept", -1, NULL);
        return -1;
    }
    int peer = accept(s, NULL, NULL);
    if (peer >= 0) {
        static const char hello[] = "served from inside\n";
        if (write(peer, hello, sizeof hello - 1) < 0) {
            return -1;
        }
        read_line(peer, details, sizeof details);
        close(peer);
    }
    say("accept", peer, details);
    close(s);
    return 0;
}

static int udp_send(char **a, int how) {
    struct sockaddr_storage sa;
    socklen_t len = inet_of(a[0], a[1], &sa);
    int s = socket(sa.ss_family, SOCK_DGRAM, 0);
    size_t n = strlen(a[2]);
    int rc;
    if (how == 0) {
        rc = (int) sendto(s, a[2], n, 0, (struct sockaddr *) &sa, len);
        say("sendto", rc, NULL);
    } else if (how == 1) {
        struct iovec iov = {.iov_base = a[2], .iov_len = n};
        struct msghdr m = {.msg_name = &sa, .msg_namelen = len, .msg_iov = &iov, .msg_iovlen = 1};
        rc = (int) sendmsg(s, &m, 0);
        say("sendmsg", rc, NULL);
    } else {
        rc = connect(s, (struct sockaddr *) &sa, len);
        say("connect", rc, NULL);
        if (rc == 0) {
            rc = (int) send(s, a[2], n, 0);
            say("send", rc, NULL);
        }
    }
    close(s);
    return rc;
}

static int op_sendto(char **a) { return udp_send(a, 0); }
static int op_sendmsg(char **a) { return udp_send(a, 1); }
static int op_connected(char **a) { return udp_send(a, 2); }

static int op_unix_connect(char **a) {
    struct sockaddr_un sa;
    socklen_t len = unix_of(a[0], &sa);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    int rc = connect(s, (struct sockaddr *) &sa, len);
    char details[300] = "";
    if (rc == 0) {
        read_line(s, details, sizeof details);
    }
    say("connect", rc, details);
    close(s);
    return rc;
}

static int op_unix_bind(char **a) {
    struct sockaddr_un sa;
    socklen_t len = unix_of(a[0], &sa);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    int rc = bind(s, (struct sockaddr *) &sa, len);
    say("bind", rc, NULL);
    close(s);
    return rc;
}

static volatile int connect_pending = 1;

static void *connect_thread(void *arg) {
    char **a = arg;
    struct sockaddr_storage sa;
    socklen_t len = inet_of(a[0], a[1], &sa);
    int s = socket(sa.ss_family, SOCK_STREAM, 0);
    /* The kernel ends a blocking connect with EINPROGRESS once the send timeout is over. */
    struct timeval timeout = {.tv_sec = 2};
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    int rc = connect(s, (struct sockaddr *) &sa, len);
    int saved = errno;
    connect_pending = 0;
    errno = saved;
    say("connect", rc, NULL);
    return NULL;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

static int op_pending(char **a) {
    pthread_t t;
    pthread_create(&t, NULL, connect_thread, a);
    /* Lets the connect start before the opens are counted. */
    usleep(100 * 1000);
    double start = now();
    int opened = 0, failed = 0;
    while (now() - start < 0.5) {
        int fd = open(a[2], O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            opened++;
            close(fd);
        } else {
            failed++;
        }
    }
    int pending = connect_pending;
    char details[100];
    snprintf(details, sizeof details, "%s, %s", opened >= 100 ? "100 or more" : "fewer than 100",
             failed == 0 ? "none failed" : "some failed");
    say(pending ? "opens while the connect was pending" : "opens, the connect no longer pending", 0, details);
    pthread_join(t, NULL);
    return 0;
}

/* connect(2) on a new socket of `family` with `len` bytes of `sa`, printed under `label`. */
static void try_connect(const char *label, int family, int type, const void *sa, socklen_t len) {
    int s = socket(family, type, 0);
    int rc = connect(s, sa, len);
    say(label, rc, NULL);
    close(s);
}

/*
 * Each malformed or mismatched address in turn; after each, the sandbox must still be serving,
 * which the well-formed connects at the end show.
 */
static int op_malformed(char **a) {
    struct sockaddr_storage in;
    socklen_t inlen = inet_of(a[0], a[1], &in);
    struct sockaddr_un un;
    socklen_t unlen = unix_of(a[2], &un);
    char big[200];
    memset(big, 0, sizeof big);
    memcpy(big, &in, inlen);

    try_connect("inet addrlen 0", AF_INET, SOCK_STREAM, &in, 0);
    try_connect("inet addrlen 1", AF_INET, SOCK_STREAM, &in, 1);
    try_connect("inet addrlen 8", AF_INET, SOCK_STREAM, &in, 8);
    try_connect("inet addrlen 129", AF_INET, SOCK_STREAM, big, 129);
    try_connect("udp addrlen 129", AF_INET, SOCK_DGRAM, big, 129);
    try_connect("unix addrlen 2", AF_UNIX, SOCK_STREAM, &un, 2);
    try_connect("unix addrlen 129", AF_UNIX, SOCK_STREAM, big, 129);

    /* A path followed by other bytes, with addrlen ending the path where the kernel reads it. */
    struct sockaddr_un trailing = un;
    size_t plen = strlen(a[2]);
    memcpy(trailing.sun_path + plen, "XYZ", 4);
    try_connect("unix addrlen without the NUL, other bytes after", AF_UNIX, SOCK_STREAM, &trailing,
                (socklen_t) (offsetof(struct sockaddr_un, sun_path) + plen));

    /* sendto on a UDP socket with a short address. */
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    say("sendto addrlen 3", (int) sendto(u, "x", 1, 0, (struct sockaddr *) &in, 3), NULL);
    close(u);

    int file = open("/dev/null", O_RDWR | O_CLOEXEC);
    say("connect on /dev/null", connect(file, (struct sockaddr *) &in, inlen), NULL);
    close(file);

    say("connect on a descriptor not open", connect(999, (struct sockaddr *) &in, inlen), NULL);

    /* Addresses the kernel cannot read: a page that was unmapped. */
    void *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, 4096);
    try_connect("inet address unmapped", AF_INET, SOCK_STREAM, gone, inlen);
    u = socket(AF_INET, SOCK_DGRAM, 0);
    struct iovec iov = {.iov_base = "x", .iov_len = 1};
    struct msghdr m = {.msg_name = gone, .msg_namelen = inlen, .msg_iov = &iov, .msg_iovlen = 1};
    say("sendmsg msg_name unmapped", (int) sendmsg(u, &m, 0), NULL);
    m.msg_name = big;
    m.msg_namelen = 129;
    say("sendmsg msg_namelen 129", (int) sendmsg(u, &m, 0), NULL);
    close(u);

    try_connect("inet address on a unix socket", AF_UNIX, SOCK_STREAM, &in, inlen);
    try_connect("unix address on an inet socket", AF_INET, SOCK_STREAM, &un, sizeof un);

    struct sockaddr_in unknown;
    memcpy(&unknown, &in, sizeof unknown);
    unknown.sin_family = 12345;
    try_connect("family 12345 on an inet socket", AF_INET, SOCK_STREAM, &unknown, sizeof unknown);

    /* AF_UNSPEC dissolves a UDP socket's association: no address to decide on. */
    int d = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr unspec = {.sa_family = AF_UNSPEC};
    say("AF_UNSPEC on a UDP socket", connect(d, &unspec, sizeof unspec), NULL);
    close(d);

    try_connect("well-formed unix", AF_UNIX, SOCK_STREAM, &un, unlen);
    try_connect("well-formed inet", in.ss_family, SOCK_STREAM, &in, inlen);
    return 0;
}

static int op_sendmmsg(char **a) {
    struct sockaddr_storage first, second;
    socklen_t len1 = inet_of(a[0], a[1], &first);
    socklen_t len2 = inet_of(a[0], a[2], &second);
    char text1[200], text2[200];
    snprintf(text1, sizeof text1, "%s-1", a[3]);
    snprintf(text2, sizeof text2, "%s-2", a[3]);
    struct iovec iov[2] = {{.iov_base = text1, .iov_len = strlen(text1)},
                           {.iov_base = text2, .iov_len = strlen(text2)}};
    struct mmsghdr m[2];
    memset(m, 0, sizeof m);
    m[0].msg_hdr = (struct msghdr) {.msg_name = &first, .msg_namelen = len1, .msg_iov = &iov[0], .msg_iovlen = 1};
    m[1].msg_hdr = (struct msghdr) {.msg_name = &second, .msg_namelen = len2, .msg_iov = &iov[1], .msg_iovlen = 1};
    int s = socket(first.ss_family, SOCK_DGRAM, 0);
    int rc = sendmmsg(s, m, 2, 0);
    char details[32];
    snprintf(details, sizeof details, "%d sent", rc);
    say("sendmmsg", rc, details);
    close(s);
    return rc;
}

static int op_redirect(char **a) {
    struct sockaddr_storage first, second;
    socklen_t len1 = inet_of(a[0], a[1], &first);
    socklen_t len2 = inet_of(a[0], a[2], &second);
    int s = socket(first.ss_family, SOCK_DGRAM, 0);
    int rc = connect(s, (struct sockaddr *) &first, len1);
    say("connect", rc, NULL);
    if (rc == 0) {
        /* Linux sends to the address given, whatever the socket is connected to. */
        say("sendto elsewhere", (int) sendto(s, a[3], strlen(a[3]), 0, (struct sockaddr *) &second, len2), NULL);
        say("send", (int) send(s, a[3], strlen(a[3]), 0), NULL);
    }
    close(s);
    return rc;
}

/* Counts outcomes (a greeting or an errno name) and prints "OUTCOME: OK COUNT" lines. */
struct tally {
    char outcomes[8][300];
    int counts[8];
    int kinds;
};

static void count(struct tally *t, const char *outcome) {
    int k = 0;
    while (k < t->kinds && strcmp(t->outcomes[k], outcome) != 0) {
        k++;
    }
    if (k == t->kinds && t->kinds < 8) {
        snprintf(t->outcomes[t->kinds++], sizeof t->outcomes[0], "%s", outcome);
    }
    if (k < 8) {
        t->counts[k]++;
    }
}

static void print_tally(const struct tally *t) {
    for (int k = 0; k < t->kinds; k++) {
        char details[32];
        snprintf(details, sizeof details, "%d", t->counts[k]);
        say(t->outcomes[k], 0, details);
    }
}

static int op_unix_loop(char **a) {
    struct sockaddr_un sa;
    socklen_t len = unix_of(a[0], &sa);
    struct tally t = {.kinds = 0};
    int n = atoi(a[1]);
    for (int i = 0; i < n; i++) {
        char outcome[300];
        int s = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(s, (struct sockaddr *) &sa, len) < 0) {
            snprintf(outcome, sizeof outcome, "%s", errname(errno));
        } else {
            read_line(s, outcome, sizeof outcome);
        }
        close(s);
        count(&t, outcome);
    }
    print_tally(&t);
    return 0;
}

static struct sockaddr_in race_address;
static volatile int racing = 1;

static void *switch_ports(void *arg) {
    unsigned short *ports = arg;
    volatile unsigned short *port = &race_address.sin_port;
    while (racing) {
        *port = ports[0];
        *port = ports[1];
    }
    return NULL;
}

static int op_race(char **a) {
    struct sockaddr_storage sa;
    if (inet_of(a[0], a[1], &sa) != sizeof race_address) {
        fprintf(stderr, "race: IPv4 only\n");
        exit(2);
    }
    memcpy(&race_address, &sa, sizeof race_address);
    unsigned short ports[2] = {htons((unsigned short) atoi(a[1])), htons((unsigned short) atoi(a[2]))};
    pthread_t t;
    pthread_create(&t, NULL, switch_ports, ports);
    struct tally tally = {.kinds = 0};
    int n = atoi(a[3]);
    for (int i = 0; i < n; i++) {
        char outcome[300];
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(s, (struct sockaddr *) &race_address, sizeof race_address) < 0) {
            snprintf(outcome, sizeof outcome, "%s", errname(errno));
        } else {
            read_line(s, outcome, sizeof outcome);
        }
        close(s);
        count(&tally, outcome);
    }
    racing = 0;
    pthread_join(t, NULL);
    print_tally(&tally);
    return 0;
}

/* A loose source route through VIA: the kernel sends the packet to VIA first, whatever address
   the send named (NOP, LSRR, length 7, pointer 4, VIA). */
static void lsrr_via(const char *via, unsigned char opt[8]) {
    struct in_addr v;
    if (inet_pton(AF_INET, via, &v) != 1) {
        fprintf(stderr, "not an IPv4 address: %s\n", via);
        exit(2);
    }
    opt[0] = IPOPT_NOP;
    opt[1] = IPOPT_LSRR;
    opt[2] = 7;
    opt[3] = 4;
    memcpy(opt + 4, &v, 4);
}

static int op_routed(char **a) {
    struct sockaddr_storage sa;
    socklen_t len = inet_of(a[0], a[1], &sa);
    unsigned char opt[8];
    lsrr_via(a[2], opt);
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    int one = 1;
    say("setsockopt SO_REUSEADDR", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), NULL);
    int tos = IPTOS_LOWDELAY;
    say("setsockopt IP_TOS", setsockopt(s, IPPROTO_IP, IP_TOS, &tos, sizeof tos), NULL);
    say("setsockopt IP_OPTIONS", setsockopt(s, IPPROTO_IP, IP_OPTIONS, opt, sizeof opt), NULL);
    unsigned char held[40];
    socklen_t heldLength = sizeof held;
    char details[64];
    int rc = getsockopt(s, IPPROTO_IP, IP_OPTIONS, held, &heldLength);
    snprintf(details, sizeof details, "%u bytes", (unsigned) heldLength);
    say("getsockopt IP_OPTIONS", rc, details);
    char text[256];
    snprintf(text, sizeof text, "%s-routed", a[3]);
    struct iovec iov = {.iov_base = text, .iov_len = strlen(text)};
    union {
        char buf[CMSG_SPACE(sizeof opt)];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr m = {.msg_name = &sa, .msg_namelen = len, .msg_iov = &iov, .msg_iovlen = 1,
                       .msg_control = control.buf, .msg_controllen = sizeof control.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_RETOPTS;
    c->cmsg_len = CMSG_LEN(sizeof opt);
    memcpy(CMSG_DATA(c), opt, sizeof opt);
    say("sendmsg IP_RETOPTS", (int) sendmsg(s, &m, 0), NULL);
    say("sendto", (int) sendto(s, a[3], strlen(a[3]), 0, (struct sockaddr *) &sa, len), NULL);
    close(s);
    return 0;
}

static int op_join(char **a) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ip_mreqn mr = {.imr_ifindex = 0};
    if (inet_pton(AF_INET, a[0], &mr.imr_multiaddr) != 1) {
        fprintf(stderr, "not an IPv4 group: %s\n", a[0]);
        exit(2);
    }
    int ttl = 1;
    say("setsockopt IP_MULTICAST_TTL", setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl), NULL);
    say("setsockopt IP_ADD_MEMBERSHIP", setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr), NULL);
    struct group_req gr;
    memset(&gr, 0, sizeof gr);
    struct sockaddr_in *g4 = (struct sockaddr_in *) &gr.gr_group;
    g4->sin_family = AF_INET;
    g4->sin_addr = mr.imr_multiaddr;
    say("setsockopt MCAST_JOIN_GROUP", setsockopt(s, IPPROTO_IP, MCAST_JOIN_GROUP, &gr, sizeof gr), NULL);
    close(s);
    int s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct ipv6_mreq m6 = {.ipv6mr_interface = 0};
    if (inet_pton(AF_INET6, a[1], &m6.ipv6mr_multiaddr) != 1) {
        fprintf(stderr, "not an IPv6 group: %s\n", a[1]);
        exit(2);
    }
    say("setsockopt IPV6_ADD_MEMBERSHIP", setsockopt(s6, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m6, sizeof m6), NULL);
    /* A segment routing header (type 4) with one segment, the group's address: next header 0,
       length 2 (16 bytes past the first 8), segments left 0, last entry 0. */
    unsigned char srh[24] = {0, 2, 4, 0, 0, 0, 0, 0};
    memcpy(srh + 8, &m6.ipv6mr_multiaddr, 16);
    say("setsockopt IPV6_RTHDR", setsockopt(s6, IPPROTO_IPV6, IPV6_RTHDR, srh, sizeof srh), NULL);
    close(s6);
    return 0;
}

struct op {
    const char *name;
    int arity;
    int (*run)(char **args);
};

static const struct op OPS[] = {
    {"connect", 2, op_connect},         {"nbconnect", 2, op_nbconnect},
    {"bind", 2, op_bind},               {"serve", 2, op_serve},
    {"sendto", 3, op_sendto},           {"sendmsg", 3, op_sendmsg},
    {"connected", 3, op_connected},     {"unix-connect", 1, op_unix_connect},
    {"unix-bind", 1, op_unix_bind},     {"pending", 3, op_pending},
    {"malformed", 3, op_malformed},     {"sendmmsg", 4, op_sendmmsg},
    {"redirect", 4, op_redirect},       {"race", 4, op_race},
    {"unix-loop", 2, op_unix_loop},     {"routed", 4, op_routed},
    {"join", 2, op_join},
};

int main(int argc, char **argv) {
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
        if (argc == OPS[i].arity + 2 && strcmp(argv[1], OPS[i].name) == 0) {
            OPS[i].run(argv + 2);
            return 0;
        }
    }
    fprintf(stderr, "usage: net OPERATION ARG...\n");
    return 2;
}
