/*
 * A hostile sandboxed program: runs the operations named on its command line, one after the
 * other, and prints one line per operation: "OP ARG...: OK [details]" or "OP ARG...: ERRNO".
 * Arguments longer than 100 bytes are printed as "<len:N>". In every argument "%ppid" stands
 * for the parent's pid (the supervisor's), "%ppgid" for its process group and "%xHH" for the
 * byte HH (names that are not UTF-8, which a JVM could not pass on); the printed label keeps
 * them unexpanded.
 *
 * Whatever an open makes readable is printed ("data=..."), so that a secret it should not have
 * reached shows up in the output. Each operation's arity is fixed (see the table at the end).
 * "inthread OP..." runs the next operation on a new thread, "infork OP..." in a forked child,
 * "exec PROGRAM ARG..." replaces the program (the rest of the command line is its arguments).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

struct op {
    const char *name;
    int arity;
    /* Answers the result text for a success (written to out), or -1 with errno set. */
    int (*run)(char **args, char *out, size_t outlen);
};

static char self_path[4096];

static void emit(const char *fmt, ...) {
    char line[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    if ((size_t) n > sizeof line - 2) {
        n = sizeof line - 2;
    }
    line[n++] = '\n';
    /* One write per line: threads and forked children share the pipe. */
    if (write(1, line, (size_t) n) < 0) {
        _exit(3);
    }
}

static const char *errname(int e) {
    const char *name = strerrorname_np(e);
    return name != NULL ? name : "E?";
}

static char *expand(const char *arg) {
    char ppid[32], ppgid[32];
    snprintf(ppid, sizeof ppid, "%d", (int) getppid());
    snprintf(ppgid, sizeof ppgid, "%d", (int) getpgid(getppid()));
    size_t len = strlen(arg);
    char *out = malloc(len * 4 + 64);
    char *o = out;
    for (const char *p = arg; *p;) {
        if (p[0] == '%' && p[1] == 'x' && p[2] && p[3]) {
            char hex[3] = {p[2], p[3], 0};
            *o++ = (char) strtoul(hex, NULL, 16);
            p += 4;
        } else if (strncmp(p, "%ppgid", 6) == 0) {
            o = stpcpy(o, ppgid);
            p += 6;
        } else if (strncmp(p, "%ppid", 5) == 0) {
            o = stpcpy(o, ppid);
            p += 5;
        } else {
            *o++ = *p++;
        }
    }
    *o = 0;
    return out;
}

static int parse_flags(const char *text) {
    static const struct { const char *name; int bits; } names[] = {
        {"RDONLY", O_RDONLY}, {"WRONLY", O_WRONLY}, {"RDWR", O_RDWR}, {"CREAT", O_CREAT},
        {"EXCL", O_EXCL}, {"TRUNC", O_TRUNC}, {"APPEND", O_APPEND}, {"NOFOLLOW", O_NOFOLLOW},
        {"DIRECTORY", O_DIRECTORY}, {"PATH", O_PATH}, {"TMPFILE", O_TMPFILE},
        {"CLOEXEC", O_CLOEXEC}, {"NONBLOCK", O_NONBLOCK}, {"NOCTTY", O_NOCTTY},
    };
    int flags = 0;
    char *copy = strdup(text), *save = NULL;
    for (char *tok = strtok_r(copy, "|", &save); tok != NULL; tok = strtok_r(NULL, "|", &save)) {
        int found = 0;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            if (strcmp(tok, names[i].name) == 0) {
                flags |= names[i].bits;
                found = 1;
            }
        }
        if (!found) {
            flags |= (int) strtoul(tok, NULL, 0);
        }
    }
    free(copy);
    return flags;
}

