/*
 * The C baseline of the spawn benchmark (SpawnRate), built and run by scripts/bench-spawn.sh in
 * the same run as the Java and Python measurements.
 *
 *   spawn_loop WARMUP_SECONDS SECONDS PROGRAM
 *       Starts PROGRAM (no arguments, this process's environment) with posix_spawn(3) and waits
 *       for it with waitpid(2), again and again for WARMUP_SECONDS unmeasured, then for SECONDS
 *       measured, and prints one line "rate=X" with X the spawns per second, as SpawnRate does.
 *       posix_spawn with no attributes and no file actions: the least a C program can do to run a
 *       program and learn its status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static void run(const char *program) {
    char *argv[] = {(char *) program, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, program, NULL, NULL, argv, environ);
    if (rc != 0) {
        fprintf(stderr, "posix_spawn(%s): %s\n", program, strerror(rc));
        exit(1);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("waitpid");
            exit(1);
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "%s did not exit 0\n", program);
        exit(1);
    }
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: spawn_loop WARMUP_SECONDS SECONDS PROGRAM\n");
        return 2;
    }
    double warmup_end = now() + atof(argv[1]);
    while (now() < warmup_end) {
        run(argv[3]);
    }
    double t0 = now(), end = t0 + atof(argv[2]), t;
    long count = 0;
    do {
        run(argv[3]);
        count++;
        t = now();
    } while (t < end);
    printf("rate=%.1f\n", (double) count / (t - t0));
    return 0;
}
