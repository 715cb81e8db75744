/* ioprio-hint PROGRAM [ARG...]: sets this process's I/O priority to best-effort 4 with hint 1
 * (IOPRIO_HINT_DEV_DURATION_LIMIT_1, Linux 6.5+) through ioprio_set(2), then execs PROGRAM, which
 * inherits it, as `ionice -c 2 -n 4` would without the hint. Exits 3 when the kernel refuses
 * the hint, so the test can tell an old kernel from a failure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: ioprio-hint PROGRAM [ARG...]\n");
        return 2;
    }
    /* IOPRIO_PRIO_VALUE_HINT(IOPRIO_CLASS_BE, 4, 1), spelt out: Debian 12's headers predate hints. */
    long prio = 2L << 13 | 1L << 3 | 4;
    if (syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, prio) != 0) {
        fprintf(stderr, "ioprio_set: %s\n", strerror(errno));
        return errno == EINVAL ? 3 : 1;
    }
    execvp(argv[1], argv + 1);
    fprintf(stderr, "exec %s: %s\n", argv[1], strerror(errno));
    return 127;
}
