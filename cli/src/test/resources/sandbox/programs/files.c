/* Opens each PATH read-only and prints its first line, or the errno's name when the open fails.
 * MODE says how: "libc" through open(3), "openat" and "open" as raw syscall(2)s that no libc
 * wrapper rewrites, "threads" from 8 threads at once, each opening every PATH 100 times. Used by
 * SandboxProgramsTest, dynamically and statically linked, inside and outside the sandbox. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREADS 8
#define ROUNDS 100

static char **paths;
static int npaths;
/* Per path: how many opens succeeded, and the errno of those that failed (all must agree). */
static int successes[64];
static int failures[64];
static int failure_errno[64];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int open_by(const char *mode, const char *path) {
    if (strcmp(mode, "openat") == 0) {
        return (int) syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    }
    if (strcmp(mode, "open") == 0) {
        return (int) syscall(SYS_open, path, O_RDONLY | O_CLOEXEC);
    }
    return open(path, O_RDONLY | O_CLOEXEC);
}

static void print_first_line(const char *path, int fd) {
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n < 0) {
        printf("%s: read failed: %s\n", path, strerrorname_np(errno));
        return;
    }
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    printf("%s: %s\n", path, buf);
}

static void *opener(void *unused) {
    (void) unused;
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < npaths; i++) {
            int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
            int err = errno;
            pthread_mutex_lock(&lock);
            if (fd >= 0) {
                successes[i]++;
            } else {
                if (failures[i]++ > 0 && failure_errno[i] != err) {
                    failure_errno[i] = -1;
                } else if (failure_errno[i] != -1) {
                    failure_errno[i] = err;
                }
            }
            pthread_mutex_unlock(&lock);
            if (fd >= 0) {
                close(fd);
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3 || argc - 2 > 64) {
        fprintf(stderr, "usage: %s libc|openat|open|threads PATH...\n", argv[0]);
        return 2;
    }
    paths = argv + 2;
    npaths = argc - 2;
    if (strcmp(argv[1], "threads") == 0) {
        pthread_t threads[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int err = pthread_create(&threads[t], NULL, opener, NULL);
            if (err != 0) {
                fprintf(stderr, "pthread_create: %s\n", strerror(err));
                return 1;
            }
        }
        for (int t = 0; t < THREADS; t++) {
            pthread_join(threads[t], NULL);
        }
        for (int i = 0; i < npaths; i++) {
            printf("%s: %d opened", paths[i], successes[i]);
            if (failures[i] > 0) {
                printf(", %d failed with %s", failures[i],
                        failure_errno[i] == -1 ? "different errnos" : strerrorname_np(failure_errno[i]));
            }
            printf("\n");
        }
        return 0;
    }
    for (int i = 0; i < npaths; i++) {
        int fd = open_by(argv[1], paths[i]);
        if (fd < 0) {
            printf("%s: %s\n", paths[i], strerrorname_np(errno));
            continue;
        }
        print_first_line(paths[i], fd);
        close(fd);
    }
    return 0;
}
