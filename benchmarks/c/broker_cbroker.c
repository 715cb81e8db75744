/*
 * The C baseline of the broker benchmarks, built and run by scripts/bench-broker.sh in the same
 * run as `posix4j sandbox`: a minimal broker doing, per call, the work posix4j's Java master
 * does, without a policy.
 *
 *   broker_cbroker [-c] [-s] [-k] PROGRAM [ARG...]
 *       Forks. The child sets PR_SET_NO_NEW_PRIVS, installs a seccomp filter that kills any other
 *       architecture and the x32 entry, sends open, openat and openat2 to user notification and
 *       allows everything else, passes the listener to the parent (SCM_RIGHTS) and execs PROGRAM
 *       (found on PATH). The parent asks for SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (kernel 6.6+;
 *       ignored where refused) and serves each notification: reads the path (and openat2's
 *       struct open_how) with process_vm_readv, checks SECCOMP_IOCTL_NOTIF_ID_VALID, opens the
 *       file itself with openat2 (a relative path against the caller's /proc/TID/cwd or
 *       /proc/TID/fd/DIRFD), injects the descriptor with SECCOMP_IOCTL_NOTIF_ADDFD +
 *       SECCOMP_ADDFD_FLAG_SEND (O_CLOEXEC as the caller asked) and closes its copy, or answers
 *       the errno. When the program's last task is gone the receive ioctl fails with ENOENT and
 *       the listener reports POLLHUP; the broker then exits with the program's status (128+N if
 *       killed by signal N). With -c, prints the number of calls served to stderr at the end.
 *       With -s, stat, lstat and newfstatat are brokered too (the broker stats the file and
 *       writes the struct stat back with process_vm_writev), for the walk's C floor.
 *       With -k, each call also gets the checks posix4j's master makes on it, with the syscalls
 *       it uses for them, so that the cost of the checks and the cost of the JVM can be told
 *       apart: the broker waits with poll(2) before each receive; takes the caller's credentials
 *       as posix4j does for a call that creates nothing (the first call of a thread reads its
 *       /proc/TID/status, the supplementary groups' source; every call asks the thread's pidfd,
 *       kept per thread, for its ids with PIDFD_GET_INFO and capget(2) for its capabilities)
 *       and checks the notification once after that and the path are read; stats an opened file (its
 *       type) and injects it with every signal blocked (rt_sigprocmask around ADDFD); resolves a
 *       stat's path to an O_PATH descriptor with openat2 and stats that; writes a
 *       stat result through the thread's /proc/TID/mem, kept across its calls as posix4j keeps
 *       it (until an exec there; the walk execs nothing), checked right before the write,
 *       instead of process_vm_writev (a number can be reused between a check and a write; a
 *       descriptor of mem cannot). The policy decision and the credential switch are left out:
 *       posix4j's master does them in Java without syscalls when the program's credentials are
 *       the master's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Kernel 6.6 additions that Debian 12's kernel headers (6.1) do not define yet. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* The flags open(2) and openat(2) accept; they ignore other bits, openat2(2) refuses them. */
#define VALID_OPEN_FLAGS \
    (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | \
     O_ASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | \
     O_SYNC | O_PATH | O_TMPFILE)

static void die(const char *what) {
    fprintf(stderr, "broker_cbroker: %s: %s\n", what, strerror(errno));
    exit(125);
}

static int install_filter(int with_stat) {
    const int brokered[] = {__NR_open, __NR_openat, __NR_openat2, __NR_stat, __NR_lstat,
                            __NR_newfstatat};
    int count = with_stat ? 6 : 3;
    struct sock_filter code[16] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, __X32_SYSCALL_BIT, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    };
    int n = 6;
    /* One comparison per brokered number, each jumping over the rest and the ALLOW. */
    for (int i = 0; i < count; i++, n++) {
        struct sock_filter jump = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t) brokered[i],
                                           (uint8_t) (count - i), 0);
        code[n] = jump;
    }
    code[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    code[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
    struct sock_fprog program = {.len = (unsigned short) n, .filter = code};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("PR_SET_NO_NEW_PRIVS");
    /* WAIT_KILLABLE_RECV (5.19+) as posix4j asks for it: a received call is not replayed when a
     * non-fatal signal arrives. */
    int listener = (int) syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                                 SECCOMP_FILTER_FLAG_NEW_LISTENER |
                                     SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
                                 &program);
    if (listener < 0 && errno == EINVAL) {
        listener = (int) syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                                 SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
    }
    if (listener < 0) die("seccomp");
    return listener;
}

