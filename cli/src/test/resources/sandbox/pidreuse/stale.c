/*
 * The stale-identity half of the pid-reuse attack (issue 11, item 2), run in a pid namespace
 * of its own, under posix4j sandbox or (control) alone. A forked child, process A, starts a
 * thread that makes a brokered call (an open of /proc/self/status, so that the master learns
 * "thread T belongs to process A"), then A ends and is reaped: "freed pid=A tid=T". While the
 * namespace's recycler gives A's pid to an outside process (the victim) and sets ns_last_pid to
 * T-1, each line "fork" on stdin forks a child: when it got T, it opens /proc/A/environ (the
 * victim's, holding the test's token) and prints "child pid=T environ=..." with the first
 * variable that starts with POSIX4J_PIDREUSE_TOKEN or the errno of the failure ("error:NAME");
 * else it prints "child pid=P missed". A master that took thread T for A's would find A's own
 * /proc entry here and let the victim's environment through. The line "kill" sends SIGTERM to
 * A's pid, now the victim's, and prints "kill pid=A: OK" or the errno's name: a master that
 * still took that number for a process of the sandbox would let the signal through.
 *
 *   stale
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t thread_tid;

static void *caller(void *arg) {
    (void) arg;
    thread_tid = gettid();
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) close(fd);
    return NULL;
}

static void read_environ(pid_t victim) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/environ", victim);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        printf("child pid=%d environ=error:%s\n", getpid(), strerrorname_np(errno));
        return;
    }
    static char text[1 << 16];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n < 0) {
        printf("child pid=%d environ=error:%s\n", getpid(), strerrorname_np(errno));
        return;
    }
    text[n] = 0;
    for (char *v = text; v < text + n; v += strlen(v) + 1) {
        if (strncmp(v, "POSIX4J_PIDREUSE_TOKEN=", 23) == 0) {
            printf("child pid=%d environ=%s\n", getpid(), v);
            return;
        }
    }
    printf("child pid=%d environ=read-without-token\n", getpid());
}

int main(void) {
    int tids[2];
    if (pipe(tids) < 0) return 2;
    pid_t a = fork();
    if (a < 0) return 2;
    if (a == 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, caller, NULL) != 0 || pthread_join(t, NULL) != 0) _exit(2);
        _exit(write(tids[1], &thread_tid, sizeof thread_tid) == sizeof thread_tid ? 0 : 2);
    }
    pid_t tid;
    int status;
    if (read(tids[0], &tid, sizeof tid) != sizeof tid || waitpid(a, &status, 0) != a) return 2;
    printf("freed pid=%d tid=%d\n", a, tid);
    fflush(stdout);
    char line[64];
    while (fgets(line, sizeof line, stdin)) {
        if (strcmp(line, "kill\n") == 0) {
            int r = kill(a, SIGTERM);
            printf("kill pid=%d: %s\n", a, r == 0 ? "OK" : strerrorname_np(errno));
            fflush(stdout);
        }
        if (strcmp(line, "fork\n") != 0) continue;
        pid_t b = fork();
        if (b < 0) return 2;
        if (b == 0) {
            if (getpid() == tid) {
                read_environ(a);
            } else {
                printf("child pid=%d missed\n", getpid());
            }
            fflush(stdout);
            _exit(0);
        }
        waitpid(b, &status, 0);
    }
    return 0;
}
