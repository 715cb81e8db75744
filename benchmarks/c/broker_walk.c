/*
 * The file-heavy workload of the broker benchmark, built and run by scripts/bench-broker.sh:
 * natively, under `posix4j sandbox` and under proot.
 *
 *   broker_walk LIST
 *       Reads LIST (one absolute path a line), then for each path: stat(2), open(2) read-only,
 *       read(2) to end of file in 64 KiB steps, close(2). Prints one line
 *       "ms=X files=N bytes=B" with X the milliseconds the loop over the files took
 *       (CLOCK_MONOTONIC; reading LIST and starting the process are not in it), N the files
 *       read and B the bytes. Any failure is fatal: a run that skipped files would not be the
 *       same work as the others.
 *       stat is glibc's, which is newfstatat(2) on x86-64 since glibc 2.33; open is openat(2).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: broker_walk LIST\n");
        return 2;
    }
    FILE *list = fopen(argv[1], "re");
    if (list == NULL) {
        perror(argv[1]);
        return 1;
    }
    /* The whole list is read first, so that the timed loop does the files' work only. */
    size_t count = 0, capacity = 1024;
    char **paths = malloc(capacity * sizeof *paths);
    char *line = NULL;
    size_t line_size = 0;
    ssize_t length;
    while ((length = getline(&line, &line_size, list)) > 0) {
        if (line[length - 1] == '\n') line[length - 1] = '\0';
        if (line[0] == '\0') continue;
        if (count == capacity) {
            capacity *= 2;
            paths = realloc(paths, capacity * sizeof *paths);
        }
        paths[count++] = strdup(line);
    }
    fclose(list);
    static char buffer[64 * 1024];
    long long bytes = 0;
    double t0 = now_ns();
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            perror(paths[i]);
            return 1;
        }
        int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            perror(paths[i]);
            return 1;
        }
        ssize_t n;
        while ((n = read(fd, buffer, sizeof buffer)) > 0) bytes += n;
        if (n < 0) {
            perror(paths[i]);
            return 1;
        }
        close(fd);
    }
    double t1 = now_ns();
    printf("ms=%.3f files=%zu bytes=%lld\n", (t1 - t0) / 1e6, count, bytes);
    return 0;
}