static void send_fd(int socket, int fd) {
    char data = 0;
    struct iovec iov = {.iov_base = &data, .iov_len = 1};
    union {
        struct cmsghdr header;
        char bytes[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.bytes,
                             .msg_controllen = sizeof control.bytes};
    struct cmsghdr *c = CMSG_FIRSTHDR(&message);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    if (sendmsg(socket, &message, 0) != 1) die("sendmsg");
}

/* The listener, or -1 when the child closed the socket without sending one (it failed). */
static int receive_fd(int socket) {
    char data;
    struct iovec iov = {.iov_base = &data, .iov_len = 1};
    union {
        struct cmsghdr header;
        char bytes[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr message = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.bytes,
                             .msg_controllen = sizeof control.bytes};
    ssize_t n;
    while ((n = recvmsg(socket, &message, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {}
    if (n <= 0) return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&message);
    if (c == NULL || c->cmsg_type != SCM_RIGHTS) return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof(int));
    return fd;
}

/* Reads a NUL-terminated string of at most PATH_MAX bytes, one page at a time so that a string
 * ending just before an unmapped page is still read. Returns 0 or a negative errno. */
/* -k: posix4j's per-call checks (see the top of the file). */
static int checked;

/* Kernel 6.13 additions that Debian 12's kernel headers do not define yet: the thread's ids
 * through its pidfd (struct pidfd_info, 64 bytes in its first version). */
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif
#define P4J_PIDFD_INFO_PID (1ULL << 0)
#define P4J_PIDFD_INFO_CREDS (1ULL << 1)
#define P4J_PIDFD_GET_INFO _IOWR(0xFF, 11, struct p4j_pidfd_info)
struct p4j_pidfd_info {
    __u64 mask;
    __u64 cgroupid;
    __u32 pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
    __s32 exit_code;
};

/* The thread that called last (the walk is one thread), with its pidfd and, once a stat result
 * was written, its /proc/TID/mem; -1 for none. */
static pid_t caller_tid;
static int caller_pidfd = -1;
static int caller_mem = -1;

/* -k: takes the caller's credentials as posix4j's master does for a call that creates nothing:
 * the first call of a thread reads its /proc/TID/status (the groups), every call its ids from
 * its pidfd and its capabilities with capget; the notification check made after the path is
 * read proves them too. */
static int check_caller(const struct seccomp_notif *request) {
    static char status[4096];
    if (caller_pidfd < 0 || caller_tid != (pid_t) request->pid) {
        char name[64];
        if (caller_pidfd >= 0) close(caller_pidfd);
        if (caller_mem >= 0) close(caller_mem);
        caller_mem = -1;
        caller_tid = (pid_t) request->pid;
        caller_pidfd = (int) syscall(SYS_pidfd_open, caller_tid, PIDFD_THREAD);
        snprintf(name, sizeof name, "/proc/%d/status", (int) caller_tid);
        int fd = open(name, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd >= 0 ? pread(fd, status, sizeof status, 0) : -1;
        if (fd >= 0) close(fd);
        if (n <= 0) return -1;
    }
    struct p4j_pidfd_info info;
    memset(&info, 0, sizeof info);
    info.mask = P4J_PIDFD_INFO_PID | P4J_PIDFD_INFO_CREDS;
    if (caller_pidfd < 0 || ioctl(caller_pidfd, P4J_PIDFD_GET_INFO, &info) != 0 ||
        info.pid != (__u32) caller_tid) {
        return -1;
    }
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3,
                                              .pid = caller_tid};
    struct __user_cap_data_struct data[2];
    return syscall(SYS_capget, &header, data) != 0 ? -1 : 0;
}

static int read_path(pid_t tid, uint64_t address, char *path) {
    size_t got = 0;
    while (got < PATH_MAX) {
        size_t page_left = 4096 - ((address + got) & 4095);
        size_t want = page_left < PATH_MAX - got ? page_left : PATH_MAX - got;
        struct iovec local = {.iov_base = path + got, .iov_len = want};
        struct iovec remote = {.iov_base = (void *) (uintptr_t) (address + got), .iov_len = want};
        ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
        if (n <= 0) return -EFAULT;
        if (memchr(path + got, '\0', (size_t) n) != NULL) return 0;
        got += (size_t) n;
    }
    return -ENAMETOOLONG;
}

static void reply_error(int listener, uint64_t id, int error) {
    struct seccomp_notif_resp response = {.id = id, .val = 0, .error = -error, .flags = 0};
    /* ENOENT: the caller is gone or was interrupted; nobody is waiting for the answer. */
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response) != 0 && errno != ENOENT) {
        die("SECCOMP_IOCTL_NOTIF_SEND");
    }
}

/* The directory a relative path starts from, as an O_PATH descriptor the caller must close, or
 * AT_FDCWD for an absolute path; a negative errno when it cannot be opened. */
static int open_base(pid_t tid, int dirfd, const char *path) {
    if (path[0] == '/') return AT_FDCWD;
    char link[64];
    if (dirfd == AT_FDCWD) {
        snprintf(link, sizeof link, "/proc/%d/cwd", (int) tid);
    } else {
        snprintf(link, sizeof link, "/proc/%d/fd/%d", (int) tid, dirfd);
    }
    int base = open(link, O_PATH | O_CLOEXEC);
    return base >= 0 ? base : -(errno == ENOENT ? EBADF : errno);
}

/* stat, lstat and newfstatat (glibc's stat, lstat, fstatat and fstat): the broker stats the
 * file itself and writes the struct stat into the caller's buffer. */
static void serve_stat(int listener, const struct seccomp_notif *request) {
    static char path[PATH_MAX];
    const __u64 *args = request->data.args;
    int at = request->data.nr == __NR_newfstatat;
    int dirfd = at ? (int) args[0] : AT_FDCWD;
    uint64_t path_address = at ? args[1] : args[0];
    uint64_t buffer = at ? args[2] : args[1];
    int flags = at ? (int) args[3] & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)
                   : request->data.nr == __NR_lstat ? AT_SYMLINK_NOFOLLOW : 0;
    if (checked && check_caller(request) != 0) return;
    int error = read_path(request->pid, path_address, path);
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &request->id) != 0) return;
    if (error != 0) {
        reply_error(listener, request->id, -error);
        return;
    }
    int base = open_base(request->pid, dirfd, path);
    if (base < 0 && base != AT_FDCWD) {
        reply_error(listener, request->id, -base);
        return;
    }
    struct stat st;
    int r;
    if (checked && path[0] != '\0') {
        /* As posix4j: the path resolved to an O_PATH descriptor, which is then stat'ed. */
        struct open_how how = {
            .flags = O_PATH | O_CLOEXEC | ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0),
            .resolve = RESOLVE_NO_MAGICLINKS,
        };
        int fd = (int) syscall(SYS_openat2, base, path, &how, sizeof how);
        r = fd < 0 ? -1 : fstatat(fd, "", &st, AT_EMPTY_PATH);
        if (fd >= 0) {
            int error = errno;
            close(fd);
            errno = error;
        }
    } else {
        r = fstatat(base, path, &st, flags);
    }
    int stat_error = errno;
    if (base != AT_FDCWD) close(base);
    if (r != 0) {
        reply_error(listener, request->id, stat_error);
        return;
    }
    if (checked) {
        if (caller_mem < 0) {
            char name[64];
            snprintf(name, sizeof name, "/proc/%d/mem", (int) request->pid);
            caller_mem = open(name, O_RDWR | O_CLOEXEC);
        }
        if (caller_mem < 0 || ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &request->id) != 0) return;
        ssize_t w = pwrite(caller_mem, &st, sizeof st, (off_t) buffer);
        if (w != (ssize_t) sizeof st) {
            reply_error(listener, request->id, EFAULT);
            return;
        }
    } else {
        struct iovec local = {.iov_base = &st, .iov_len = sizeof st};
        struct iovec remote = {.iov_base = (void *) (uintptr_t) buffer, .iov_len = sizeof st};
        if (process_vm_writev(request->pid, &local, 1, &remote, 1, 0) != (ssize_t) sizeof st) {
            reply_error(listener, request->id, EFAULT);
            return;
        }
    }
    struct seccomp_notif_resp response = {.id = request->id, .val = 0, .error = 0, .flags = 0};
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response) != 0 && errno != ENOENT) {
        die("SECCOMP_IOCTL_NOTIF_SEND");
    }
}

