/* The program's memory changes under the broker while it reads a path.

   memfault remap GOOD BAD SECONDS
   memfault truncate GOOD BAD SECONDS
       GOOD and BAD are files of the same path length (an allowed one and a denied one). A peer
       process (forked first) opens GOOD from ordinary memory in a loop and measures how long each
       open takes. Meanwhile three threads open the path held in one page P, and a fourth changes
       that page under them, round after round:
         remap:    munmap P; map it again holding BAD; mprotect it PROT_NONE; make it readable
                   again holding GOOD;
         truncate: P is a MAP_SHARED mapping of a memfd (tmpfs); the fourth thread truncates the
                   file to 0 (P is past the end of the file: SIGBUS for the program, EFAULT for
                   the kernel), then gives it its page back holding BAD, truncates again, then
                   gives it back holding GOOD (with pwrite: the program never touches P itself).
       Each open that succeeds is read and its content compared with GOOD's and BAD's. Prints
       "MODE: opens=N good=N bad=N other=N rounds=N errors=E1:N,E2:N..." and
       "peer: opens=N errors=N max_us=N".

   memfault uffd GOOD
       Tries to make a region whose reads stall: userfaultfd(2), then /dev/userfaultfd with
       USERFAULTFD_IOC_NEW; prints "uffd syscall: OK|ERRNO", "uffd dev: OK|ERRNO" and, with a
       descriptor, "uffd register: OK|ERRNO" for a page registered for missing faults. Then,
       registered, a thread opens a path in that page: the open stalls in the kernel until this
       program resolves the fault, which it does after seeing it with the path of GOOD; prints
       "uffd stall: open waited for the fault, then OK|ERRNO". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OPENERS 3
#define PAGE 4096

static const char *good, *bad;
static char good_content[256], bad_content[256];
static char *page;
static int memfd = -1;
static volatile int stop;
static int truncate_mode;

static long long now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

static void slurp(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        /* Under the sandbox BAD cannot be read: its content then matches nothing. */
        snprintf(buf, size, "<unreadable %s>", path);
        return;
    }
    ssize_t n = read(fd, buf, size - 1);
    buf[n > 0 ? n : 0] = 0;
    close(fd);
}

struct counts {
    long opens, good, bad, other;
    long errors[256];
};

static void *opener(void *arg) {
    struct counts *c = arg;
    char buf[256];
    while (!stop) {
        int fd = open(page, O_RDONLY | O_CLOEXEC);
        c->opens++;
        if (fd < 0) {
            c->errors[errno & 255]++;
            continue;
        }
        ssize_t n = read(fd, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = 0;
        close(fd);
        if (strcmp(buf, good_content) == 0) {
            c->good++;
        } else if (strcmp(buf, bad_content) == 0) {
            c->bad++;
        } else {
            c->other++;
        }
    }
    return NULL;
}

/* Keeps the state just made for 10 ms, long enough for several opens (brokered or not) to
   meet it. */
static void linger(void) {
    struct timespec t = {.tv_nsec = 10 * 1000 * 1000};
    nanosleep(&t, NULL);
}

static void fill(const char *path) {
    if (truncate_mode) {
        if (ftruncate(memfd, PAGE) != 0 || pwrite(memfd, path, strlen(path) + 1, 0) < 0) {
            perror("memfault: ftruncate/pwrite");
            exit(1);
        }
    } else {
        memcpy(page, path, strlen(path) + 1);
    }
}

static long rounds;

static void *changer(void *unused) {
    (void) unused;
    while (!stop) {
        if (truncate_mode) {
            if (ftruncate(memfd, 0) != 0) {
                perror("memfault: ftruncate");
                exit(1);
            }
            linger();
            fill(bad);
            linger();
            if (ftruncate(memfd, 0) != 0) {
                perror("memfault: ftruncate");
                exit(1);
            }
            linger();
            fill(good);
        } else {
            munmap(page, PAGE);
            linger();
            /* MAP_FIXED_NOREPLACE: if another mapping took the hole meanwhile, fail rather than
               clobber it. */
            if (mmap(page, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0)
                    != page) {
                perror("memfault: mmap");
                exit(1);
            }
            fill(bad);
            linger();
            mprotect(page, PAGE, PROT_NONE);
            linger();
            mprotect(page, PAGE, PROT_READ | PROT_WRITE);
            fill(good);
        }
        linger();
        rounds++;
    }
    return NULL;
}

/* The peer: opens GOOD from its own ordinary memory until `quit` becomes readable. */
static void peer(int quit) {
    long opens = 0, errors = 0;
    long long worst = 0;
    struct pollfd p = {.fd = quit, .events = POLLIN};
    while (poll(&p, 1, 0) == 0) {
        long long t0 = now_us();
        int fd = open(good, O_RDONLY | O_CLOEXEC);
        long long took = now_us() - t0;
        if (took > worst) {
            worst = took;
        }
        if (fd < 0) {
            errors++;
        } else {
            close(fd);
            opens++;
        }
    }
    printf("peer: opens=%ld errors=%ld max_us=%lld\n", opens, errors, worst);
    fflush(stdout);
    _exit(0);
}

static int race(const char *mode, int seconds) {
    slurp(good, good_content, sizeof good_content);
    slurp(bad, bad_content, sizeof bad_content);
    if (strlen(good) != strlen(bad)) {
        fprintf(stderr, "memfault: GOOD and BAD must have the same length\n");
        return 2;
    }
    int quit[2];
    if (pipe2(quit, O_CLOEXEC) != 0) {
        perror("memfault: pipe2");
        return 1;
    }
    fflush(stdout);
    pid_t child = fork();
    if (child < 0) {
        perror("memfault: fork");
        return 1;
    }
    if (child == 0) {
        close(quit[1]);
        peer(quit[0]);
    }
    close(quit[0]);
    if (truncate_mode) {
        memfd = memfd_create("memfault", MFD_CLOEXEC);
        if (memfd < 0) {
            perror("memfault: memfd_create");
            return 1;
        }
        page = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, memfd, 0);
    } else {
        page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
    if (page == MAP_FAILED) {
        perror("memfault: mmap");
        return 1;
    }
    fill(good);
    static struct counts counts[OPENERS];
    pthread_t threads[OPENERS + 1];
    for (int i = 0; i < OPENERS; i++) {
        pthread_create(&threads[i], NULL, opener, &counts[i]);
    }
    pthread_create(&threads[OPENERS], NULL, changer, NULL);
    sleep(seconds);
    stop = 1;
    for (int i = 0; i <= OPENERS; i++) {
        pthread_join(threads[i], NULL);
    }
    struct counts total = {0};
    for (int i = 0; i < OPENERS; i++) {
        total.opens += counts[i].opens;
        total.good += counts[i].good;
        total.bad += counts[i].bad;
        total.other += counts[i].other;
        for (int e = 0; e < 256; e++) {
            total.errors[e] += counts[i].errors[e];
        }
    }
    printf("%s: opens=%ld good=%ld bad=%ld other=%ld rounds=%ld errors=", mode, total.opens, total.good,
           total.bad, total.other, rounds);
    const char *sep = "";
    for (int e = 0; e < 256; e++) {
        if (total.errors[e] > 0) {
            printf("%s%s:%ld", sep, strerrorname_np(e) ? strerrorname_np(e) : "?", total.errors[e]);
            sep = ",";
        }
    }
    printf("%s\n", *sep ? "" : "none");
    fflush(stdout);
    if (write(quit[1], "q", 1) != 1) {
        perror("memfault: write");
        return 1;
    }
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "memfault: the peer failed\n");
        return 1;
    }
    return 0;
}

