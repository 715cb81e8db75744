/* Soak load for the broker: CALLS brokered calls in cycles of ten, five opens (each followed
   by a close, which is not brokered), four stats of FILE and one loopback TCP connect to
   127.0.0.1:PORT (closed with a reset, so that no TIME_WAIT piles up); with PORT 0 the tenth is
   a stat too. Every call must succeed: the first failure is printed and the program exits 1.

   With CHECKPOINTS > 0 the program stops after every CALLS / CHECKPOINTS calls, prints
   "at=N" (calls made so far) and waits for a line on its standard input before going on, so
   that scripts/soak.sh samples the broker's process while no call is in flight. At the end it
   prints "calls=N opens=N stats=N connects=N ns_per_call=X".

   Usage: soak_calls FILE PORT CALLS CHECKPOINTS */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void fail(const char *what, long i) {
    fprintf(stderr, "soak_calls: %s failed at call %ld: %s\n", what, i, strerror(errno));
    exit(1);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s FILE PORT CALLS CHECKPOINTS\n", argv[0]);
        return 2;
    }
    const char *file = argv[1];
    int port = atoi(argv[2]);
    long calls = atol(argv[3]);
    long checkpoints = atol(argv[4]);
    long every = checkpoints > 0 ? calls / checkpoints : 0;
    struct sockaddr_in peer = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &peer.sin_addr);
    struct linger reset = {.l_onoff = 1, .l_linger = 0};
    long opens = 0, stats = 0, connects = 0;
    long long start = now_ns();
    for (long i = 0; i < calls; i++) {
        int kind = i % 10;
        if (kind < 5) {
            int fd = open(file, O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                fail("open", i);
            }
            close(fd);
            opens++;
        } else if (kind < 9 || port == 0) {
            struct stat st;
            if (stat(file, &st) != 0) {
                fail("stat", i);
            }
            stats++;
        } else {
            int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (s < 0) {
                fail("socket", i);
            }
            if (connect(s, (struct sockaddr *) &peer, sizeof peer) != 0) {
                fail("connect", i);
            }
            setsockopt(s, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
            close(s);
            connects++;
        }
        if (every > 0 && (i + 1) % every == 0) {
            printf("at=%ld\n", i + 1);
            fflush(stdout);
            char line[16];
            if (fgets(line, sizeof line, stdin) == NULL) {
                fprintf(stderr, "soak_calls: standard input ended at call %ld\n", i + 1);
                return 1;
            }
        }
    }
    printf("calls=%ld opens=%ld stats=%ld connects=%ld ns_per_call=%.0f\n", calls, opens, stats, connects,
           (double) (now_ns() - start) / (calls > 0 ? calls : 1));
    return 0;
}
