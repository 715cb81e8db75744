/* Changes its own credentials between reads of files and prints what the kernel answered to each
 * read, one line each: "read PATH: OK" or "read PATH: ERRNO". The changes are raw syscalls, which
 * change the calling thread alone, as the kernel applies them (glibc's wrappers would change
 * every thread of the process). Run as root with and without the sandbox: the sandbox must answer
 * each read as the kernel does with the credentials the thread has at that moment.
 *   read PATH         open(2) read-only
 *   euid N            setresuid(-1, N, -1); back to 0, the effective capabilities return
 *   groups G | -      setgroups(2) to the one group G, or to none
 *   nocaps            capset(2) with an empty effective set
 *   exec PROGRAM ARG...  (the last step) a second thread takes back the effective capabilities,
 *                     drops every group, takes uid and gid 65534 and execs PROGRAM: the new
 *                     program runs as the process's first thread, with that thread's number */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void check(const char *what, long r) {
    if (r != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(errno));
        exit(3);
    }
}

static char **exec_argv;

static void *exec_thread(void *unused) {
    (void) unused;
    check("setresuid(-1, 0, -1)", syscall(SYS_setresuid, -1, 0, -1));
    check("setgroups(0)", syscall(SYS_setgroups, 0, NULL));
    check("setresgid(65534)", syscall(SYS_setresgid, 65534, 65534, 65534));
    check("setresuid(65534)", syscall(SYS_setresuid, 65534, 65534, 65534));
    execv(exec_argv[0], exec_argv);
    fprintf(stderr, "execv %s: %s\n", exec_argv[0], strerror(errno));
    exit(3);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *op = argv[i];
        if (!strcmp(op, "exec") && i + 1 < argc) {
            exec_argv = argv + i + 1;
            pthread_t t;
            if (pthread_create(&t, NULL, exec_thread, NULL) != 0) {
                fprintf(stderr, "pthread_create failed\n");
                return 3;
            }
            pthread_join(t, NULL);
            return 3;
        }
        if (i + 1 >= argc && strcmp(op, "nocaps")) {
            fprintf(stderr, "%s needs an argument\n", op);
            return 2;
        }
        if (!strcmp(op, "read")) {
            const char *path = argv[++i];
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            int e = errno;
            if (fd >= 0) close(fd);
            printf("read %s: %s\n", path, fd >= 0 ? "OK" : e == EACCES ? "EACCES" : strerror(e));
            fflush(stdout);
        } else if (!strcmp(op, "euid")) {
            check("setresuid", syscall(SYS_setresuid, -1, atoi(argv[++i]), -1));
        } else if (!strcmp(op, "groups")) {
            const char *g = argv[++i];
            gid_t group = (gid_t) atoi(g);
            check("setgroups", strcmp(g, "-") ? syscall(SYS_setgroups, 1, &group) : syscall(SYS_setgroups, 0, NULL));
        } else if (!strcmp(op, "nocaps")) {
            struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
            struct __user_cap_data_struct data[2];
            check("capget", syscall(SYS_capget, &header, data));
            data[0].effective = data[1].effective = 0;
            check("capset", syscall(SYS_capset, &header, data));
        } else {
            fprintf(stderr, "unknown step %s\n", op);
            return 2;
        }
    }
    return 0;
}
