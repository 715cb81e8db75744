/*
 * TOCTOU attacker on exec. A checked execve cannot be performed by the broker for the program:
 * it is let through to the kernel, which looks the path up again. While the main thread starts
 * children that exec a path (vfork + execve: the child shares the memory the second thread
 * writes to), a second thread keeps changing what that path means:
 *
 *   execrace path ALLOWED DENIED TRIES   the second thread rewrites the path buffer between
 *                                        ALLOWED and DENIED;
 *   execrace symlink DIR TRIES           DIR/cur is a symlink to an allowed program and
 *                                        DIR/spare one to a denied program; the second thread
 *                                        swaps them with three renames (DIR must be writable).
 *
 * The allowed program exits 0 (a copy of true), the denied one 1 (a copy of false); a failed
 * execve makes the child exit 100 + errno. Prints
 * "execrace MODE: ok=N denied-ran=D eacces=E other=O".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[4096];
static char first[4096], second[4096];
static char cur[4096], spare[4096], tmp[4096];
static atomic_int stop;

/* Spins for 0 to 127 microseconds, chosen at random: each path stays in the buffer for about
 * as long as a brokered exec takes between its check and the kernel's lookup, so that every
 * order occurs (both reads see one path, or the path changes in between). Without a hold the
 * buffer is mostly half-written, and which paths a reader sees depends on the scheduler. */
static void hold(unsigned *seed) {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 17;
    *seed ^= *seed << 5;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long wait = (long) (*seed % 128) * 1000;
    do {
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((now.tv_sec - start.tv_sec) * 1000000000L + now.tv_nsec - start.tv_nsec < wait);
}

static void *flip_buffer(void *arg) {
    (void) arg;
    size_t n1 = strlen(first) + 1, n2 = strlen(second) + 1;
    unsigned seed = 2463534242u;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        memcpy(path, second, n2);
        hold(&seed);
        memcpy(path, first, n1);
        hold(&seed);
    }
    return NULL;
}

static void *swap_links(void *arg) {
    (void) arg;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        if (rename(cur, tmp) < 0 || rename(spare, cur) < 0 || rename(tmp, spare) < 0) {
            perror("rename");
            exit(2);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    long tries;
    void *(*attacker)(void *);
    if (argc == 5 && strcmp(argv[1], "path") == 0) {
        snprintf(first, sizeof first, "%s", argv[2]);
        snprintf(second, sizeof second, "%s", argv[3]);
        memcpy(path, first, strlen(first) + 1);
        tries = atol(argv[4]);
        attacker = flip_buffer;
    } else if (argc == 4 && strcmp(argv[1], "symlink") == 0) {
        snprintf(cur, sizeof cur, "%s/cur", argv[2]);
        snprintf(spare, sizeof spare, "%s/spare", argv[2]);
        snprintf(tmp, sizeof tmp, "%s/tmp", argv[2]);
        memcpy(path, cur, strlen(cur) + 1);
        tries = atol(argv[3]);
        attacker = swap_links;
    } else {
        fprintf(stderr, "usage: execrace path ALLOWED DENIED TRIES | execrace symlink DIR TRIES\n");
        return 2;
    }
    pthread_t t;
    if (pthread_create(&t, NULL, attacker, NULL) != 0) {
        perror("pthread_create");
        return 2;
    }
    long ok = 0, denied = 0, eacces = 0, other = 0;
    for (long i = 0; i < tries; i++) {
        pid_t pid = vfork();
        if (pid < 0) {
            perror("vfork");
            return 2;
        }
        if (pid == 0) {
            char *args[] = {path, NULL};
            execve(path, args, environ);
            _exit(100 + errno);
        }
        int status;
        if (waitpid(pid, &status, 0) < 0) {
            perror("waitpid");
            return 2;
        }
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (code == 0) {
            ok++;
        } else if (code == 1) {
            denied++;
        } else if (code == 100 + EACCES) {
            eacces++;
        } else {
            other++;
        }
    }
    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    printf("execrace %s: ok=%ld denied-ran=%ld eacces=%ld other=%ld\n", argv[1], ok, denied, eacces, other);
    return 0;
}
