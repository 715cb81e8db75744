/*
 * Makes the supervisor hold copies of its memory: THREADS threads each sendmsg(2) SIZE bytes on
 * one end of a unix stream socketpair nobody reads yet, so each send blocks holding its data;
 * once every thread has its answer or is blocked (a short wait), the main thread drains the
 * other end so the blocked ones finish. Prints "hoard: sent=N enobufs=M other=K": without the
 * sandbox the kernel takes every send in the end (sent=THREADS). Before draining, while the sends
 * are blocked, it opens and closes its own program file 2000 times and prints "hoard: opened=N":
 * blocked sends must not keep the supervisor from answering other calls.
 *
 *   hoard THREADS SIZE_MIB
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static int ends[2];
static size_t size;
static char *buffer;
static atomic_int sent, enobufs, other, done;

static void *sender(void *arg) {
    (void) arg;
    struct iovec v = {.iov_base = buffer, .iov_len = size};
    struct msghdr m = {.msg_iov = &v, .msg_iovlen = 1};
    size_t total = 0;
    while (total < size) {
        v.iov_base = buffer + total;
        v.iov_len = size - total;
        ssize_t r = sendmsg(ends[0], &m, 0);
        if (r < 0) {
            if (errno == ENOBUFS) {
                atomic_fetch_add(&enobufs, 1);
            } else {
                atomic_fetch_add(&other, 1);
            }
            atomic_fetch_add(&done, 1);
            return NULL;
        }
        total += (size_t) r;
    }
    atomic_fetch_add(&sent, 1);
    atomic_fetch_add(&done, 1);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    int threads = atoi(argv[1]);
    size = (size_t) atoi(argv[2]) << 20;
    buffer = calloc(1, size);
    if (!buffer || socketpair(AF_UNIX, SOCK_STREAM, 0, ends) < 0) return 2;
    pthread_t t[threads];
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, sender, NULL);
    sleep(2);
    int opened = 0;
    for (int i = 0; i < 2000; i++) {
        int fd = open(argv[0], O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            opened++;
            close(fd);
        }
    }
    printf("hoard: opened=%d\n", opened);
    static char sink[1 << 16];
    while (atomic_load(&done) < threads) {
        struct pollfd p = {.fd = ends[1], .events = POLLIN};
        if (poll(&p, 1, 100) > 0 && read(ends[1], sink, sizeof sink) < 0) break;
    }
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    printf("hoard: sent=%d enobufs=%d other=%d\n", sent, enobufs, other);
    return 0;
}
