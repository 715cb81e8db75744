/*
 * A stat answered after an exec lands in the new image's memory, never in the memory the
 * process had before (SandboxMemoryFaultTest).
 *
 *   execmem leader|thread FILE SIZE
 *       Maps a page at a fixed address, fills it with 0xaa and clones (CLONE_VM, not a thread)
 *       a witness that shares this memory and waits on a pipe. Then stats FILE into the page
 *       (so that the broker has written there once), fills it with 0xaa again and execs itself
 *       as "after": from the main thread (leader) or from a second thread while the main one
 *       waits (thread: the exec takes over the main thread's number). The witness keeps the
 *       old memory alive.
 *   execmem after PIPEFD FILE SIZE
 *       The new image: maps a page at the same address, fills it with 0x55, stats FILE into it
 *       and prints "after: stat=OK size=N" (N read from the page), tells the witness through
 *       the pipe, waits for it and exits 0. The witness prints "witness: untouched" when the
 *       old page still holds 0xaa only, else "witness: written".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE ((void *) 0x3f0000000000UL)
#define PAGE_SIZE 4096

static int pipe_fds[2];
static char *self;
static const char *file;
static const char *size;

static void die(const char *what) {
    fprintf(stderr, "%s: %s\n", what, strerror(errno));
    exit(2);
}

static char *map_page(int fill) {
    char *page = mmap(PAGE, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                      -1, 0);
    if (page != PAGE) die("mmap");
    memset(page, fill, PAGE_SIZE);
    return page;
}

/* The witness: shares the memory the process had before its exec. */
static int witness(void *unused) {
    (void) unused;
    char c;
    while (read(pipe_fds[0], &c, 1) < 0 && errno == EINTR) {
    }
    const unsigned char *page = PAGE;
    int written = 0;
    for (int i = 0; i < PAGE_SIZE; i++) {
        written |= page[i] != 0xaa;
    }
    const char *line = written ? "witness: written\n" : "witness: untouched\n";
    if (write(1, line, strlen(line)) < 0) _exit(2);
    _exit(0);
}

static void exec_after(void) {
    char fd[16];
    snprintf(fd, sizeof fd, "%d", pipe_fds[1]);
    char *argv[] = {self, "after", fd, (char *) file, (char *) size, NULL};
    execv(self, argv);
    die("execv");
}

static void *exec_thread(void *unused) {
    (void) unused;
    exec_after();
    return NULL;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 5 && strcmp(argv[1], "after") == 0) {
        int out = atoi(argv[2]);
        char *page = map_page(0x55);
        int r = stat(argv[3], (struct stat *) page);
        printf("after: stat=%s size=%lld\n", r == 0 ? "OK" : strerror(errno),
               (long long) ((struct stat *) page)->st_size);
        if (write(out, "x", 1) != 1) die("write");
        int status;
        if (wait(&status) < 0) die("wait");
        return 0;
    }
    if (argc != 4 || (strcmp(argv[1], "leader") != 0 && strcmp(argv[1], "thread") != 0)) {
        fprintf(stderr, "usage: execmem leader|thread FILE SIZE\n");
        return 2;
    }
    self = argv[0];
    file = argv[2];
    size = argv[3];
    char *page = map_page(0xaa);
    if (pipe(pipe_fds) != 0) die("pipe");
    char *stack = malloc(1 << 16);
    if (stack == NULL) die("malloc");
    if (clone(witness, stack + (1 << 16), CLONE_VM | SIGCHLD, NULL) < 0) die("clone");
    if (stat(file, (struct stat *) page) != 0) die("stat");
    if (stat(file, (struct stat *) page) != 0) die("stat");
    memset(page, 0xaa, PAGE_SIZE);
    if (strcmp(argv[1], "leader") == 0) {
        exec_after();
    }
    pthread_t thread;
    if (pthread_create(&thread, NULL, exec_thread, NULL) != 0) die("pthread_create");
    pthread_join(thread, NULL);
    return 2;
}
