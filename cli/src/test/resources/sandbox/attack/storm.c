/*
 * Signal storm over calls that must not be performed twice. SIGALRM arrives every 50 us with a
 * handler installed without SA_RESTART, so a call the supervisor is serving may be interrupted
 * and, if the kernel replayed it, be performed again.
 *
 *   storm DIR COUNT
 *
 * For i below COUNT: mkdir DIR/d_i, open DIR/f_i with O_CREAT|O_EXCL, rename DIR/f_i to DIR/r_i,
 * unlink DIR/r_i; each retried while it fails with EINTR. Prints, for each i, the results each
 * call saw ("i=7 mkdir=EINTR,OK create=OK rename=OK unlink=EINTR,OK"), then "signals=N".
 * Done once each, the calls leave exactly d_0..d_{COUNT-1} in DIR; a replay shows up as EEXIST
 * (mkdir, create) or ENOENT (rename, unlink) after an EINTR, or as a leftover file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t signals;

static void on_alarm(int sig) {
    (void) sig;
    signals++;
}

/* Appends each result of retrying `call` while it fails with EINTR to out. */
#define RETRY(out, call)                                                          \
    do {                                                                          \
        for (;;) {                                                                \
            long r_ = (call);                                                     \
            int e_ = errno;                                                       \
            strcat(out, r_ >= 0 ? "OK" : strerrorname_np(e_));                    \
            if (r_ >= 0 || e_ != EINTR) {                                         \
                result_ = r_;                                                     \
                break;                                                            \
            }                                                                     \
            strcat(out, ",");                                                     \
        }                                                                         \
    } while (0)

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: storm DIR COUNT\n");
        return 2;
    }
    const char *dir = argv[1];
    int count = atoi(argv[2]);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval every = {{0, 50}, {0, 50}};
    setitimer(ITIMER_REAL, &every, NULL);
    for (int i = 0; i < count; i++) {
        char d[4096], f[4096], r[4096];
        char mk[256] = "", cr[256] = "", rn[256] = "-", ul[256] = "-";
        long result_;
        snprintf(d, sizeof d, "%s/d_%d", dir, i);
        snprintf(f, sizeof f, "%s/f_%d", dir, i);
        snprintf(r, sizeof r, "%s/r_%d", dir, i);
        RETRY(mk, mkdir(d, 0755));
        RETRY(cr, open(f, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644));
        if (result_ >= 0) {
            close((int) result_);
            rn[0] = 0;
            RETRY(rn, rename(f, r));
            if (result_ >= 0) {
                ul[0] = 0;
                RETRY(ul, unlink(r));
            }
        }
        printf("i=%d mkdir=%s create=%s rename=%s unlink=%s\n", i, mk, cr, rn, ul);
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("signals=%d\n", (int) signals);
    return 0;
}
