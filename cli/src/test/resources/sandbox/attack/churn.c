/*
 * A supervised process killed in the middle of its calls.
 *
 *   churn DIR FILE
 *
 * After a warm-up it prints "ready" and waits for a line on stdin. Then it forks a child whose
 * four threads loop on mkdir/rmdir and O_CREAT opens/unlink in DIR, prints "child PID", and
 * waits for the child's end (the test SIGKILLs it). It prints how the child ended, opens and
 * reads FILE 2000 times ("after: ok=N errors=M"), and waits for stdin to end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dir;

static void *churn(void *arg) {
    long id = (long) arg;
    char d[4096], f[4096];
    snprintf(d, sizeof d, "%s/dir_%ld", dir, id);
    snprintf(f, sizeof f, "%s/file_%ld", dir, id);
    for (;;) {
        mkdir(d, 0755);
        rmdir(d);
        int fd = open(f, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd >= 0) {
            close(fd);
        }
        unlink(f);
    }
    return NULL;
}

static long opens(const char *file, long n, long *errors) {
    long ok = 0;
    for (long i = 0; i < n; i++) {
        int fd = open(file, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            (*errors)++;
            continue;
        }
        char buf[64];
        if (read(fd, buf, sizeof buf) >= 0) {
            ok++;
        }
        close(fd);
    }
    return ok;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: churn DIR FILE\n");
        return 2;
    }
    dir = argv[1];
    setvbuf(stdout, NULL, _IONBF, 0);
    long errors = 0;
    opens(argv[2], 500, &errors);
    printf("ready\n");
    char c;
    while (read(0, &c, 1) == 1 && c != '\n') {
    }
    pid_t child = fork();
    if (child == 0) {
        pthread_t t[4];
        for (long i = 0; i < 4; i++) {
            pthread_create(&t[i], NULL, churn, (void *) i);
        }
        pthread_join(t[0], NULL);
        _exit(0);
    }
    printf("child %d\n", (int) child);
    int status;
    waitpid(child, &status, 0);
    printf("child ended: %s %d\n", WIFSIGNALED(status) ? "signal" : "exit",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    errors = 0;
    long ok = opens(argv[2], 2000, &errors);
    printf("after: ok=%ld errors=%ld\n", ok, errors);
    while (read(0, &c, 1) == 1) {
    }
    return 0;
}
