/* Brokered connect baseline: a thread accepts and closes on 127.0.0.1:PORT while the main
   thread times WARMUP unmeasured then N measured socket + connect + close, and prints
   "ns=X", the nanoseconds per connect. Run natively and under `posix4j sandbox --allow-bind
   127.0.0.1:PORT --allow-connect 127.0.0.1:PORT`: the difference is what the broker adds. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int listener;

static void *acceptor(void *unused) {
    (void) unused;
    for (;;) {
        int c = accept(listener, NULL, NULL);
        if (c >= 0) {
            close(c);
        }
    }
    return NULL;
}

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void one(const struct sockaddr_in *a) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0 || connect(s, (const struct sockaddr *) a, sizeof *a) != 0) {
        perror("connect");
        exit(1);
    }
    /* Closed with a reset: no TIME_WAIT, so runs of thousands of connects do not use up the
       ephemeral ports. */
    struct linger l = {.l_onoff = 1, .l_linger = 0};
    setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(s);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s PORT WARMUP N\n", argv[0]);
        return 2;
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one_ = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one_, sizeof one_);
    if (bind(listener, (struct sockaddr *) &a, sizeof a) != 0 || listen(listener, 4096) != 0) {
        perror("bind/listen");
        return 1;
    }
    pthread_t t;
    pthread_create(&t, NULL, acceptor, NULL);
    long warmup = atol(argv[2]), n = atol(argv[3]);
    for (long i = 0; i < warmup; i++) {
        one(&a);
    }
    long long start = now_ns();
    for (long i = 0; i < n; i++) {
        one(&a);
    }
    printf("ns=%.0f\n", (double) (now_ns() - start) / n);
    return 0;
}
