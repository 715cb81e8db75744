/*
 * What a wrapper adds to one system call, for scripts/bench-sandbox-modes.sh: run natively and
 * under each wrapper, the difference is the wrapper's price per call.
 *
 *   syscall_cost FILE
 *       Times GETPPID_CALLS getppid calls (a call no wrapper decides: under a seccomp filter it
 *       shows the filter's cost on every call, under Landlock nothing) and OPEN_CALLS opens of
 *       FILE for reading, each closed again (under Landlock the open is checked against the
 *       rules, walking from FILE up the directory tree), and prints
 *       "getppid_ns=N openclose_ns=N": the mean time of one getppid and of one open + close.
 *       The file is opened once untimed first, so that its path is in the dentry cache.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { GETPPID_CALLS = 2000000, OPEN_CALLS = 300000 };

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec * 1e9 + (double) t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: syscall_cost FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    close(fd);
    double t0 = now_ns();
    for (int i = 0; i < GETPPID_CALLS; i++) {
        /* Through syscall(2): glibc does not cache getppid, but the call must not be elided. */
        syscall(SYS_getppid);
    }
    double t1 = now_ns();
    for (int i = 0; i < OPEN_CALLS; i++) {
        fd = open(argv[1], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            perror(argv[1]);
            return 1;
        }
        close(fd);
    }
    double t2 = now_ns();
    printf("getppid_ns=%.1f openclose_ns=%.1f\n", (t1 - t0) / GETPPID_CALLS, (t2 - t1) / OPEN_CALLS);
    return 0;
}
