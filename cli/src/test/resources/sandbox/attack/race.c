/*
 * TOCTOU attacker. While the main thread opens and reads a path in a loop, a second thread
 * keeps changing what that path means:
 *
 *   race path ALLOWED DENIED TRIES   the second thread rewrites the path buffer the open(2)
 *                                    call points at, between ALLOWED and DENIED;
 *   race symlink DIR TRIES           DIR/cur is a symlink to an allowed file and DIR/spare one
 *                                    to a denied file; the second thread swaps them with three
 *                                    renames (DIR must be writable);
 *   race cwd DIR1 DIR2 NAME TRIES    the second thread changes the working directory between
 *                                    DIR1, where NAME may be read, and DIR2, where it may not;
 *                                    the path opened is NAME. It stops at the first chdir that
 *                                    fails, and a last line "race cwd: chdir=ERRNO" says why
 *                                    ("none" when every chdir succeeded).
 *
 * Past TRIES the opens go on (up to 100 times as many) until both an allowed open and a refused
 * one were seen, unless the second thread stopped: opens the kernel alone decides are so quick
 * that TRIES of them can all fall while the second thread waits for a CPU.
 *
 * Prints "race MODE: opens=N allowed=A errors=E first-error=ERRNO" and, for every content read
 * that is not the allowed file's, a line "read DATA": a checked open must never be answered
 * with the other file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[4096];
static char first[4096], second[4096];
static char cur[4096], spare[4096], tmp[4096];
static atomic_int stop;

static void *flip_buffer(void *arg) {
    (void) arg;
    size_t n1 = strlen(first) + 1, n2 = strlen(second) + 1;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        memcpy(path, second, n2);
        memcpy(path, first, n1);
    }
    return NULL;
}

static char dir1[4096], dir2[4096];
static int chdir_errno;
static atomic_int attacker_stopped;

static void *flip_cwd(void *arg) {
    (void) arg;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        if (chdir(dir2) < 0 || chdir(dir1) < 0) {
            chdir_errno = errno;
            atomic_store(&attacker_stopped, 1);
            return NULL;
        }
    }
    return NULL;
}

static void *swap_links(void *arg) {
    (void) arg;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        rename(cur, tmp);
        rename(spare, cur);
        rename(tmp, spare);
    }
    return NULL;
}

static ssize_t slurp(const char *p, char *buf, size_t len) {
    int fd = open(p, O_RDONLY);
    if (fd < 0) {
        return -1;
    }
    ssize_t r = read(fd, buf, len - 1);
    close(fd);
    buf[r < 0 ? 0 : r] = 0;
    return r;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    long tries;
    void *(*attacker)(void *);
    const char *target;
    if (strcmp(mode, "path") == 0 && argc == 5) {
        snprintf(first, sizeof first, "%s", argv[2]);
        snprintf(second, sizeof second, "%s", argv[3]);
        snprintf(path, sizeof path, "%s", first);
        tries = atol(argv[4]);
        attacker = flip_buffer;
        target = path;
    } else if (strcmp(mode, "symlink") == 0 && argc == 4) {
        snprintf(cur, sizeof cur, "%s/cur", argv[2]);
        snprintf(spare, sizeof spare, "%s/spare", argv[2]);
        snprintf(tmp, sizeof tmp, "%s/tmp", argv[2]);
        tries = atol(argv[3]);
        attacker = swap_links;
        target = cur;
    } else if (strcmp(mode, "cwd") == 0 && argc == 6) {
        snprintf(dir1, sizeof dir1, "%s", argv[2]);
        snprintf(dir2, sizeof dir2, "%s", argv[3]);
        snprintf(path, sizeof path, "%s", argv[4]);
        tries = atol(argv[5]);
        attacker = flip_cwd;
        target = path;
        if (chdir(dir1) < 0) {
            perror("chdir");
            return 1;
        }
    } else {
        fprintf(stderr, "usage: race path ALLOWED DENIED TRIES | race symlink DIR TRIES"
                        " | race cwd DIR1 DIR2 NAME TRIES\n");
        return 2;
    }
    char allowed[4096], got[4096], last_other[4096] = "";
    if (slurp(target, allowed, sizeof allowed) < 0) {
        printf("race %s: cannot read the allowed file first: %s\n", mode, strerrorname_np(errno));
        return 1;
    }
    pthread_t t;
    pthread_create(&t, NULL, attacker, NULL);
    long opens = 0, same = 0, errors = 0;
    int first_error = 0;
    for (long i = 0; i < tries || ((same == 0 || errors == 0) && i < 100 * tries
                                   && !atomic_load(&attacker_stopped)); i++) {
        if (slurp(target, got, sizeof got) < 0) {
            errors++;
            first_error = first_error ? first_error : errno;
            continue;
        }
        opens++;
        if (strcmp(got, allowed) == 0) {
            same++;
        } else if (strcmp(got, last_other) != 0) {
            snprintf(last_other, sizeof last_other, "%s", got);
            printf("read %s\n", got);
        }
    }
    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    printf("race %s: opens=%ld allowed=%ld errors=%ld first-error=%s\n", mode, opens, same, errors,
           first_error ? strerrorname_np(first_error) : "none");
    if (strcmp(mode, "cwd") == 0) {
        printf("race cwd: chdir=%s\n", chdir_errno ? strerrorname_np(chdir_errno) : "none");
    }
    return 0;
}
