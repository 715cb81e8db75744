/* Signal attacks: each argument "OP:TARGET" sends SIGKILL to TARGET by one route and prints
   "OP:TARGET: OK" or the errno's name. TARGET "ppid" is this program's parent (the supervising
   JVM under posix4j sandbox). OPs: kill, killpg (kill(-pgid)), tkill, tgkill, sigqueue
   (rt_sigqueueinfo), pidfd (pidfd_send_signal on a /proc/PID directory), setown (F_SETOWN +
   O_ASYNC + F_SETSIG SIGKILL, then a write that raises the signal), setownex (the same with
   F_SETOWN_EX F_OWNER_PID); "child:-" kills a child of its own, "raise:-" raises SIGUSR1;
   "dropped:-" forks a child that drops to uid/gid 65534 and sends SIGUSR1 to this (root) process,
   which the kernel refuses (EPERM): the result is the child's. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t raised;

static void on_usr1(int sig) { (void) sig; raised = 1; }

static const char *result(int r) {
    if (r == 0) return "OK";
    switch (errno) {
    case EPERM: return "EPERM";
    case ESRCH: return "ESRCH";
    case EINVAL: return "EINVAL";
    case ENOSYS: return "ENOSYS";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    default: return strerrorname_np(errno) ? strerrorname_np(errno) : "E?";
    }
}

static int setown(pid_t pid, int ex) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return -1;
    int r;
    if (ex) {
        struct f_owner_ex owner = {F_OWNER_PID, pid};
        r = fcntl(sv[0], F_SETOWN_EX, &owner);
    } else {
        r = fcntl(sv[0], F_SETOWN, pid);
    }
    if (r == 0) {
        fcntl(sv[0], F_SETSIG, SIGKILL);
        fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_ASYNC);
        int saved = errno;
        if (write(sv[1], "x", 1) != 1) return -1;
        usleep(100000);
        errno = saved;
    }
    close(sv[0]);
    close(sv[1]);
    return r;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int i = 1; i < argc; i++) {
        char op[64];
        char target[64];
        if (sscanf(argv[i], "%63[^:]:%63s", op, target) != 2) return 2;
        pid_t pid = strcmp(target, "ppid") == 0 ? getppid() : atoi(target);
        int r;
        if (strcmp(op, "kill") == 0) {
            r = kill(pid, SIGKILL);
        } else if (strcmp(op, "killpg") == 0) {
            r = kill(-pid, SIGKILL);
        } else if (strcmp(op, "tkill") == 0) {
            r = (int) syscall(SYS_tkill, pid, SIGKILL);
        } else if (strcmp(op, "tgkill") == 0) {
            r = (int) syscall(SYS_tgkill, pid, pid, SIGKILL);
        } else if (strcmp(op, "sigqueue") == 0) {
            union sigval v = {0};
            r = sigqueue(pid, SIGKILL, v);
        } else if (strcmp(op, "pidfd") == 0) {
            char path[64];
            snprintf(path, sizeof path, "/proc/%d", pid);
            int fd = open(path, O_RDONLY | O_DIRECTORY);
            r = fd < 0 ? -1 : (int) syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
        } else if (strcmp(op, "setown") == 0) {
            r = setown(pid, 0);
        } else if (strcmp(op, "setownex") == 0) {
            r = setown(pid, 1);
        } else if (strcmp(op, "child") == 0) {
            pid_t c = fork();
            if (c == 0) {
                pause();
                _exit(0);
            }
            r = kill(c, SIGKILL);
            int status = 0;
            if (waitpid(c, &status, 0) != c || !WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
                r = -1;
                errno = EINVAL;
            }
        } else if (strcmp(op, "dropped") == 0) {
            signal(SIGUSR1, on_usr1);
            int ends[2];
            if (pipe(ends) < 0) return 2;
            pid_t c = fork();
            if (c == 0) {
                int e = 0;
                if (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0) {
                    e = errno;
                } else if (kill(getppid(), SIGUSR1) < 0) {
                    e = errno;
                }
                (void) write(ends[1], &e, sizeof e);
                _exit(0);
            }
            int e = EINVAL;
            close(ends[1]);
            if (read(ends[0], &e, sizeof e) != sizeof e) e = EINVAL;
            close(ends[0]);
            waitpid(c, NULL, 0);
            r = e == 0 ? 0 : -1;
            errno = e;
        } else if (strcmp(op, "raise") == 0) {
            signal(SIGUSR1, on_usr1);
            r = raise(SIGUSR1);
            if (r == 0 && !raised) {
                r = -1;
                errno = EINVAL;
            }
        } else {
            return 2;
        }
        printf("%s: %s\n", argv[i], result(r));
    }
    return 0;
}
