/*
 * The C baseline of the bulk copy benchmark (IpcCopy), built and run by scripts/bench-ipc.sh in
 * the same run as the Java measurement.
 *
 *   ipc_copy MIB WARMUP ROUNDS PASSES
 *       Creates (and at once unlinks) a shared memory object of MIB MiB, mmaps it MAP_SHARED,
 *       fills a malloc'd buffer of the same size, memcpy's it in WARMUP times unmeasured (every
 *       page of the object is then allocated), then times ROUNDS rounds of PASSES memcpy's, each
 *       printed as "round=X" (GB/s, 10^9 bytes a second), then "median=X", as IpcCopy does.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) {
    perror(what);
    exit(1);
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: ipc_copy MIB WARMUP ROUNDS PASSES\n");
        return 2;
    }
    size_t size = (size_t) atol(argv[1]) << 20;
    int warmup = atoi(argv[2]), rounds = atoi(argv[3]), passes = atoi(argv[4]);
    if (rounds < 1 || rounds > 100) {
        fprintf(stderr, "ROUNDS must be 1 to 100\n");
        return 2;
    }
    char name[64];
    snprintf(name, sizeof name, "/posix4j-bench-copy-c-%d", (int) getpid());
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) die("shm_open");
    shm_unlink(name);
    if (ftruncate(fd, (off_t) size) != 0) die("ftruncate");
    unsigned char *mapping = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (mapping == MAP_FAILED) die("mmap");
    /* Page-aligned like the Java side's arena.allocate(size, 4096). */
    uint64_t *source = aligned_alloc(4096, size);
    if (source == NULL) die("aligned_alloc");
    for (size_t i = 0; i < size / 8; i++) source[i] = (uint64_t) (i * 8) * 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < warmup; i++) memcpy(mapping, source, size);
    double rates[100];
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        for (int p = 0; p < passes; p++) {
            memcpy(mapping, source, size);
            /* Keeps the compiler from merging or dropping the repeated copies. */
            __asm__ volatile("" : : "r"(mapping) : "memory");
        }
        rates[r] = (double) size * passes / (now_ns() - t0);
        printf("round=%.2f\n", rates[r]);
    }
    if (memcmp(mapping + size - 8, (unsigned char *) source + size - 8, 8) != 0) {
        fprintf(stderr, "the mapping does not hold the copied data\n");
        return 1;
    }
    qsort(rates, rounds, sizeof rates[0], compare);
    printf("median=%.2f\n", rates[rounds / 2]);
    return 0;
}
