/*
 * The caller of the pid-reuse attack (issue 11, item 2), run in a pid namespace of its own,
 * under posix4j sandbox or (control) alone. Fills one end of a unix stream socketpair until a
 * send would block, then forks a child that maps a page at PAGE and calls sendmmsg(2) of one
 * message whose mmsghdr is at the start of that page, so that the answer's msg_len is due at
 * PAGE+56. The child prints "blocked tid=T addr=PAGE+56" and blocks in the call (in the kernel
 * alone; in the master's wait under the sandbox). This process reaps the child when it is
 * killed ("child ended: signal N"), so its tid becomes free for another process.
 *
 * Then, on the line "drain" on stdin, it reads the other end until it is empty, which lets a
 * waiting send go, and keeps reading for 2 s (times TIME_FACTOR): "drained N message=yes|no"
 * says whether the blocked message arrived (the filling is all zero bytes, so its non-zero
 * bytes are the message's), i.e. whether the send was made after its caller died. It ends at
 * the end of stdin.
 *
 *   caller TIME_FACTOR
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE ((void *) 0x100000000000UL)
static const char MESSAGE[] = "pidreuse-message";

static long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* The child: the message, its iovec and the mmsghdr all in PAGE; never returns unless the
 * call does. */
static void blocked_send(int fd) {
    char *page = mmap(PAGE, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (page != PAGE) {
        printf("child: mmap: %s\n", strerror(errno));
        _exit(2);
    }
    struct mmsghdr *m = (struct mmsghdr *) page;
    struct iovec *v = (struct iovec *) (page + 1024);
    memcpy(page + 2048, MESSAGE, sizeof MESSAGE - 1);
    v->iov_base = page + 2048;
    v->iov_len = sizeof MESSAGE - 1;
    m->msg_hdr.msg_iov = v;
    m->msg_hdr.msg_iovlen = 1;
    m->msg_len = 0;
    printf("blocked tid=%d addr=%p\n", getpid(), (void *) &m->msg_len);
    fflush(stdout);
    int r = sendmmsg(fd, m, 1, 0);
    printf("child: sendmmsg returned %d errno=%s\n", r, r < 0 ? strerror(errno) : "none");
    _exit(0);
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    double factor = atof(argv[1]);
    int ends[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) < 0) {
        printf("socketpair: %s\n", strerror(errno));
        return 2;
    }
    int flags = fcntl(ends[0], F_GETFL);
    if (flags < 0 || fcntl(ends[0], F_SETFL, flags | O_NONBLOCK) < 0) {
        printf("fcntl: %s\n", strerror(errno));
        return 2;
    }
    static char fill[4096];
    long filled = 0;
    for (;;) {
        ssize_t w = write(ends[0], fill, sizeof fill);
        if (w < 0) break;
        filled += w;
    }
    if (errno != EAGAIN || fcntl(ends[0], F_SETFL, flags) < 0) {
        printf("fill: %s\n", strerror(errno));
        return 2;
    }
    printf("filled %ld\n", filled);
    fflush(stdout);
    pid_t child = fork();
    if (child < 0) return 2;
    if (child == 0) blocked_send(ends[0]);
    int status;
    if (waitpid(child, &status, 0) != child) return 2;
    printf("child ended: %s %d\n", WIFSIGNALED(status) ? "signal" : "exit",
            WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    fflush(stdout);
    char line[64];
    while (fgets(line, sizeof line, stdin)) {
        if (strcmp(line, "drain\n") != 0) continue;
        static char sink[1 << 16];
        long drained = 0;
        long marked = 0;
        long until = now_ms() + (long) (2000 * factor);
        for (long left; (left = until - now_ms()) > 0;) {
            struct pollfd p = {.fd = ends[1], .events = POLLIN};
            if (poll(&p, 1, (int) left) <= 0) continue;
            ssize_t r = read(ends[1], sink, sizeof sink);
            if (r <= 0) break;
            drained += r;
            for (ssize_t i = 0; i < r; i++) marked += sink[i] != 0;
        }
        printf("drained %ld message=%s\n", drained, marked == (long) sizeof MESSAGE - 1 ? "yes" : "no");
        fflush(stdout);
    }
    return 0;
}
