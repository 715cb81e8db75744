/*
 * The recycler of the stale-identity case (issue 11, item 2): runs outside the sandbox but in
 * the caller's pid namespace, as root there. Sets ns_last_pid to PID-1 and forks, again until
 * the child gets PID; that child, the victim, waits (with this process's environment, which
 * holds the test's token) until this process ends. Prints "victim pid=PID attempts=N". Then on
 * each line "arm" on stdin sets ns_last_pid to TID-1 and prints "armed", so that the next
 * process of the namespace gets TID. At the end of stdin it lets the victim go and prints how
 * it ended: "victim ended: exit 0" unless something killed it ("victim ended: signal N").
 *
 *   namer PID TID
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int set_last(pid_t last) {
    int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
    char number[16];
    int length = snprintf(number, sizeof number, "%d", last);
    int ok = fd >= 0 && write(fd, number, (size_t) length) == length;
    if (fd >= 0) close(fd);
    return ok;
}

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    pid_t pid = atoi(argv[1]), tid = atoi(argv[2]);
    int hold[2];
    if (pipe(hold) < 0) return 2;
    pid_t got = -1;
    int attempts = 0;
    while (got != pid) {
        if (++attempts > 1000 || !set_last(pid - 1)) {
            printf("namer: pid %d not recycled\n", pid);
            return 2;
        }
        fflush(stdout);
        got = fork();
        if (got < 0) return 2;
        if (got == 0) {
            char byte;
            close(hold[1]);
            _exit(read(hold[0], &byte, 1) < 0);
        }
        if (got != pid) {
            kill(got, SIGKILL);
            waitpid(got, NULL, 0);
        }
    }
    close(hold[0]);
    printf("victim pid=%d attempts=%d\n", pid, attempts);
    fflush(stdout);
    char line[64];
    while (fgets(line, sizeof line, stdin)) {
        if (strcmp(line, "arm\n") != 0) continue;
        printf(set_last(tid - 1) ? "armed\n" : "namer: ns_last_pid failed\n");
        fflush(stdout);
    }
    close(hold[1]);
    int status;
    if (waitpid(pid, &status, 0) != pid) return 2;
    printf("victim ended: %s %d\n", WIFSIGNALED(status) ? "signal" : "exit",
            WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return 0;
}