static void serve_open(int listener, const struct seccomp_notif *request) {
    static char path[PATH_MAX];
    const __u64 *args = request->data.args;
    int dirfd;
    uint64_t path_address;
    struct open_how how;
    memset(&how, 0, sizeof how);
    if (request->data.nr == __NR_openat2) {
        dirfd = (int) args[0];
        path_address = args[1];
        /* 24 is OPEN_HOW_SIZE_VER0, which the uapi header does not export. */
        if (args[3] < 24) {
            reply_error(listener, request->id, EINVAL);
            return;
        }
        size_t size = args[3] < sizeof how ? (size_t) args[3] : sizeof how;
        struct iovec local = {.iov_base = &how, .iov_len = size};
        struct iovec remote = {.iov_base = (void *) (uintptr_t) args[2], .iov_len = size};
        if (process_vm_readv(request->pid, &local, 1, &remote, 1, 0) != (ssize_t) size) {
            reply_error(listener, request->id, EFAULT);
            return;
        }
    } else {
        int plain_open = request->data.nr == __NR_open;
        dirfd = plain_open ? AT_FDCWD : (int) args[0];
        path_address = plain_open ? args[0] : args[1];
        /* What open and openat do with their arguments before the common code: unknown bits
         * dropped, O_LARGEFILE forced on 64-bit, the mode used only when creating. */
        how.flags = (args[plain_open ? 1 : 2] & VALID_OPEN_FLAGS) | O_LARGEFILE;
        if ((how.flags & O_CREAT) || (how.flags & O_TMPFILE) == O_TMPFILE) {
            how.mode = args[plain_open ? 2 : 3] & 07777;
        }
    }
    if (checked && check_caller(request) != 0) return;
    int error = read_path(request->pid, path_address, path);
    /* The reads above may have come from a recycled tid if the caller died meanwhile. */
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &request->id) != 0) return;
    if (error != 0) {
        reply_error(listener, request->id, -error);
        return;
    }
    int base = open_base(request->pid, dirfd, path);
    if (base < 0 && base != AT_FDCWD) {
        reply_error(listener, request->id, -base);
        return;
    }
    int fd = (int) syscall(SYS_openat2, base, path, &how, sizeof how);
    int open_error = errno;
    if (base != AT_FDCWD) close(base);
    if (fd < 0) {
        reply_error(listener, request->id, open_error);
        return;
    }
    struct seccomp_notif_addfd addfd = {
        .id = request->id,
        .flags = SECCOMP_ADDFD_FLAG_SEND,
        .srcfd = (uint32_t) fd,
        .newfd = 0,
        .newfd_flags = (uint32_t) (how.flags & O_CLOEXEC),
    };
    sigset_t all, saved;
    if (checked) {
        struct statx type;
        if (statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, &type) != 0) die("statx");
        sigfillset(&all);
        syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, &saved, sizeof(uint64_t));
    }
    int injected = ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
    int inject_error = errno;
    if (checked) syscall(SYS_rt_sigprocmask, SIG_SETMASK, &saved, NULL, sizeof(uint64_t));
    if (injected < 0 && inject_error != ENOENT) {
        /* Not injected (EMFILE...): the call is still pending and gets the errno instead. */
        reply_error(listener, request->id, inject_error);
    }
    close(fd);
}