static const char *result(int ok) {
    return ok ? "OK" : strerrorname_np(errno);
}

static char *stall_page;

static void *stalled_open(void *arg) {
    int *errnum = arg;
    int fd = open(stall_page, O_RDONLY | O_CLOEXEC);
    *errnum = fd >= 0 ? 0 : errno;
    if (fd >= 0) {
        close(fd);
    }
    return NULL;
}

static int uffd(void) {
    int fd = (int) syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
    printf("uffd syscall: %s\n", result(fd >= 0));
    int dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
    printf("uffd dev: %s\n", result(dev >= 0));
    if (fd < 0 && dev >= 0) {
        fd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC | O_NONBLOCK);
        printf("uffd dev new: %s\n", result(fd >= 0));
    }
    if (fd < 0) {
        return 0;
    }
    struct uffdio_api api = {.api = UFFD_API};
    stall_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct uffdio_register reg = {.range = {.start = (unsigned long) stall_page, .len = PAGE},
                                  .mode = UFFDIO_REGISTER_MODE_MISSING};
    int registered = ioctl(fd, UFFDIO_API, &api) == 0 && ioctl(fd, UFFDIO_REGISTER, &reg) == 0;
    printf("uffd register: %s\n", result(registered));
    if (!registered) {
        return 0;
    }
    int errnum = -1;
    pthread_t t;
    pthread_create(&t, NULL, stalled_open, &errnum);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    struct uffd_msg msg;
    if (poll(&p, 1, 10000) != 1 || read(fd, &msg, sizeof msg) != sizeof msg || msg.event != UFFD_EVENT_PAGEFAULT) {
        printf("uffd stall: no fault seen\n");
        return 1;
    }
    int waited = errnum == -1;
    static char source[PAGE] __attribute__((aligned(PAGE)));
    strcpy(source, good);
    struct uffdio_copy copy = {.dst = (unsigned long) stall_page, .src = (unsigned long) source, .len = PAGE};
    if (ioctl(fd, UFFDIO_COPY, &copy) != 0) {
        perror("memfault: UFFDIO_COPY");
        return 1;
    }
    pthread_join(t, NULL);
    errno = errnum;
    printf("uffd stall: open %s for the fault, then %s\n", waited ? "waited" : "did not wait", result(errnum == 0));
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 3 && strcmp(argv[1], "uffd") == 0) {
        good = argv[2];
        return uffd();
    }
    if (argc != 5 || (strcmp(argv[1], "remap") != 0 && strcmp(argv[1], "truncate") != 0)) {
        fprintf(stderr, "usage: %s remap|truncate GOOD BAD SECONDS | uffd GOOD\n", argv[0]);
        return 2;
    }
    good = argv[2];
    bad = argv[3];
    truncate_mode = strcmp(argv[1], "truncate") == 0;
    return race(argv[1], atoi(argv[4]));
}
