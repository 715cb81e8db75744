/*
 * Signal storm over calls that must not be performed twice. SIGALRM arrives every 50 us with a
 * handler installed without SA_RESTART, so a call the supervisor is serving may be interrupted
 * and, if the kernel replayed it, be performed again.
 *
 *   storm DIR COUNT
 *
 * For i below COUNT: mkdir DIR/d_i, open DIR/f_i with O_CREAT|O_EXCL, rename DIR/f_i to DIR/r_i,
 * unlink DIR/r_i; each retried while it fails with EINTR. Prints, for each i, the results each
 * call saw ("i=7 mkdir=1:OK create=0:OK rename=0:OK unlink=2:OK", the number of EINTRs first), then "signals=N".
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

/* Retries `call` while it fails with EINTR; counts the EINTRs in `eintr` and names the final
 * result ("OK" or the errno's name) in `out`. Counting, not concatenating: a call may see any
 * number of EINTRs on a loaded machine. */
#define RETRY(eintr, out, call)                                                   \
    do {                                                                          \
        for (;;) {                                                                \
            long r_ = (call);                                                     \
            int e_ = errno;                                                       \
            if (r_ >= 0 || e_ != EINTR) {                                         \
                out = r_ >= 0 ? "OK" : strerrorname_np(e_);                       \
                result_ = r_;                                                     \
                break;                                                            \
            }                                                                     \
            eintr++;                                                              \
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
        const char *mk = "-", *cr = "-", *rn = "-", *ul = "-";
        int mkn = 0, crn = 0, rnn = 0, uln = 0;
        long result_;
        snprintf(d, sizeof d, "%s/d_%d", dir, i);
        snprintf(f, sizeof f, "%s/f_%d", dir, i);
        snprintf(r, sizeof r, "%s/r_%d", dir, i);
        RETRY(mkn, mk, mkdir(d, 0755));
        RETRY(crn, cr, open(f, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644));
        if (result_ >= 0) {
            close((int) result_);
            RETRY(rnn, rn, rename(f, r));
            if (result_ >= 0) {
                RETRY(uln, ul, unlink(r));
            }
        }
        printf("i=%d mkdir=%d:%s create=%d:%s rename=%d:%s unlink=%d:%s\n", i, mkn, mk, crn, cr, rnn, rn, uln, ul);
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("signals=%d\n", (int) signals);
    return 0;
}