int main(int argc, char **argv) {
    int count_calls = 0, with_stat = 0, first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (strcmp(argv[first], "-c") == 0) {
            count_calls = 1;
        } else if (strcmp(argv[first], "-s") == 0) {
            with_stat = 1;
        } else if (strcmp(argv[first], "-k") == 0) {
            checked = 1;
        } else {
            break;
        }
    }
    if (first >= argc || argv[first][0] == '-') {
        fprintf(stderr, "usage: broker_cbroker [-c] [-s] [-k] PROGRAM [ARG...]\n");
        return 2;
    }
    char **program = argv + first;
    int sockets[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) die("socketpair");
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        close(sockets[0]);
        int listener = install_filter(with_stat);
        send_fd(sockets[1], listener);
        close(listener);
        close(sockets[1]);
        execvp(program[0], program);
        int error = errno;
        fprintf(stderr, "broker_cbroker: %s: %s\n", program[0], strerror(error));
        _exit(error == ENOENT ? 127 : 126);
    }
    close(sockets[1]);
    int listener = receive_fd(sockets[0]);
    close(sockets[0]);
    if (listener >= 0) {
        /* Refused before 6.6: the broker then works without the synchronous wake-up. */
        (void) ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
        long calls = 0;
        for (;;) {
            struct seccomp_notif request;
            memset(&request, 0, sizeof request);
            if (checked) {
                struct pollfd wait = {.fd = listener, .events = POLLIN};
                if (poll(&wait, 1, -1) < 0 && errno != EINTR) die("poll");
                if (!(wait.revents & POLLIN) && (wait.revents & POLLHUP)) break;
            }
            if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request) == 0) {
                if (request.data.nr == __NR_stat || request.data.nr == __NR_lstat ||
                    request.data.nr == __NR_newfstatat) {
                    serve_stat(listener, &request);
                } else {
                    serve_open(listener, &request);
                }
                calls++;
                continue;
            }
            if (errno == EINTR) continue;
            if (errno != ENOENT) die("SECCOMP_IOCTL_NOTIF_RECV");
            /* ENOENT: a caller was interrupted, or no task uses the filter any more (the kernel
             * drops a task's use when it exits, before it is reaped: no SIGCHLD handling is
             * needed to leave this loop). */
            struct pollfd p = {.fd = listener, .events = POLLIN};
            if (poll(&p, 1, 0) > 0 && (p.revents & POLLHUP)) break;
        }
        close(listener);
        if (count_calls) fprintf(stderr, "broker_cbroker: %ld calls served\n", calls);
    }
    int status;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) die("waitpid");
    }
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return listener < 0 ? 125 : WEXITSTATUS(status);
}
