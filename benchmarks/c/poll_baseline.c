/*
 * The C baselines of the event benchmarks (PollBenchmark, EpollBenchmark), built and run by
 * scripts/bench-event.sh in the same run as JMH, on the same kind of descriptors in the same
 * state, so the ratios compare posix4j with the kernel's own cost and nothing else.
 *
 *   poll_baseline poll NFDS ROUNDS MILLIS [threaded]
 *       NFDS pipes, every 10th holding one byte; poll(2) on the NFDS read ends (POLLIN) with a
 *       zero timeout, as PollBenchmark does.
 *   poll_baseline epoll NFDS ROUNDS MILLIS [threaded]
 *       NFDS eventfds registered level-triggered for EPOLLIN, 10 of them (spread evenly) with a
 *       count of 1; epoll_wait(2) with a zero timeout into a 64-entry array, then a walk over the
 *       ready entries, as EpollBenchmark does.
 *
 * With "threaded", one more thread (idle in pause()) is started first, so the process shares its
 * descriptor table between two threads, as every JVM does. That is not a detail: the kernel then
 * takes and drops a reference on each file poll(2) looks at (fdget's fast path is only for
 * single-threaded processes), which on some machines makes poll over many descriptors markedly
 * slower. The JVM cannot be single-threaded, so the threaded run is the like-for-like baseline.
 *
 * After a warm-up round, each of ROUNDS rounds calls for MILLIS milliseconds and prints one line
 * "round N: X ns/call"; the last line is "mean: X ns/call".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define READY 10
#define BATCH 256

static void die(const char *what) {
    fprintf(stderr, "poll_baseline: %s: %s\n", what, strerror(errno));
    exit(1);
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/* The descriptors the benchmark needs, with room to spare. */
static void raise_nofile(long nfds) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) die("getrlimit");
    if (rl.rlim_cur < (rlim_t) (2 * nfds + 64)) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) die("setrlimit");
    }
}

static struct pollfd *fds;
static long nfds;
static int epfd;
static struct epoll_event events[64];
static volatile uint64_t sink;

static void *idle(void *unused) {
    (void) unused;
    for (;;) pause();
    return NULL;
}

static int call_poll(void) {
    int n = poll(fds, (nfds_t) nfds, 0);
    if (n < 0) die("poll");
    return n;
}

static int call_epoll(void) {
    int n = epoll_wait(epfd, events, 64, 0);
    if (n < 0) die("epoll_wait");
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) sum += events[i].data.u64;
    sink += sum;
    return n;
}

static double round_ns(int (*call)(void), long millis, int expect) {
    uint64_t start = now_ns(), end = start + (uint64_t) millis * 1000000u, t;
    long calls = 0;
    do {
        for (int i = 0; i < BATCH; i++) {
            if (call() != expect) {
                fprintf(stderr, "poll_baseline: expected %d ready descriptors\n", expect);
                exit(1);
            }
        }
        calls += BATCH;
        t = now_ns();
    } while (t < end);
    return (double) (t - start) / (double) calls;
}

int main(int argc, char **argv) {
    if (argc != 5 && !(argc == 6 && strcmp(argv[5], "threaded") == 0)) {
        fprintf(stderr, "usage: poll_baseline poll|epoll NFDS ROUNDS MILLIS [threaded]\n");
        return 2;
    }
    if (argc == 6) {
        pthread_t thread;
        int rc = pthread_create(&thread, NULL, idle, NULL);
        if (rc != 0) {
            errno = rc;
            die("pthread_create");
        }
    }
    nfds = atol(argv[2]);
    int rounds = atoi(argv[3]);
    long millis = atol(argv[4]);
    if (nfds < READY || rounds < 1 || millis < 1) {
        fprintf(stderr, "poll_baseline: NFDS >= %d, ROUNDS >= 1 and MILLIS >= 1\n", READY);
        return 2;
    }
    raise_nofile(nfds);
    int (*call)(void);
    int expect;
    if (strcmp(argv[1], "poll") == 0) {
        fds = calloc((size_t) nfds, sizeof *fds);
        if (fds == NULL) die("calloc");
        for (long i = 0; i < nfds; i++) {
            int p[2];
            if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0) die("pipe2");
            if (i % 10 == 0 && write(p[1], "x", 1) != 1) die("write");
            fds[i].fd = p[0];
            fds[i].events = POLLIN;
        }
        call = call_poll;
        expect = (int) ((nfds + 9) / 10);
    } else if (strcmp(argv[1], "epoll") == 0) {
        epfd = epoll_create1(EPOLL_CLOEXEC);
        if (epfd < 0) die("epoll_create1");
        long stride = nfds / READY;
        for (long i = 0; i < nfds; i++) {
            int e = eventfd(i % stride == 0 ? 1 : 0, EFD_CLOEXEC | EFD_NONBLOCK);
            if (e < 0) die("eventfd");
            struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t) i};
            if (epoll_ctl(epfd, EPOLL_CTL_ADD, e, &ev) != 0) die("epoll_ctl");
        }
        call = call_epoll;
        expect = READY;
    } else {
        fprintf(stderr, "poll_baseline: unknown mode %s\n", argv[1]);
        return 2;
    }
    round_ns(call, millis, expect);
    double sum = 0;
    for (int r = 1; r <= rounds; r++) {
        double ns = round_ns(call, millis, expect);
        sum += ns;
        printf("round %d: %.1f ns/call\n", r, ns);
    }
    printf("mean: %.1f ns/call\n", sum / rounds);
    return 0;
}