/* Reads what fd gives (up to 200 bytes) into out as "data=..." with control bytes escaped. */
static void describe_fd(int fd, char *out, size_t outlen) {
    struct stat st;
    int n = 0;
    if (fstat(fd, &st) == 0) {
        n = snprintf(out, outlen, "mode=%o", (unsigned) st.st_mode);
    }
    if (S_ISDIR(st.st_mode) || S_ISFIFO(st.st_mode)) {
        return;
    }
    char buf[201];
    ssize_t r = read(fd, buf, 200);
    if (r < 0) {
        snprintf(out + n, outlen - n, " read=%s", errname(errno));
        return;
    }
    n += snprintf(out + n, outlen - n, " data=");
    for (ssize_t i = 0; i < r && (size_t) n + 5 < outlen; i++) {
        unsigned char c = (unsigned char) buf[i];
        n += c >= 32 && c < 127 && c != '\\' ? snprintf(out + n, outlen - n, "%c", c)
                                              : snprintf(out + n, outlen - n, "\\x%02x", c);
    }
}

static int finish_open(int fd, char *out, size_t outlen) {
    if (fd < 0) {
        return -1;
    }
    describe_fd(fd, out, outlen);
    close(fd);
    return 0;
}

static int op_open(char **a, char *out, size_t n) {
    return finish_open(open(a[0], parse_flags(a[1]), 06777), out, n);
}

static int op_openm(char **a, char *out, size_t n) {
    return finish_open(open(a[0], parse_flags(a[1]), (mode_t) strtoul(a[2], NULL, 8)), out, n);
}

/* An ioctl-only open (both access-mode bits), then the extended attribute NAME read through
   the descriptor: "value=..." */
static int op_fxattr(char **a, char *out, size_t n) {
    int fd = open(a[0], O_WRONLY | O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    char value[201];
    ssize_t r = fgetxattr(fd, a[1], value, sizeof value - 1);
    int saved = errno;
    close(fd);
    if (r < 0) {
        errno = saved;
        return -1;
    }
    value[r] = 0;
    snprintf(out, n, "value=%s", value);
    return 0;
}

static int op_openat(char **a, char *out, size_t n) {
    int dir = open(a[0], O_RDONLY | O_DIRECTORY);
    if (dir < 0) {
        int e = errno;
        snprintf(out, n, "dir=%s", errname(e));
        errno = e;
        return -1;
    }
    int fd = openat(dir, a[1], parse_flags(a[2]), 0644);
    int saved = errno;
    close(dir);
    errno = saved;
    return finish_open(fd, out, n);
}

static int op_rawopen(char **a, char *out, size_t n) {
    return finish_open((int) syscall(SYS_open, a[0], parse_flags(a[1]), 0644), out, n);
}

static int op_rawopenat(char **a, char *out, size_t n) {
    return finish_open((int) syscall(SYS_openat, AT_FDCWD, a[0], parse_flags(a[1]), 0644), out, n);
}

/* The path (without its NUL) ends at the last byte of a readable page; the next is unmapped. */
static int op_edge(char **a, char *out, size_t n) {
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + page, page);
    size_t len = strlen(a[0]);
    memcpy(m + page - len, a[0], len);
    return finish_open(open(m + page - len, O_RDONLY), out, n);
}

/* The same, with the path's NUL as the last readable byte: a valid path the kernel accepts. */
static int op_edgenul(char **a, char *out, size_t n) {
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + page, page);
    size_t len = strlen(a[0]) + 1;
    memcpy(m + page - len, a[0], len);
    return finish_open(open(m + page - len, O_RDONLY), out, n);
}

static int op_null(char **a, char *out, size_t n) {
    (void) a;
    return finish_open((int) syscall(SYS_openat, AT_FDCWD, NULL, O_RDONLY), out, n);
}

static int done(long r, char *out, size_t n) {
    (void) out;
    (void) n;
    return r < 0 ? -1 : 0;
}

static int op_stat(char **a, char *out, size_t n) {
    struct stat st;
    if (stat(a[0], &st) < 0) {
        return -1;
    }
    snprintf(out, n, "mode=%o size=%lld", (unsigned) st.st_mode, (long long) st.st_size);
    return 0;
}

static int op_lstat(char **a, char *out, size_t n) {
    struct stat st;
    if (lstat(a[0], &st) < 0) {
        return -1;
    }
    snprintf(out, n, "mode=%o size=%lld", (unsigned) st.st_mode, (long long) st.st_size);
    return 0;
}

