/*
 * Flood of opens from many threads and processes, with one thread stuck in an open that does
 * not return.
 *
 *   flood FILE FIFO THREADS PROCESSES COUNT
 *
 * A thread opens FIFO (which has no writer, so the open blocks; "-" for none). After a warm-up
 * it prints "ready" and waits for a line on stdin; then THREADS threads and PROCESSES forked
 * processes each open, read and close FILE COUNT times, comparing what they read with what the
 * warm-up read, and print "worker N: ok=... errors=... wrong=... first-error=...". Then it
 * prints "done", waits for stdin to end and exits (ending the stuck thread).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *file;
static long count;
static char expected[256];

static void *stuck(void *fifo) {
    int fd = open(fifo, O_RDONLY);
    printf("fifo open returned %d (%s)\n", fd, fd < 0 ? strerrorname_np(errno) : "OK");
    fflush(stdout);
    return NULL;
}

static void *work(void *arg) {
    long id = (long) arg, ok = 0, errors = 0, wrong = 0;
    int first_error = 0;
    for (long i = 0; i < count; i++) {
        int fd = open(file, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            errors++;
            first_error = first_error ? first_error : errno;
            continue;
        }
        char buf[256];
        ssize_t r = read(fd, buf, sizeof buf - 1);
        close(fd);
        buf[r < 0 ? 0 : r] = 0;
        if (strcmp(buf, expected) == 0) {
            ok++;
        } else {
            wrong++;
        }
    }
    char line[256];
    int n = snprintf(line, sizeof line, "worker %ld: ok=%ld errors=%ld wrong=%ld first-error=%s\n", id, ok,
                     errors, wrong, first_error ? strerrorname_np(first_error) : "none");
    if (write(1, line, (size_t) n) < 0) {
        return NULL;
    }
    return NULL;
}

static void wait_for_stdin_line(void) {
    char c;
    while (read(0, &c, 1) == 1 && c != '\n') {
    }
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: flood FILE FIFO THREADS PROCESSES COUNT\n");
        return 2;
    }
    file = argv[1];
    int threads = atoi(argv[3]), processes = atoi(argv[4]);
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = open(file, O_RDONLY);
    if (fd < 0 || read(fd, expected, sizeof expected - 1) < 0) {
        printf("cannot read %s: %s\n", file, strerrorname_np(errno));
        return 1;
    }
    close(fd);
    pthread_t fifo_thread;
    if (strcmp(argv[2], "-") != 0) {
        pthread_create(&fifo_thread, NULL, stuck, argv[2]);
    }
    count = 500;
    pthread_t warm[2];
    for (long i = 0; i < 2; i++) {
        pthread_create(&warm[i], NULL, work, (void *) (100 + i));
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(warm[i], NULL);
    }
    printf("ready\n");
    wait_for_stdin_line();
    count = atol(argv[5]);
    pid_t children[64];
    for (int p = 0; p < processes && p < 64; p++) {
        children[p] = fork();
        if (children[p] == 0) {
            work((void *) (long) (threads + p));
            _exit(0);
        }
    }
    pthread_t t[256];
    for (long i = 0; i < threads && i < 256; i++) {
        pthread_create(&t[i], NULL, work, (void *) i);
    }
    for (int i = 0; i < threads && i < 256; i++) {
        pthread_join(t[i], NULL);
    }
    for (int p = 0; p < processes && p < 64; p++) {
        waitpid(children[p], NULL, 0);
    }
    printf("done\n");
    wait_for_stdin_line();
    _exit(0);
}
