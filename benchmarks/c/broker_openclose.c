/*
 * The program the brokered open+close benchmark runs, built and run by scripts/bench-broker.sh:
 * natively, under the C broker (broker_cbroker.c) and under `posix4j sandbox`.
 *
 *   broker_openclose FILE WARMUP N
 *       Opens FILE with openat(AT_FDCWD, FILE, O_RDONLY | O_CLOEXEC) and closes it, WARMUP times
 *       unmeasured (under a broker, long enough for a JIT-compiled master to reach its steady
 *       state), then N times measured, and prints one line "ns=X" with X the nanoseconds per
 *       open+close of the measured loop (CLOCK_MONOTONIC around the loop itself: starting the
 *       process and the broker is not in it).
 *       The raw syscall, not fopen: one openat and one close per iteration, nothing else.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void open_close(const char *file, long count) {
    for (long i = 0; i < count; i++) {
        int fd = openat(AT_FDCWD, file, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            perror(file);
            exit(1);
        }
        close(fd);
    }
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: broker_openclose FILE WARMUP N\n");
        return 2;
    }
    long warmup = atol(argv[2]), n = atol(argv[3]);
    if (warmup < 0 || n < 1) {
        fprintf(stderr, "WARMUP must be >= 0 and N >= 1\n");
        return 2;
    }
    open_close(argv[1], warmup);
    double t0 = now_ns();
    open_close(argv[1], n);
    double t1 = now_ns();
    printf("ns=%.1f\n", (t1 - t0) / (double) n);
    return 0;
}