static int op_access(char **a, char *out, size_t n) { return done(access(a[0], R_OK), out, n); }
static int op_mkdir(char **a, char *out, size_t n) { return done(mkdir(a[0], 0755), out, n); }
static int op_rmdir(char **a, char *out, size_t n) { return done(rmdir(a[0]), out, n); }
static int op_unlink(char **a, char *out, size_t n) { return done(unlink(a[0]), out, n); }
static int op_rename(char **a, char *out, size_t n) { return done(rename(a[0], a[1]), out, n); }
static int op_link(char **a, char *out, size_t n) { return done(link(a[0], a[1]), out, n); }
static int op_symlink(char **a, char *out, size_t n) { return done(symlink(a[0], a[1]), out, n); }
static int op_chdir(char **a, char *out, size_t n) { return done(chdir(a[0]), out, n); }
static int op_truncate(char **a, char *out, size_t n) { return done(truncate(a[0], 0), out, n); }
static int op_chmod(char **a, char *out, size_t n) { return done(chmod(a[0], 04777), out, n); }

/* Lowers the soft RLIMIT_NOFILE to N, so that the next descriptors do not fit. */
static int op_nofile(char **a, char *out, size_t n) {
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = strtoul(a[0], NULL, 0);
    return done(setrlimit(RLIMIT_NOFILE, &rl), out, n);
}

