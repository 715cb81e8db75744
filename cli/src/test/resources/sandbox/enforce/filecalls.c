/* filecalls DIR COUNT SECRET: stats, opens, reads and closes DIR/0 .. DIR/COUNT-1, then tries to
 * open SECRET COUNT times, and prints one line:
 *   filecalls: stat=N open=N read=N secret-opened=N secret-errno=NAME
 * (secret-errno is the errno of the first failed open of SECRET, "none" when none failed).
 * SandboxEnforceTest counts how many of these calls reach posix4j's broker in each mode. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s DIR COUNT SECRET\n", argv[0]);
        return 2;
    }
    long count = strtol(argv[2], NULL, 10);
    long stats = 0, opens = 0, reads = 0, secret_opens = 0;
    int secret_errno = 0;
    char path[4096];
    char buf[64];
    for (long i = 0; i < count; i++) {
        snprintf(path, sizeof path, "%s/%ld", argv[1], i);
        struct stat st;
        if (stat(path, &st) == 0) {
            stats++;
        }
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            opens++;
            if (read(fd, buf, sizeof buf) > 0) {
                reads++;
            }
            close(fd);
        }
    }
    for (long i = 0; i < count; i++) {
        int fd = open(argv[3], O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            secret_opens++;
            close(fd);
        } else if (secret_errno == 0) {
            secret_errno = errno;
        }
    }
    printf("filecalls: stat=%ld open=%ld read=%ld secret-opened=%ld secret-errno=%s\n", stats, opens, reads,
           secret_opens, secret_errno ? strerrorname_np(secret_errno) : "none");
    return 0;
}
