/*
 * The recycler of the pid-reuse attack (issue 11, item 2): runs outside the sandbox but inside
 * the caller's pid namespace (as root there, so it may write /proc/sys/kernel/ns_last_pid, which
 * the sandboxed program cannot), and gives the tid of a caller blocked in a brokered call to a
 * new process, the victim, that has a page at the same address.
 *
 * Waits until thread TID is in sendmmsg(2) (/proc/TID/syscall), then SETTLE_MS more so the
 * supervisor has tried the send and waits for the socket; kills TID and waits until its parent
 * has reaped it; then sets ns_last_pid to TID-1 and forks, again until the child gets TID
 * (another process of the namespace may take the number in between). That child, the victim,
 * maps the page holding ADDR and fills it with 0xa5, prints "victim pid=P addr=ADDR" and, on
 * the line "check" on stdin, prints "victim unchanged" or "victim changed=N at=XXXXXXXX" (the
 * bytes that are no longer 0xa5, and the 4 bytes at ADDR). The recycler prints
 * "recycled tid=TID attempts=N" and waits for the victim.
 *
 * With MODE "write", before letting the victim print, it does what a supervisor that goes by
 * number would do with the answer's msg_len: process_vm_writev(2) of the 4-byte value 16 at
 * ADDR of TID, and prints "wrote by number: R" (the control: the number and the address do
 * reach the victim).
 *
 *   recycler TID ADDR SETTLE_MS none|write
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void pause_ms(long ms) {
    struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Whether /proc/TID/syscall names sendmmsg (the thread is blocked in it, or in its seccomp
 * notification). */
static int in_sendmmsg(pid_t tid) {
    char path[64], text[64] = {0};
    snprintf(path, sizeof path, "/proc/%d/syscall", tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    return n > 0 && atoi(text) == SYS_sendmmsg;
}

static void victim(uintptr_t addr, int ready, int go) {
    char *page = (char *) (addr & ~(uintptr_t) 4095);
    if (mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != page) {
        _exit(3);
    }
    memset(page, 0xa5, 4096);
    char byte = 'r';
    if (write(ready, &byte, 1) != 1 || read(go, &byte, 1) != 1) _exit(0);
    printf("victim pid=%d addr=%p\n", getpid(), (void *) addr);
    fflush(stdout);
    char line[64];
    while (fgets(line, sizeof line, stdin)) {
        if (strcmp(line, "check\n") != 0) continue;
        int changed = 0;
        for (int i = 0; i < 4096; i++) changed += (unsigned char) page[i] != 0xa5;
        uint32_t at;
        memcpy(&at, (void *) addr, sizeof at);
        if (changed == 0) {
            printf("victim unchanged\n");
        } else {
            printf("victim changed=%d at=%08x\n", changed, at);
        }
        fflush(stdout);
    }
    _exit(0);
}

int main(int argc, char **argv) {
    if (argc != 5) return 2;
    pid_t tid = atoi(argv[1]);
    uintptr_t addr = strtoull(argv[2], NULL, 0);
    long settle = atol(argv[3]);
    int write_by_number = strcmp(argv[4], "write") == 0;
    for (int i = 0; !in_sendmmsg(tid); i++) {
        if (i == 10000) {
            printf("recycler: %d never blocked in sendmmsg\n", tid);
            return 2;
        }
        pause_ms(1);
    }
    pause_ms(settle);
    if (kill(tid, SIGKILL) < 0) {
        printf("recycler: kill: %s\n", strerror(errno));
        return 2;
    }
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/%d", tid);
    for (int i = 0; access(proc, F_OK) == 0; i++) {
        if (i == 10000) {
            printf("recycler: %d was never reaped\n", tid);
            return 2;
        }
        pause_ms(1);
    }
    pid_t got = -1;
    int attempts = 0, go[2] = {-1, -1}, ready[2] = {-1, -1};
    while (got != tid) {
        if (++attempts > 1000) {
            printf("recycler: tid %d not recycled\n", tid);
            return 2;
        }
        if (go[0] >= 0) {
            close(go[0]);
            close(go[1]);
            close(ready[0]);
            close(ready[1]);
        }
        if (pipe2(go, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0) return 2;
        int last = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
        char number[16];
        int length = snprintf(number, sizeof number, "%d", tid - 1);
        if (last < 0 || write(last, number, (size_t) length) != length) {
            printf("recycler: ns_last_pid: %s\n", strerror(errno));
            return 2;
        }
        close(last);
        fflush(stdout);
        got = fork();
        if (got < 0) return 2;
        if (got == 0) {
            close(go[1]);
            close(ready[0]);
            victim(addr, ready[1], go[0]);
        }
        char byte;
        if (read(ready[0], &byte, 1) != 1) {
            printf("recycler: the victim could not map its page\n");
            return 2;
        }
        if (got != tid) {
            kill(got, SIGKILL);
            waitpid(got, NULL, 0);
        }
    }
    printf("recycled tid=%d attempts=%d\n", tid, attempts);
    fflush(stdout);
    if (write_by_number) {
        uint32_t value = 16;
        struct iovec local = {.iov_base = &value, .iov_len = sizeof value};
        struct iovec remote = {.iov_base = (void *) addr, .iov_len = sizeof value};
        ssize_t r = process_vm_writev(tid, &local, 1, &remote, 1, 0);
        printf("wrote by number: %zd\n", r);
        fflush(stdout);
    }
    /* Only now may the victim print, so that the lines come in this order. */
    if (write(go[1], "g", 1) != 1) return 2;
    int status;
    waitpid(tid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