/* A buffer the kernel cannot write: "null" (unmapped), "ro" (a read-only page). */
static void *bad_buffer(const char *kind) {
    if (strcmp(kind, "ro") == 0) {
        return mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
    return (void *) 16;
}

static int op_statbuf(char **a, char *out, size_t n) {
    return done(stat(a[0], bad_buffer(a[1])), out, n);
}

static int op_readlinkbuf(char **a, char *out, size_t n) {
    if (strcmp(a[1], "zero") == 0) {
        char one[1];
        return done(readlink(a[0], one, 0), out, n);
    }
    return done(readlink(a[0], bad_buffer(a[1]), 64), out, n);
}

/* openat(2) with DIRFD taken as a number as it is (not a descriptor of ours). */
static int op_openatfd(char **a, char *out, size_t n) {
    return finish_open(openat(atoi(a[0]), a[1], O_RDONLY), out, n);
}

static int op_umask(char **a, char *out, size_t n) {
    snprintf(out, n, "was=%03o", (unsigned) umask((mode_t) strtoul(a[0], NULL, 8)));
    return 0;
}

/* Opens PATH read-only, then opens it again through /proc/self/fd/N with FLAGS (a magic link
 * that, followed, would upgrade the access), and writes "x" if that gave a writable fd. */
static int op_reopen(char **a, char *out, size_t n) {
    int fd = open(a[0], O_RDONLY);
    if (fd < 0) {
        int e = errno;
        snprintf(out, n, "first=%s", errname(e));
        errno = e;
        return -1;
    }
    char magic[64];
    snprintf(magic, sizeof magic, "/proc/self/fd/%d", fd);
    int again = open(magic, parse_flags(a[1]));
    int e = errno;
    close(fd);
    if (again < 0) {
        errno = e;
        return -1;
    }
    snprintf(out, n, "write=%zd", write(again, "x", 1));
    close(again);
    return 0;
}

static int op_readlink(char **a, char *out, size_t n) {
    char target[4096];
    ssize_t r = readlink(a[0], target, sizeof target - 1);
    if (r < 0) {
        return -1;
    }
    target[r] = 0;
    snprintf(out, n, "target=%s", target);
    return 0;
}

/* Opens PATH with O_CLOEXEC (or without, flag "keep"), then execs itself to look at the fd. */
static int op_cloexec(char **a, char *out, size_t n) {
    int keep = strcmp(a[1], "keep") == 0;
    int fd = open(a[0], O_RDONLY | (keep ? 0 : O_CLOEXEC));
    if (fd < 0) {
        return -1;
    }
    int fdflags = fcntl(fd, F_GETFD);
    pid_t pid = fork();
    if (pid == 0) {
        char num[16];
        snprintf(num, sizeof num, "%d", fd);
        execl(self_path, self_path, "fdcheck", num, (char *) NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    close(fd);
    snprintf(out, n, "fd=%d FD_CLOEXEC=%d", fd, fdflags & FD_CLOEXEC);
    return 0;
}

static int op_fdcheck(char **a, char *out, size_t n) {
    int fd = atoi(a[0]);
    int r = fcntl(fd, F_GETFD);
    if (r < 0) {
        return -1;
    }
    describe_fd(fd, out, n);
    return 0;
}

static int op_tmpfile(char **a, char *out, size_t n) {
    int fd = open(a[0], O_TMPFILE | O_RDWR, 0600);
    if (fd < 0) {
        return -1;
    }
    struct stat st;
    fstat(fd, &st);
    ssize_t w = write(fd, "x", 1);
    snprintf(out, n, "nlink=%lu write=%zd", (unsigned long) st.st_nlink, w);
    close(fd);
    return 0;
}

/* Opens PATH on a detached thread that reports when (if ever) the open returns. */
static void *background_open(void *arg) {
    char **a = arg;
    char out[1024] = "";
    int fd = open(a[0], parse_flags(a[1]));
    if (fd < 0) {
        emit("bgopen %s %s: %s", a[0], a[1], errname(errno));
    } else {
        describe_fd(fd, out, sizeof out);
        emit("bgopen %s %s: OK %s", a[0], a[1], out);
    }
    return NULL;
}

static int op_bgopen(char **a, char *out, size_t n) {
    pthread_t t;
    pthread_create(&t, NULL, background_open, a);
    pthread_detach(t);
    snprintf(out, n, "started");
    return 0;
}

/* Opens and reads PATH COUNT times; counts the results; prints every distinct content read. */
static int op_loopopen(char **a, char *out, size_t n) {
    long count = atol(a[1]), ok = 0, failed = 0;
    int first_errno = 0;
    char first[256] = "", seen[1024] = "";
    for (long i = 0; i < count; i++) {
        int fd = open(a[0], O_RDONLY);
        if (fd < 0) {
            failed++;
            first_errno = first_errno ? first_errno : errno;
            continue;
        }
        char d[1024] = "";
        describe_fd(fd, d, sizeof d);
        close(fd);
        ok++;
        if (first[0] == 0) {
            snprintf(first, sizeof first, "%s", d);
        } else if (strcmp(first, d) != 0) {
            snprintf(seen, sizeof seen, " other=%s", d);
        }
    }
    snprintf(out, n, "ok=%ld failed=%ld errno=%s %s%s", ok, failed,
             first_errno ? errname(first_errno) : "none", first, seen);
    return 0;
}

static int op_sleepms(char **a, char *out, size_t n) {
    (void) out;
    (void) n;
    usleep((useconds_t) atol(a[0]) * 1000);
    return 0;
}

/* --- sockets --- */

static int inet_addr_of(const char *ip, const char *port, struct sockaddr_in *sa) {
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t) atoi(port));
    return inet_pton(AF_INET, ip, &sa->sin_addr) == 1 ? 0 : -1;
}

static socklen_t unix_addr_of(const char *path, struct sockaddr_un *sa) {
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    size_t len = strlen(path);
    if (path[0] == '@') { /* abstract */
        memcpy(sa->sun_path + 1, path + 1, len - 1);
        return (socklen_t) (offsetof(struct sockaddr_un, sun_path) + len);
    }
    memcpy(sa->sun_path, path, len < sizeof sa->sun_path ? len : sizeof sa->sun_path);
    return (socklen_t) sizeof *sa;
}

static int with_socket(int family, int type, int (*act)(int, const struct sockaddr *, socklen_t),
                       const struct sockaddr *sa, socklen_t len) {
    int s = socket(family, type, 0);
    if (s < 0) {
        return -1;
    }
    int r = act(s, sa, len);
    int saved = errno;
    close(s);
    errno = saved;
    return r;
}

static int connect_act(int s, const struct sockaddr *sa, socklen_t len) { return connect(s, sa, len); }
static int bind_act(int s, const struct sockaddr *sa, socklen_t len) { return bind(s, sa, len); }
static int sendto_act(int s, const struct sockaddr *sa, socklen_t len) {
    return (int) sendto(s, "leak", 4, 0, sa, len);
}
static int sendmsg_act(int s, const struct sockaddr *sa, socklen_t len) {
    struct iovec iov = {.iov_base = "leak", .iov_len = 4};
    struct msghdr m = {.msg_name = (void *) sa, .msg_namelen = len, .msg_iov = &iov, .msg_iovlen = 1};
    return (int) sendmsg(s, &m, 0);
}

static int op_connect_inet(char **a, char *out, size_t n) {
    struct sockaddr_in sa;
    inet_addr_of(a[0], a[1], &sa);
    return done(with_socket(AF_INET, SOCK_STREAM, connect_act, (struct sockaddr *) &sa, sizeof sa), out, n);
}

static int op_bind_inet(char **a, char *out, size_t n) {
    struct sockaddr_in sa;
    inet_addr_of(a[0], a[1], &sa);
    return done(with_socket(AF_INET, SOCK_STREAM, bind_act, (struct sockaddr *) &sa, sizeof sa), out, n);
}

static int op_sendto_inet(char **a, char *out, size_t n) {
    struct sockaddr_in sa;
    inet_addr_of(a[0], a[1], &sa);
    return done(with_socket(AF_INET, SOCK_DGRAM, sendto_act, (struct sockaddr *) &sa, sizeof sa), out, n);
}

static int op_sendmsg_inet(char **a, char *out, size_t n) {
    struct sockaddr_in sa;
    inet_addr_of(a[0], a[1], &sa);
    return done(with_socket(AF_INET, SOCK_DGRAM, sendmsg_act, (struct sockaddr *) &sa, sizeof sa), out, n);
}

static int op_connect_unix(char **a, char *out, size_t n) {
    struct sockaddr_un sa;
    socklen_t len = unix_addr_of(a[0], &sa);
    return done(with_socket(AF_UNIX, SOCK_STREAM, connect_act, (struct sockaddr *) &sa, len), out, n);
}

static int op_bind_unix(char **a, char *out, size_t n) {
    struct sockaddr_un sa;
    socklen_t len = unix_addr_of(a[0], &sa);
    return done(with_socket(AF_UNIX, SOCK_STREAM, bind_act, (struct sockaddr *) &sa, len), out, n);
}

static int op_sendto_unix(char **a, char *out, size_t n) {
    struct sockaddr_un sa;
    socklen_t len = unix_addr_of(a[0], &sa);
    return done(with_socket(AF_UNIX, SOCK_DGRAM, sendto_act, (struct sockaddr *) &sa, len), out, n);
}

/* connect(2) on a socket of FAMILY/TYPE (numbers) with the address bytes given in hex and an
 * address length LEN that need not match them. */
static int op_connect_raw(char **a, char *out, size_t n) {
    unsigned char bytes[512] = {0};
    size_t hexlen = strlen(a[2]);
    for (size_t i = 0; i + 1 < hexlen && i / 2 < sizeof bytes; i += 2) {
        sscanf(a[2] + i, "%2hhx", &bytes[i / 2]);
    }
    return done(with_socket(atoi(a[0]), atoi(a[1]), connect_act, (struct sockaddr *) bytes,
                            (socklen_t) strtoul(a[3], NULL, 0)), out, n);
}

/* connect(2) with an address pointer into unmapped memory. */
static int op_connect_fault(char **a, char *out, size_t n) {
    (void) a;
    return done(with_socket(AF_INET, SOCK_STREAM, connect_act, (struct sockaddr *) 16, 16), out, n);
}

/* connect(2) of a descriptor that is a file, not a socket. */
static int op_connect_file(char **a, char *out, size_t n) {
    struct sockaddr_in sa;
    inet_addr_of("127.0.0.1", "9", &sa);
    int fd = open(a[0], O_RDONLY);
    if (fd < 0) {
        int e = errno;
        snprintf(out, n, "open=%s", errname(e));
        errno = e;
        return -1;
    }
    int r = connect(fd, (struct sockaddr *) &sa, sizeof sa);
    int saved = errno;
    close(fd);
    errno = saved;
    return done(r, out, n);
}

/* --- bypasses --- */

/* open(2) through the i386 entry point, the path copied below 4 GiB so a 32-bit pointer
 * reaches it; a success reads the file through the returned descriptor. */
static int op_int80(char **a, char *out, size_t n) {
    char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (low == MAP_FAILED) {
        return -1;
    }
    snprintf(low, 4096, "%s", a[0]);
    long ret;
    __asm__ volatile("int $0x80"
                     : "=a"(ret)
                     : "a"(5L), "b"((long) (unsigned long) low), "c"((long) O_RDONLY), "d"(0L)
                     : "memory", "r8", "r9", "r10", "r11");
    if (ret < 0) {
        errno = (int) -ret;
        return -1;
    }
    return finish_open((int) ret, out, n);
}

static int op_x32(char **a, char *out, size_t n) {
    return finish_open((int) syscall(0x40000000L | SYS_openat, AT_FDCWD, a[0], O_RDONLY), out, n);
}

static int op_iouring(char **a, char *out, size_t n) {
    (void) a;
    unsigned char params[120] = {0};
    long fd = syscall(425 /* io_uring_setup */, 8, params);
    if (fd >= 0) {
        close((int) fd);
    }
    return done(fd, out, n);
}

/* name_to_handle_at: prints the handle as TYPE:HEX (used outside the sandbox). */
static int op_handle(char **a, char *out, size_t n) {
    struct file_handle *h = malloc(sizeof *h + 128);
    h->handle_bytes = 128;
    int mount_id;
    if (name_to_handle_at(AT_FDCWD, a[0], h, &mount_id, 0) < 0) {
        return -1;
    }
    int k = snprintf(out, n, "%d:", h->handle_type);
    for (unsigned i = 0; i < h->handle_bytes; i++) {
        k += snprintf(out + k, n - k, "%02x", h->f_handle[i]);
    }
    return 0;
}

/* open_by_handle_at with a descriptor of DIR as the mount fd and a TYPE:HEX handle. */
static int op_byhandle(char **a, char *out, size_t n) {
    int dir = open(a[0], O_RDONLY | O_DIRECTORY);
    if (dir < 0) {
        int e = errno;
        snprintf(out, n, "dir=%s", errname(e));
        errno = e;
        return -1;
    }
    struct file_handle *h = malloc(sizeof *h + 128);
    char *colon = strchr(a[1], ':');
    h->handle_type = atoi(a[1]);
    h->handle_bytes = (unsigned) strlen(colon + 1) / 2;
    for (unsigned i = 0; i < h->handle_bytes; i++) {
        sscanf(colon + 1 + 2 * i, "%2hhx", &h->f_handle[i]);
    }
    int fd = open_by_handle_at(dir, h, O_RDONLY);
    int saved = errno;
    close(dir);
    errno = saved;
    return finish_open(fd, out, n);
}

static int op_ptrace(char **a, char *out, size_t n) {
    pid_t pid = atoi(a[0]);
    if (ptrace(PTRACE_ATTACH, pid, 0, 0) < 0) {
        return -1;
    }
    waitpid(pid, NULL, __WALL);
    ptrace(PTRACE_DETACH, pid, 0, 0);
    return done(0, out, n);
}

static int op_vmread(char **a, char *out, size_t n) {
    char buf[16];
    struct iovec local = {buf, sizeof buf};
    struct iovec remote = {(void *) strtoul(a[1], NULL, 0), sizeof buf};
    return done(process_vm_readv(atoi(a[0]), &local, 1, &remote, 1, 0), out, n);
}

static int op_vmwrite(char **a, char *out, size_t n) {
    char buf[1] = {0};
    struct iovec local = {buf, 1};
    struct iovec remote = {(void *) 1, 1}; /* never a mapped address */
    return done(process_vm_writev(atoi(a[0]), &local, 1, &remote, 1, 0), out, n);
}

static int op_kill(char **a, char *out, size_t n) { return done(kill(atoi(a[0]), atoi(a[1])), out, n); }

/* kill(2) of every pid from FROM to TO but the caller's own: thread ids included. */
static int op_killrange(char **a, char *out, size_t n) {
    int sent = 0, eperm = 0, other = 0;
    for (int pid = atoi(a[0]); pid <= atoi(a[1]); pid++) {
        if (pid == getpid()) {
            continue;
        }
        if (kill(pid, atoi(a[2])) == 0) {
            sent++;
        } else if (errno == EPERM) {
            eperm++;
        } else {
            other++;
        }
    }
    snprintf(out, n, "sent=%d eperm=%d other=%d", sent, eperm, other);
    return 0;
}

/* Opens /proc/N/FILE for every N from FROM to TO but the caller's own pid; answers how many
 * opened and the first N that did. */
static int op_procscan(char **a, char *out, size_t n) {
    int opened = 0, first = 0;
    for (int pid = atoi(a[0]); pid <= atoi(a[1]); pid++) {
        if (pid == getpid()) {
            continue;
        }
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/%s", pid, a[2]);
        int fd = open(path, O_RDONLY);
        if (fd >= 0) {
            opened++;
            first = first ? first : pid;
            close(fd);
        }
    }
    snprintf(out, n, "opened=%d first=%d", opened, first);
    return 0;
}

static int op_tgkill(char **a, char *out, size_t n) {
    return done(syscall(SYS_tgkill, atoi(a[0]), atoi(a[0]), atoi(a[1])), out, n);
}

static int op_sigqueue(char **a, char *out, size_t n) {
    union sigval v = {.sival_int = 0};
    return done(sigqueue(atoi(a[0]), atoi(a[1]), v), out, n);
}

static int op_pidfd_open(char **a, char *out, size_t n) {
    long fd = syscall(SYS_pidfd_open, atoi(a[0]), 0);
    if (fd >= 0) {
        close((int) fd);
    }
    return done(fd, out, n);
}

/* Installs an allow-everything filter asking for a new listener. */
static int op_seccomp_listener(char **a, char *out, size_t n) {
    (void) a;
    struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_fprog prog = {.len = 1, .filter = allow};
    syscall(SYS_prctl, 38 /* PR_SET_NO_NEW_PRIVS */, 1, 0, 0, 0);
    long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
    return done(fd, out, n);
}

static const struct op ops[] = {
    {"open", 2, op_open}, {"openm", 3, op_openm}, {"openat", 3, op_openat}, {"fxattr", 2, op_fxattr},
    {"rawopen", 2, op_rawopen}, {"rawopenat", 2, op_rawopenat}, {"edge", 1, op_edge}, {"edgenul", 1, op_edgenul},
    {"null", 0, op_null}, {"stat", 1, op_stat}, {"lstat", 1, op_lstat}, {"access", 1, op_access},
    {"mkdir", 1, op_mkdir}, {"rmdir", 1, op_rmdir}, {"unlink", 1, op_unlink},
    {"rename", 2, op_rename}, {"link", 2, op_link}, {"symlink", 2, op_symlink},
    {"chdir", 1, op_chdir}, {"truncate", 1, op_truncate}, {"chmod", 1, op_chmod},
    {"readlink", 1, op_readlink}, {"umask", 1, op_umask}, {"statbuf", 2, op_statbuf},
    {"readlinkbuf", 2, op_readlinkbuf}, {"openatfd", 2, op_openatfd}, {"nofile", 1, op_nofile}, {"reopen", 2, op_reopen}, {"cloexec", 2, op_cloexec}, {"fdcheck", 1, op_fdcheck},
    {"tmpfile", 1, op_tmpfile}, {"bgopen", 2, op_bgopen}, {"loopopen", 2, op_loopopen},
    {"sleepms", 1, op_sleepms}, {"connect-inet", 2, op_connect_inet},
    {"bind-inet", 2, op_bind_inet}, {"sendto-inet", 2, op_sendto_inet},
    {"sendmsg-inet", 2, op_sendmsg_inet}, {"connect-unix", 1, op_connect_unix},
    {"bind-unix", 1, op_bind_unix}, {"sendto-unix", 1, op_sendto_unix},
    {"connect-raw", 4, op_connect_raw}, {"connect-fault", 0, op_connect_fault},
    {"connect-file", 1, op_connect_file}, {"int80", 1, op_int80}, {"x32", 1, op_x32},
    {"iouring", 0, op_iouring}, {"handle", 1, op_handle}, {"byhandle", 2, op_byhandle},
    {"ptrace", 1, op_ptrace}, {"vmread", 2, op_vmread}, {"vmwrite", 1, op_vmwrite},
    {"kill", 2, op_kill}, {"tgkill", 2, op_tgkill}, {"killrange", 3, op_killrange}, {"procscan", 3, op_procscan}, {"sigqueue", 2, op_sigqueue},
    {"pidfd-open", 1, op_pidfd_open}, {"seccomp-listener", 0, op_seccomp_listener},
};

static const struct op *find(const char *name) {
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (strcmp(ops[i].name, name) == 0) {
            return &ops[i];
        }
    }
    return NULL;
}

