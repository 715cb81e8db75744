/* Tries file operations named on the command line and prints what the kernel answered, one line
 * each: "OP PATH: OK" or "OP PATH: ERRNO". Run as uid 65534 with and without the sandbox: the
 * sandbox must never answer OK where the kernel alone refuses.
 *   read PATH | append PATH | trunc PATH | create PATH | mkdir PATH | list DIR | stat PATH
 *   exec PATH | chdir PATH | moveaside PATH (renames PATH to PATH.moved) | read2 PATH (read's open
 *   made with openat2, which kernel mode sends to posix4j's master) | uffd */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *name(int e) {
    switch (e) {
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case EEXIST: return "EEXIST";
    default: return strerror(e);
    }
}

static void report(const char *op, const char *path, int r) {
    printf("%s %s: %s\n", op, path, r < 0 ? name(errno) : "OK");
    fflush(stdout);
}

int main(int argc, char **argv) {
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *op = argv[i], *path = argv[i + 1];
        int r, fd;
        if (!strcmp(op, "read")) {
            fd = open(path, O_RDONLY);
            r = fd;
            if (fd >= 0) close(fd);
        } else if (!strcmp(op, "append")) {
            fd = open(path, O_WRONLY | O_APPEND);
            r = fd;
            if (fd >= 0) close(fd);
        } else if (!strcmp(op, "trunc")) {
            fd = open(path, O_WRONLY | O_TRUNC);
            r = fd;
            if (fd >= 0) close(fd);
        } else if (!strcmp(op, "create")) {
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
            r = fd;
            if (fd >= 0) close(fd);
        } else if (!strcmp(op, "mkdir")) {
            r = mkdir(path, 0755);
        } else if (!strcmp(op, "read2")) {
            struct open_how how = {.flags = O_RDONLY};
            fd = (int) syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
            r = fd;
            if (fd >= 0) close(fd);
        } else if (!strcmp(op, "moveaside")) {
            char moved[4096];
            snprintf(moved, sizeof moved, "%s.moved", path);
            r = rename(path, moved);
        } else if (!strcmp(op, "list")) {
            DIR *d = opendir(path);
            r = d ? 0 : -1;
            if (d) closedir(d);
        } else if (!strcmp(op, "stat")) {
            struct stat st;
            r = stat(path, &st);
        } else if (!strcmp(op, "chdir")) {
            r = chdir(path);
        } else if (!strcmp(op, "exec")) {
            int p[2];
            pipe(p);
            pid_t pid = fork();
            if (pid == 0) {
                close(p[0]);
                fcntl(p[1], F_SETFD, FD_CLOEXEC);
                char *args[] = {(char *) path, NULL};
                execv(path, args);
                int e = errno;
                write(p[1], &e, sizeof e);
                _exit(126);
            }
            close(p[1]);
            int e = 0;
            r = read(p[0], &e, sizeof e) == sizeof e ? -1 : 0;
            close(p[0]);
            waitpid(pid, NULL, 0);
            errno = e;
        } else {
            fprintf(stderr, "unknown op %s\n", op);
            return 2;
        }
        report(op, path, r);
    }
    return 0;
}
