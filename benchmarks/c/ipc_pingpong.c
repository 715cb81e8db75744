/*
 * The C baseline of the semaphore ping-pong benchmark (IpcPingPong), built and run by
 * scripts/bench-ipc.sh in the same run as the Java measurement.
 *
 *   ipc_pingpong WARMUP ROUNDS N
 *       Creates a shared memory object, maps it, initialises two process-shared sem_t (S1, S2,
 *       both 0) in it and forks. One round trip: the parent posts S1 and waits S2, the child
 *       waits S1 and posts S2. After WARMUP unmeasured round trips, ROUNDS rounds of N are timed,
 *       each printed as "round=NS" (nanoseconds per round trip), then "median=NS", as IpcPingPong
 *       does. A shm object rather than an anonymous shared mapping, to match the Java side.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
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

static void ping_pong(sem_t *s1, sem_t *s2, long count) {
    for (long i = 0; i < count; i++) {
        if (sem_post(s1) != 0) die("sem_post");
        while (sem_wait(s2) != 0) {} /* EINTR only */
    }
}

static int compare(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: ipc_pingpong WARMUP ROUNDS N\n");
        return 2;
    }
    long warmup = atol(argv[1]), n = atol(argv[3]);
    int rounds = atoi(argv[2]);
    if (rounds < 1 || rounds > 100) {
        fprintf(stderr, "ROUNDS must be 1 to 100\n");
        return 2;
    }
    char name[64];
    snprintf(name, sizeof name, "/posix4j-bench-ipc-c-%d", (int) getpid());
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) die("shm_open");
    shm_unlink(name);
    if (ftruncate(fd, 4096) != 0) die("ftruncate");
    char *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (shared == MAP_FAILED) die("mmap");
    close(fd);
    /* The same layout as IpcPingPong: S1 at 0, S2 at 64, on separate cache lines. */
    sem_t *s1 = (sem_t *) shared, *s2 = (sem_t *) (shared + 64);
    if (sem_init(s1, 1, 0) != 0 || sem_init(s2, 1, 0) != 0) die("sem_init");
    long total = warmup + rounds * n;
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        for (long i = 0; i < total; i++) {
            while (sem_wait(s1) != 0) {}
            if (sem_post(s2) != 0) die("sem_post");
        }
        _exit(0);
    }
    ping_pong(s1, s2, warmup);
    double per_trip[100];
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        ping_pong(s1, s2, n);
        per_trip[r] = (now_ns() - t0) / n;
        printf("round=%.1f\n", per_trip[r]);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "child failed\n");
        return 1;
    }
    qsort(per_trip, rounds, sizeof per_trip[0], compare);
    printf("median=%.1f\n", per_trip[rounds / 2]);
    return 0;
}
