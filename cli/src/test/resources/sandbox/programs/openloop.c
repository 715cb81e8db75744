/* Opens and closes PATH COUNT times, printing a progress line every 10,000 calls, then how many
 * opens succeeded and failed. A flood of brokered calls for SandboxProgramsTest. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s PATH COUNT\n", argv[0]);
        return 2;
    }
    long count = strtol(argv[2], NULL, 10);
    long failed = 0;
    int first_errno = 0;
    for (long i = 1; i <= count; i++) {
        int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            if (failed++ == 0) {
                first_errno = errno;
            }
        } else {
            close(fd);
        }
        if (i % 10000 == 0) {
            printf("progress %ld\n", i);
            fflush(stdout);
        }
    }
    printf("done: %ld opened, %ld failed%s%s\n", count - failed, failed, failed > 0 ? ", first with " : "",
            failed > 0 ? strerrorname_np(first_errno) : "");
    return failed > 0;
}
