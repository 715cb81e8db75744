/*
 * A signal during an open of a FIFO that waits for a writer, in a process of one thread
 * (SandboxAttackLoadTest): the handler of SIGALRM (alarm after 1 s) is installed with SA_RESTART
 * or without; a child process opens the FIFO for writing after 2 s. Prints what the open gave
 * and whether the handler ran before the open returned:
 *   "restart: opened, handler ran first"   (SA_RESTART: the open is made again and waits on)
 *   "intr: EINTR, handler ran first"       (no SA_RESTART: the open fails)
 *
 *   interrupt restart|intr FIFO
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t ran;

static void handler(int signum) {
    (void) signum;
    ran = 1;
}

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[1], "restart") != 0 && strcmp(argv[1], "intr") != 0)) {
        fprintf(stderr, "usage: interrupt restart|intr FIFO\n");
        return 2;
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    action.sa_flags = strcmp(argv[1], "restart") == 0 ? SA_RESTART : 0;
    sigaction(SIGALRM, &action, NULL);
    pid_t writer = fork();
    if (writer == 0) {
        sleep(2);
        int fd = open(argv[2], O_WRONLY);
        _exit(fd < 0 ? 1 : 0);
    }
    alarm(1);
    int fd = open(argv[2], O_RDONLY);
    int error = errno;
    int handled = ran;
    printf("%s: %s, handler %s\n", argv[1], fd >= 0 ? "opened" : error == EINTR ? "EINTR" : strerror(error),
           handled ? "ran first" : "had not run");
    if (fd < 0) {
        /* The writer still waits for a reader. */
        fd = open(argv[2], O_RDONLY);
    }
    int status;
    waitpid(writer, &status, 0);
    return 0;
}
