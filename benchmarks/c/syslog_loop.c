/*
 * The C baseline of SyslogBenchmark, built and run by scripts/bench-syslog.sh in the same run as
 * JMH, against the same rsyslogd: openlog("p4j-bench-c", 0, LOG_LOCAL0), then
 * syslog(LOG_LOCAL0 | LOG_INFO, "%s", message) with the same 64-character message the Java
 * benchmarks send.
 *
 *   syslog_loop ROUNDS MILLIS
 *
 * After a warm-up round, each of ROUNDS rounds logs for MILLIS milliseconds and prints one line
 * "round N: X ns/call"; the last line is "mean: X ns/call".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>

#define BATCH 64

static const char MESSAGE[] = "posix4j syslog benchmark message, sixty-four characters long....";

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec * 1e9 + (double) t.tv_nsec;
}

static double round_ns(double millis) {
    double start = now_ns();
    double end = start + millis * 1e6;
    long calls = 0;
    double t;
    do {
        for (int i = 0; i < BATCH; i++) {
            syslog(LOG_LOCAL0 | LOG_INFO, "%s", MESSAGE);
        }
        calls += BATCH;
        t = now_ns();
    } while (t < end);
    return (t - start) / (double) calls;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: syslog_loop ROUNDS MILLIS\n");
        return 2;
    }
    int rounds = atoi(argv[1]);
    double millis = atof(argv[2]);
    openlog("p4j-bench-c", 0, LOG_LOCAL0);
    round_ns(millis);
    double sum = 0;
    for (int r = 1; r <= rounds; r++) {
        double ns = round_ns(millis);
        sum += ns;
        printf("round %d: %.2f ns/call\n", r, ns);
    }
    printf("mean: %.2f ns/call\n", sum / rounds);
    closelog();
    return 0;
}
