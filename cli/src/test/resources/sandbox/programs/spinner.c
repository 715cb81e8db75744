/* 8 threads open and close PATH in a loop forever; once each has opened it at least once, the
 * program prints "running" and keeps going until it is killed, so that it dies in the middle of
 * brokered calls. */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define THREADS 8

static const char *path;
static atomic_int started;

static void *spin(void *unused) {
    (void) unused;
    int counted = 0;
    for (;;) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            close(fd);
            if (!counted) {
                counted = 1;
                atomic_fetch_add(&started, 1);
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PATH\n", argv[0]);
        return 2;
    }
    path = argv[1];
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        int err = pthread_create(&threads[t], NULL, spin, NULL);
        if (err != 0) {
            fprintf(stderr, "pthread_create: %s\n", strerror(err));
            return 1;
        }
    }
    while (atomic_load(&started) < THREADS) {
        usleep(1000);
    }
    printf("running\n");
    fflush(stdout);
    for (;;) {
        pause();
    }
}
