/* Forks; the child execs /bin/sh -c 'cat "$1"' on PATH; the parent waits and prints how the
 * child ended. The sandbox must keep supervising both the fork and the exec'd programs. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PATH\n", argv[0]);
        return 2;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", "cat \"$1\"", "sh", argv[1], (char *) NULL);
        perror("execl");
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0) {
        perror("waitpid");
        return 1;
    }
    if (WIFEXITED(status)) {
        printf("child exited with %d\n", WEXITSTATUS(status));
    } else {
        printf("child killed by signal %d\n", WTERMSIG(status));
    }
    return 0;
}