struct call {
    const struct op *op;
    char **args;
    char **raw;
    const char *prefix;
};

static void *perform(void *arg) {
    struct call *c = arg;
    char out[4096] = "", label[8192];
    int k = snprintf(label, sizeof label, "%s%s", c->prefix, c->op->name);
    for (int i = 0; i < c->op->arity; i++) {
        size_t len = strlen(c->raw[i]);
        k += len > 100 ? snprintf(label + k, sizeof label - k, " <len:%zu>", len)
                       : snprintf(label + k, sizeof label - k, " %s", c->raw[i]);
    }
    errno = 0;
    if (c->op->run(c->args, out, sizeof out) == 0) {
        emit("%s: OK%s%s", label, out[0] ? " " : "", out);
    } else {
        int e = errno;
        emit("%s: %s%s%s", label, errname(e), out[0] ? " " : "", out);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (realpath("/proc/self/exe", self_path) == NULL) {
        snprintf(self_path, sizeof self_path, "%s", argv[0]);
    }
    int i = 1;
    while (i < argc) {
        const char *mode = "";
        if (strcmp(argv[i], "exec") == 0) {
            char **rest = calloc((size_t) (argc - i), sizeof *rest);
            for (int j = i + 1; j < argc; j++) {
                rest[j - i - 1] = expand(argv[j]);
            }
            execv(rest[0], rest);
            emit("exec %s: %s", rest[0], errname(errno));
            return 1;
        }
        if (strcmp(argv[i], "inthread") == 0 || strcmp(argv[i], "infork") == 0) {
            mode = argv[i++];
        }
        const struct op *op = i < argc ? find(argv[i]) : NULL;
        if (op == NULL || i + op->arity >= argc) {
            fprintf(stderr, "probe: bad operation at argument %d\n", i);
            return 2;
        }
        struct call c = {op, calloc((size_t) op->arity + 1, sizeof(char *)), argv + i + 1, ""};
        for (int j = 0; j < op->arity; j++) {
            c.args[j] = expand(argv[i + 1 + j]);
        }
        i += 1 + op->arity;
        if (strcmp(mode, "inthread") == 0) {
            c.prefix = "thread ";
            pthread_t t;
            pthread_create(&t, NULL, perform, &c);
            pthread_join(t, NULL);
        } else if (strcmp(mode, "infork") == 0) {
            c.prefix = "child ";
            pid_t pid = fork();
            if (pid == 0) {
                perform(&c);
                _exit(0);
            }
            int status;
            waitpid(pid, &status, 0);
        } else {
            perform(&c);
        }
    }
    return 0;
}
